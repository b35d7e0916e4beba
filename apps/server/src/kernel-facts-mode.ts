import { createLinuxKernel, HELPER_TIMEOUT_MS, parseKernelFactsArgs, readKernelFacts } from "@netdive/collector";

/**
 * The kernel helper's side (`--kernel-facts`): netdive's own image, run by another netdive with
 * `--pid host --network host` on an engine that netdive cannot read itself. Reads the host (its
 * own namespace: `--network host` put it in the engine's) and each container given as
 * `<id>:<pid>`, prints the facts as one JSON document and returns the exit code.
 */
export async function kernelFactsMode(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let request;
  try {
    request = parseKernelFactsArgs(argv);
  } catch (e) {
    err(`netdive --kernel-facts: ${(e as Error).message}\n`);
    return 2;
  }
  // Bounded on its own: a helper whose netdive went away still ends (and AutoRemove removes it).
  setTimeout(() => {
    err(`netdive --kernel-facts: gave up after ${HELPER_TIMEOUT_MS / 1000} s\n`);
    process.exit(124);
  }, HELPER_TIMEOUT_MS).unref();
  const kernel = createLinuxKernel({ hostNamespace: "own", monitor: null });
  const facts = await readKernelFacts(kernel, request.targets, request.firewallBackend);
  out(`${JSON.stringify(facts)}\n`);
  return 0;
}
