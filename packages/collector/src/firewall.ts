import { readdir, readFile, readlink } from "node:fs/promises";
import {
  mergeRulesets,
  parseIptablesSave,
  parseNftRuleset,
  parseProxyArgs,
  type ProxyProcess,
  type Ruleset,
} from "@netdive/model";

/**
 * The host's firewall and userland proxies, read when someone asks (a reach question, a click on
 * a published port), never on every collection. Kept apart from kernel.ts: it only needs a way
 * to run a program in the host's network namespace, which kernel.ts passes in.
 */

/** Runs argv in the engine's host network namespace and returns its stdout. */
export type InHost = (argv: string[]) => Promise<string>;

/** The host's rules as read with the tool the engine's backend names, or why they could not be. */
export type FirewallRead = { ok: true; rules: Ruleset; tools: string[]; ms: number } | { ok: false; reason: string };

/** The docker-proxy processes of the host's namespace, or why they could not be listed. */
export type ProxiesRead = { ok: true; proxies: ProxyProcess[] } | { ok: false; reason: string };

function firstLine(err: unknown): string {
  const e = err as { code?: string; stderr?: string; message?: string };
  if (e.code === "ENOENT") return "not installed";
  return (e.stderr?.trim() || e.message || String(err)).split("\n")[0] ?? "";
}

/**
 * iptables-save (every table) always: Docker 20.10 and 28 keep their bridge and NAT rules there
 * with either backend. With the nftables backend, nft's whole ruleset too (Docker 29's
 * docker-bridges, a firewall manager's tables); the tables iptables-nft manages are taken from
 * iptables-save, whose text keeps the DNAT destinations nft's JSON hides.
 */
export async function readHostFirewall(inHost: InHost, firewallBackend?: string): Promise<FirewallRead> {
  const started = performance.now();
  const backend = firewallBackend?.split("+")[0];
  let iptables: Ruleset | null = null;
  const tools: string[] = [];
  let iptablesError = "";
  // Docker writes with whichever iptables it found (nft or legacy); the one that holds DOCKER wins.
  for (const tool of ["iptables-save", "iptables-legacy-save"]) {
    try {
      const text = await inHost([tool]);
      const parsed = parseIptablesSave(text);
      iptables ??= parsed;
      if (/^:DOCKER\b/m.test(text)) {
        iptables = parsed;
        tools[0] = tool;
        break;
      }
    } catch (err) {
      iptablesError ||= firstLine(err);
    }
  }
  if (iptables && tools.length === 0) tools.push("iptables-save");
  if (backend !== "nftables") {
    return iptables
      ? { ok: true, rules: iptables, tools, ms: performance.now() - started }
      : {
          ok: false,
          reason: `Reading the host's firewall with iptables-save failed (${iptablesError}) — install iptables on the Docker host.`,
        };
  }
  let nft: Ruleset;
  try {
    nft = parseNftRuleset(await inHost(["nft", "-j", "list", "ruleset"]));
    tools.push("nft -j list ruleset");
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    const missing = e.code === "ENOENT" || /failed to execute nft/.test(String(e.stderr ?? ""));
    return {
      ok: false,
      reason: missing
        ? "The engine keeps its rules in nftables and `nft` is not installed here, so they cannot be read — install nftables (apt-get install nftables)."
        : `Reading the host's nftables ruleset failed: ${firstLine(err)}.`,
    };
  }
  const empty: Ruleset = { from: "iptables", chains: [], rules: [] };
  return { ok: true, rules: mergeRulesets(iptables ?? empty, nft), tools, ms: performance.now() - started };
}

/**
 * The docker-proxy processes whose network namespace is `hostNetns` (a `net:[…]` link), from
 * `/proc/PID/cmdline`: a proxy of another engine on this machine (its own namespace) is not this
 * engine's.
 */
export async function readProxies(proc: string, hostNetns: string): Promise<ProxiesRead> {
  let pids: string[];
  try {
    pids = (await readdir(proc)).filter((p) => /^\d+$/.test(p));
  } catch (err) {
    return { ok: false, reason: `Listing the host's processes in ${proc} failed: ${firstLine(err)}.` };
  }
  const proxies: ProxyProcess[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const argv = (await readFile(`${proc}/${pid}/cmdline`, "utf8")).split("\0").filter(Boolean);
        const proxy = parseProxyArgs(Number(pid), argv);
        if (!proxy) return;
        if ((await readlink(`${proc}/${pid}/ns/net`)) === hostNetns) proxies.push(proxy);
      } catch {
        // A process that ended during the scan, or one whose namespace is hidden: not a proxy we can place.
      }
    }),
  );
  return { ok: true, proxies: proxies.sort((a, b) => a.pid - b.pid) };
}
