import { docker } from "../exec";

/** A file as the container sees it, through `docker exec <c> cat <path>`. */
export function fileInContainer(ref: string, path: string): Promise<string> {
  return docker(["exec", ref, "cat", path]);
}

/** A command's output inside a container (`docker exec`), e.g. `hostname`. */
export async function execIn(ref: string, argv: readonly string[]): Promise<string> {
  return docker(["exec", ref, ...argv]);
}
