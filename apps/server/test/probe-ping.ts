import { docker } from "@netdive/lab";

/**
 * Whether `from` reaches any of `addresses`: one bounded ping each (`ping -c 1 -W 1`) from
 * inside the container, in order, until one answers. Only addresses of this run's containers,
 * gateways and the host: nothing leaves the machine.
 */
export async function answersPing(from: string, addresses: readonly string[]): Promise<boolean> {
  for (const address of addresses) {
    const answered = await docker(["exec", from, "ping", "-c", "1", "-W", "1", address]).then(
      () => true,
      () => false,
    );
    if (answered) return true;
  }
  return false;
}
