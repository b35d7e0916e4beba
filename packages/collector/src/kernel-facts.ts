import { mapLimit, type NetnsRead, type RawContainer } from "@netdive/model";
import type { DnsRulesRead, HostFirewall, HostRead, KernelReader } from "./kernel";

/**
 * The kernel helper's protocol: netdive runs its own image on an engine whose kernel it cannot
 * read (`--kernel-helper`) with `--kernel-facts` and the containers to read; the helper prints
 * one JSON document, {@link KernelFacts}, on stdout and exits. Both ends live here so they
 * cannot drift.
 */

/** The first argument that puts the server bundle in helper mode. */
export const KERNEL_FACTS_FLAG = "--kernel-facts";

/** Every helper container carries this label (value "1"), so it can be counted and hidden by label. */
export const KERNEL_HELPER_LABEL = "io.netdive.kernel-helper";

/** The start of every helper container's name. */
export const KERNEL_HELPER_PREFIX = "netdive-kernel-helper-";

/** The version of {@link KernelFacts}; a helper of another version is refused with a sentence. */
export const KERNEL_FACTS_VERSION = 1;

/** One container to read: its full id and its process on the engine's host (`State.Pid`). */
export interface FactsTarget {
  id: string;
  pid: number;
}

/** What the helper read in one run. */
export interface KernelFacts {
  version: typeof KERNEL_FACTS_VERSION;
  /** The engine's host namespace (the helper's own, `--network host`): links and default routes. */
  host: HostRead;
  /**
   * Per container id: the pid it was read at (the engine's pid, as asked), the links in its
   * network namespace, and the embedded DNS hooks there.
   */
  containers: Record<string, { pid: number; netns: NetnsRead; dnsRules: DnsRulesRead }>;
  /** The host's firewall and docker-proxy processes (absent from helpers built before it was read). */
  firewall?: HostFirewall;
}

const ID = /^[0-9a-f]{64}$/;

/** The helper's arguments (after the image's entrypoint) for these targets. */
export function kernelFactsArgs(targets: readonly FactsTarget[], firewallBackend?: string): string[] {
  return [
    KERNEL_FACTS_FLAG,
    ...(firewallBackend ? ["--firewall-backend", firewallBackend] : []),
    ...targets.map((t) => `${t.id}:${t.pid}`),
  ];
}

/** The helper's arguments read back; throws a sentence when they are not what netdive sends. */
export function parseKernelFactsArgs(argv: readonly string[]): {
  targets: FactsTarget[];
  firewallBackend?: string;
} {
  if (argv[0] !== KERNEL_FACTS_FLAG) throw new Error(`the kernel helper's first argument must be ${KERNEL_FACTS_FLAG}`);
  const targets: FactsTarget[] = [];
  let firewallBackend: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--firewall-backend") {
      firewallBackend = argv[++i];
      if (!firewallBackend || !/^[a-z+]{1,40}$/.test(firewallBackend))
        throw new Error(`--firewall-backend needs a backend name such as iptables, not "${firewallBackend ?? ""}"`);
      continue;
    }
    const [id = "", pidText = ""] = arg.split(":");
    const pid = Number(pidText);
    if (!ID.test(id) || !/^\d{1,10}$/.test(pidText) || pid <= 0)
      throw new Error(`each container to read is <64-hex id>:<pid>, not "${arg}"`);
    targets.push({ id, pid });
  }
  return { targets, ...(firewallBackend ? { firewallBackend } : {}) };
}

/**
 * Reads the host and each target's namespace and DNS hooks with `kernel` (in the helper:
 * createLinuxKernel reading its own namespace as the host's). A read that fails is kept with its
 * reason: the document always says, per fact, what was read or why not.
 */
export async function readKernelFacts(
  kernel: KernelReader,
  targets: readonly FactsTarget[],
  firewallBackend?: string,
): Promise<KernelFacts> {
  const [host, firewall] = await Promise.all([kernel.readHost(), kernel.readFirewall(firewallBackend)]);
  const reads = await mapLimit([...targets], 8, async (t) => {
    const [netns, dnsRules] = await Promise.all([
      kernel.readNetns(t.id, t.pid),
      kernel.readDnsRules(t.id, t.pid, firewallBackend),
    ]);
    return [t.id, { pid: t.pid, netns, dnsRules }] as const;
  });
  return { version: KERNEL_FACTS_VERSION, host, containers: Object.fromEntries(reads), firewall };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A read that is either `{ ok: true, <arrays> }` or `{ ok: false, reason }`. */
function checkRead(v: unknown, arrays: readonly string[], what: string): void {
  if (!isObject(v)) throw new Error(`${what} is not an object`);
  if (v.ok === false) {
    if (typeof v.reason !== "string") throw new Error(`${what} failed without a reason`);
    return;
  }
  if (v.ok !== true) throw new Error(`${what} says neither ok nor not ok`);
  for (const key of arrays) if (!Array.isArray(v[key])) throw new Error(`${what} has no list "${key}"`);
}

/**
 * The helper's stdout as {@link KernelFacts}. Checks the shape (every read ok with its lists, or
 * not ok with a reason; containers keyed by full id with their pid) so that a wrong image or a
 * truncated stream is a sentence, not a broken picture. Throws an Error that says what is wrong.
 */
export function parseKernelFacts(text: string): KernelFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 80);
    throw new Error(`its output is not JSON (${start ? `it begins "${start}"` : "it printed nothing"})`);
  }
  if (!isObject(doc)) throw new Error("its output is not a JSON object");
  if (doc.version !== KERNEL_FACTS_VERSION)
    throw new Error(
      `it speaks version ${String(doc.version)} of the facts, and this netdive reads ${KERNEL_FACTS_VERSION}`,
    );
  checkRead(doc.host, ["links", "defaultRoutes"], "the host read");
  if (doc.firewall !== undefined) {
    if (!isObject(doc.firewall)) throw new Error("its firewall read is not an object");
    checkRead(doc.firewall.rules, [], "the firewall read");
    checkRead(doc.firewall.proxies, ["proxies"], "the docker-proxy read");
  }
  if (!isObject(doc.containers)) throw new Error("it lists no containers");
  for (const [id, entry] of Object.entries(doc.containers)) {
    if (!ID.test(id)) throw new Error(`it names a container "${id.slice(0, 80)}", not a full id`);
    if (!isObject(entry) || !Number.isInteger(entry.pid)) throw new Error(`container ${id} has no pid`);
    checkRead(entry.netns, ["links"], `the namespace read of ${id}`);
    checkRead(entry.dnsRules, ["rules"], `the DNS hook read of ${id}`);
  }
  return doc as unknown as KernelFacts;
}

/** Whether a container is a kernel helper (by its label): netdive's own machinery, not drawn. */
export function isKernelHelper(container: Pick<RawContainer, "Config">): boolean {
  return container.Config.Labels?.[KERNEL_HELPER_LABEL] === "1";
}
