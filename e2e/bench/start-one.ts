import { docker, labelArgs, LAB_IMAGE, type Run } from "@netdive/lab";

/**
 * Starts one labelled container `${run.prefix}${name}` on `network` running `command` (a long
 * sleep unless told) and returns its full id.
 */
export async function startOne(
  run: Run,
  network: string,
  name: string,
  command: readonly string[] = ["sleep", "86400"],
): Promise<string> {
  return (
    await docker([
      "run",
      "-d",
      "--name",
      `${run.prefix}${name}`,
      ...labelArgs(run),
      "--network",
      network,
      "--memory",
      "32m",
      LAB_IMAGE,
      ...command,
    ])
  ).trim();
}
