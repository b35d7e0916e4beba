import { readFileSync } from "node:fs";
import type { KernelReader } from "@netdive/collector";

/**
 * The Linux capabilities netdive's kernel reads need, and the sentence that names the missing one.
 * Root on a host has them all; root in a container has only what `docker run` grants, and without
 * this check a missing one shows as nsenter's "Operation not permitted" on every container.
 * The set was found by experiment with the image (docs/running.md, "netdive in a container").
 */

/** Capability bit numbers (linux/capability.h). */
const BITS = { NET_ADMIN: 12, SYS_PTRACE: 19, SYS_ADMIN: 21 } as const;
export type Capability = keyof typeof BITS;

/** What netdive cannot do without each capability, in the order a reader should add them. */
const NEEDED: readonly { capability: Capability; without: string }[] = [
  {
    capability: "SYS_PTRACE",
    without: "cannot open other processes' namespaces (/proc/PID/ns, /proc/PID/root)",
  },
  { capability: "SYS_ADMIN", without: "cannot enter container network namespaces (setns)" },
  {
    capability: "NET_ADMIN",
    without: "cannot read the firewall (iptables-save, nft), so no DNS hooks and no rules as evidence",
  },
];

/** One capability netdive needs and lacks, with what that costs. */
export interface MissingCapability {
  capability: Capability;
  /** "cannot enter container network namespaces (setns)". */
  without: string;
}

/** The effective capabilities in a /proc/PID/status text (its CapEff line); null when it has none. */
export function effectiveCapabilities(status: string): Set<Capability> | null {
  const hex = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(status)?.[1];
  if (hex === undefined) return null;
  const mask = BigInt(`0x${hex}`);
  const caps = new Set<Capability>();
  for (const [name, bit] of Object.entries(BITS)) if ((mask >> BigInt(bit)) & 1n) caps.add(name as Capability);
  return caps;
}

/** The capabilities netdive needs that `effective` lacks; none when it cannot tell (not Linux). */
export function missingCapabilities(effective: ReadonlySet<Capability> | null): MissingCapability[] {
  if (effective === null) return [];
  return NEEDED.filter((n) => !effective.has(n.capability));
}

/** "netdive cannot enter …: CAP_SYS_ADMIN is missing — add --cap-add SYS_ADMIN …". */
export function sentence(missing: readonly MissingCapability[]): string {
  const what = missing.map((m) => `${m.without}: CAP_${m.capability} is missing`).join("; ");
  const add = missing.map((m) => `--cap-add ${m.capability}`).join(" ");
  return `netdive ${what} — add ${add} to its docker run line (or run it as root on the Docker host).`;
}

/** This process's missing capabilities, read once from /proc/self/status. */
export function ownMissingCapabilities(statusPath = "/proc/self/status"): MissingCapability[] {
  let status: string;
  try {
    status = readFileSync(statusPath, "utf8");
  } catch {
    return [];
  }
  return missingCapabilities(effectiveCapabilities(status));
}

/**
 * The kernel reader, with the missing capabilities said first: without SYS_PTRACE or SYS_ADMIN no
 * namespace can be entered, so kernel facts are unavailable with that sentence; without NET_ADMIN
 * only the firewall read (the DNS hooks) is, with its own sentence. A reader that is unavailable
 * for another reason (not root, a remote engine) keeps that reason.
 */
export function withCapabilities(
  kernel: KernelReader,
  missing: readonly MissingCapability[],
  root = process.getuid?.() === 0,
): KernelReader {
  const namespaces = missing.filter((m) => m.capability !== "NET_ADMIN");
  const firewall = missing.filter((m) => m.capability === "NET_ADMIN");
  if (missing.length === 0) return kernel;
  // Delegates method by method (not a spread) so a class-based reader keeps its `this`.
  return {
    readHost: (options) => kernel.readHost(options),
    readNetns: (containerId, pid) => kernel.readNetns(containerId, pid),
    forget: (keep) => kernel.forget?.(keep),
    close: () => kernel.close?.(),
    hostProc: async () => kernel.hostProc?.(),
    async unavailableReason(engineUrl) {
      const own = await kernel.unavailableReason(engineUrl);
      if (namespaces.length === 0) return own;
      // Root with a local socket but without the capabilities: the engine's process and its
      // namespace cannot be seen (the reader's own reason) exactly because of what is missing.
      const rootWithSocket = root && engineUrl.startsWith("unix://");
      return own === null || rootWithSocket ? sentence(namespaces) : own;
    },
    async readDnsRules(containerId, pid, firewallBackend) {
      if (firewall.length > 0) return { ok: false, reason: sentence(firewall) };
      return kernel.readDnsRules(containerId, pid, firewallBackend);
    },
    async readFirewall(firewallBackend) {
      // The process list needs no NET_ADMIN: the proxies stay, the rules say what is missing.
      const read = await kernel.readFirewall(firewallBackend);
      return firewall.length === 0 ? read : { ...read, rules: { ok: false, reason: sentence(firewall) } };
    },
  };
}
