import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readlink } from "node:fs/promises";
import {
  parseDnsRules,
  parseNftDnsRules,
  type DnsRule,
  type IpLink,
  type IpRoute,
  type NetnsRead,
} from "@netdive/model";
import { findSocketListener, hostByPidOne, type EngineProcessFind } from "./engine-process";
import { readHostFirewall, readProxies, type FirewallRead, type ProxiesRead } from "./firewall";

/**
 * The embedded DNS hooks of a namespace, and the firewall they were read from; an empty list means
 * the tables were read and hold none.
 */
export type DnsRulesRead =
  { ok: true; rules: DnsRule[]; from: "iptables" | "nftables" } | { ok: false; reason: string };

/** The host's firewall rules and userland proxies, each read or not with its reason. */
export interface HostFirewall {
  rules: FirewallRead;
  proxies: ProxiesRead;
}

/** The host namespace's links and default routes. */
export type HostRead = { ok: true; links: IpLink[]; defaultRoutes: IpRoute[] } | { ok: false; reason: string };

/**
 * What netdive reads from the kernel of the Docker host. Behind an interface so the collector's
 * logic runs in tests without root, and so "not visible from here" is one decision, made once.
 */
export interface KernelReader {
  /** Why kernel facts cannot be read for this engine, or null when they can. */
  unavailableReason(engineUrl: string): Promise<string | null>;
  /**
   * The host's links and default routes. With `cached`, a read made since the last change the
   * kernel announced (rtnetlink, through `ip monitor`) may be returned instead of running `ip`.
   */
  readHost(options?: { cached?: boolean }): Promise<HostRead>;
  /** The links inside a running container's network namespace. */
  readNetns(containerId: string, pid: number): Promise<NetnsRead>;
  /** Forget what is cached for containers that no longer exist. */
  forget?(keep: ReadonlySet<string>): void;
  /**
   * The embedded DNS hooks inside the namespace of `pid`: from `iptables-save -t nat` or from
   * `nft -j list table ip docker-dns`, as the engine's `firewallBackend` says (`GET /info`, API
   * 1.49+); without it (older engines), from whichever holds them.
   */
  readDnsRules(containerId: string, pid: number, firewallBackend?: string): Promise<DnsRulesRead>;
  /**
   * The host's firewall (iptables-save; with the nftables backend, nft's ruleset too) and its
   * docker-proxy processes, read when asked: a reach question, a click on a published port.
   */
  readFirewall(firewallBackend?: string): Promise<HostFirewall>;
  /**
   * The /proc entry of a process in the engine's host namespace ("self", or a pid), for files that
   * are per namespace (/proc/PID/net/nf_conntrack); null when that namespace is not known or not
   * visible here (a remote engine).
   */
  hostProc?(): Promise<string | null | undefined>;
  /** Stops what runs in the background (the host's change monitor). */
  close?(): void;
}

/** A running `ip monitor`; its starter calls `change` for each change it prints, `exit` once when it ends. */
export interface HostMonitor {
  stop(): void;
}
export type StartHostMonitor = (
  argv: readonly string[],
  on: { change: () => void; exit: () => void; ready: () => void },
) => HostMonitor;

/** How long after `ip monitor` started its subscription is trusted (it binds its socket right after exec). */
const MONITOR_SETTLE_MS = 100;
/** A cached host read is never older than this, whatever the monitor says. */
const HOST_CACHE_MAX_MS = 30_000;
/** After `ip monitor` failed or ended, how long before it is started again. */
const MONITOR_RETRY_MS = 30_000;

const spawnMonitor: StartHostMonitor = (argv, on) => {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "pipe", "ignore"] });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    on.exit();
  };
  child.on("spawn", () => setTimeout(on.ready, MONITOR_SETTLE_MS).unref());
  child.on("error", end);
  child.on("exit", end);
  child.stdout.on("data", on.change);
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return {
    stop() {
      end();
      child.kill();
    },
  };
};

/** Runs a program with an argv array (never a shell) and returns its stdout. */
export type Exec = (file: string, args: readonly string[]) => Promise<string>;

const execText: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 5_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr) }));
      else resolve(String(stdout));
    });
  });

function messageOf(err: unknown): string {
  const e = err as { code?: string | number; stderr?: string; message?: string };
  if (e.code === "ENOENT") return "not installed";
  return (e.stderr?.trim() || e.message || String(err)).split("\n")[0] ?? "";
}

/** Link attributes that change whenever an interface comes, goes, moves or changes state. */
const SIGNATURE_FILES = ["ifindex", "iflink", "address", "mtu", "operstate"];

/**
 * A cheap fingerprint of a namespace's interfaces and addresses, from files only: the links in
 * the container's sysfs, its local IPv4 addresses and routes (fib_trie) and its IPv6 addresses.
 * Any change that `ip -j -d addr show` would report changes one of these. Null when unreadable.
 */
function netnsSignature(proc: string, pid: number): string | null {
  // Synchronous on purpose: these are kernel-generated files that never wait on a disk, and one
  // namespace's dozen reads take ~0.3 ms here, 2-5x less than the same reads through libuv's
  // four-thread pool. The event loop still turns between namespaces.
  try {
    const sys = `${proc}/${pid}/root/sys/class/net`;
    const names = readdirSync(sys).sort();
    const parts = names.flatMap((name) => SIGNATURE_FILES.map((f) => readOr(`${sys}/${name}/${f}`, "?")));
    parts.push(readFileSync(`${proc}/${pid}/net/fib_trie`, "utf8"), readOr(`${proc}/${pid}/net/if_inet6`, ""));
    return `${names.join(",")}\n${parts.join("|")}`;
  } catch {
    return null;
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

export interface LinuxKernelOptions {
  exec?: Exec;
  /** Where /proc is (tests point it elsewhere). */
  proc?: string;
  /** Whether this process may enter namespaces; defaults to "runs as root". */
  privileged?: boolean;
  /**
   * Watches the host for link, address and route changes so a full collection can skip the host's
   * `ip` calls when nothing changed. By default `ip monitor` when `exec` is the real one; none
   * (every host read runs `ip`) when it is injected.
   */
  monitor?: StartHostMonitor | null;
  /** Clock for the host cache's age (tests). */
  now?: () => number;
  /**
   * The engine whose host is read. For a unix socket, the process listening on it (dockerd) is
   * found and the host is read in ITS network namespace: a private engine, rootless Docker or an
   * engine in a namespace of its own keeps its bridges and veths there, not in netdive's. Without
   * it, the url first given to `unavailableReason` is used.
   */
  engineUrl?: string;
  /** Finds the process listening on a unix socket (tests inject one); /proc by default. */
  findListener?: (socketPath: string) => Promise<EngineProcessFind>;
  /**
   * Which network namespace is the host's. "engine" (the default): the engine's, found as above.
   * "own": this process's, always: the kernel helper runs with `--network host` on the engine it
   * reads, so its own namespace is that engine's host, while pid 1 (`--pid host`) may be the
   * machine's init in another namespace (a private engine's, rootless Docker's).
   */
  hostNamespace?: "engine" | "own";
}

/** Where the engine's host is read: directly (`prefix` empty) or through nsenter into its namespace. */
type HostNamespace = { ok: true; prefix: string[]; netns: string | null } | { ok: false; reason: string };

/** The engine's namespace is not known; the message is the whole sentence for the user. */
class NamespaceUnknown extends Error {}

/** The path of a unix:// engine url, or null for any other. */
function socketPathOf(engineUrl: string | undefined): string | null {
  if (!engineUrl?.startsWith("unix://")) return null;
  return engineUrl.slice("unix://".length) || null;
}

/**
 * Reads the kernel with iproute2 (`ip -j -d addr show`), nsenter and iptables-save, the recipes of
 * DESIGN.md. The engine's host is the network namespace of the process that listens on its socket
 * (dockerd): netdive's own on a plain host, another one for a private or rootless engine, and
 * reachable from a container only with `--pid host`. When that process cannot be seen, kernel
 * facts are unavailable with the reason, never read from a namespace that may not be the engine's.
 */
export function createLinuxKernel(options: LinuxKernelOptions = {}): KernelReader {
  const exec = options.exec ?? execText;
  const proc = options.proc ?? "/proc";
  const privileged = options.privileged ?? process.getuid?.() === 0;
  const findListener = options.findListener ?? ((path: string) => findSocketListener(path, proc));
  let socketPath = socketPathOf(options.engineUrl);
  let legacyPrefix: Promise<string[]> | undefined;
  // The engine's process as last found, and the namespace it was in then.
  let engine: { pid: number; netns: string } | null = null;
  let resolving: Promise<HostNamespace> | null = null;
  // What `ip` last said for each container's namespace, and the fingerprint it was read at:
  // a collection re-runs `ip` only for namespaces whose fingerprint moved.
  const lastRead = new Map<string, { pid: number; signature: string; links: IpLink[] }>();
  // Pids whose cgroup was seen to name their container: a container's pid stays its own while it runs.
  const provenPids = new Map<string, number>();
  const startMonitor = options.monitor === undefined ? (options.exec ? null : spawnMonitor) : options.monitor;
  const now = options.now ?? Date.now;
  // The host read is cached while `ip monitor` runs, has settled, and printed nothing since the read began.
  const host = {
    monitor: null as HostMonitor | null,
    /** The network namespace the running monitor watches. */
    monitorNetns: null as string | null,
    ready: false,
    changes: 0,
    retryAt: 0,
    cached: null as { read: HostRead & { ok: true }; changes: number; at: number } | null,
  };

  // Without a known engine socket (a remote engine, tests): the host is pid 1's namespace when
  // netdive runs in a container (`--pid host`: pid 1 is the host's init, in another mount
  // namespace), else netdive's own.
  const pidOnePrefix = () =>
    (legacyPrefix ??= hostByPidOne(proc).then((host) => (host === "self" ? [] : ["nsenter", "-t", "1", "-n"])));

  /**
   * The engine's host namespace: that of the process listening on its socket (found once, found
   * again when that process is gone or has moved, e.g. a restarted private engine). Entered with
   * nsenter only when it is not netdive's own, so a netdive started inside it reads it directly.
   */
  const hostNamespace = (): Promise<HostNamespace> =>
    // Reads that start together (the host's links and routes) share one answer.
    (resolving ??= resolveHostNamespace().finally(() => {
      resolving = null;
    }));
  const resolveHostNamespace = async (): Promise<HostNamespace> => {
    if (options.hostNamespace === "own") return { ok: true, prefix: [], netns: null };
    if (socketPath === null) return { ok: true, prefix: await pidOnePrefix(), netns: null };
    const still = engine && (await readlink(`${proc}/${engine.pid}/ns/net`).catch(() => null));
    if (!engine || still !== engine.netns) {
      const found = await findListener(socketPath);
      if (!found.ok) {
        engine = null;
        return {
          ok: false,
          reason: `${found.reason.replace(/\.$/, "")} — run netdive as root on the Docker host, or in a container with --pid host and --cap-add SYS_PTRACE.`,
        };
      }
      engine = { pid: found.process.pid, netns: found.process.netns };
    }
    const self = await readlink(`${proc}/self/ns/net`).catch(() => null);
    return {
      ok: true,
      prefix: self === engine.netns ? [] : ["nsenter", "-t", String(engine.pid), "-n"],
      netns: engine.netns,
    };
  };

  const inHost = async (args: string[]) => {
    const ns = await hostNamespace();
    if (!ns.ok) throw new NamespaceUnknown(ns.reason);
    const { prefix } = ns;
    return prefix.length === 0
      ? exec(args[0] as string, args.slice(1))
      : exec(prefix[0] as string, [...prefix.slice(1), ...args]);
  };

  /** The pid belongs to this container only if its cgroup names the container: pids are per namespace. */
  const checkPid = (containerId: string, pid: number): string | null => {
    if (!Number.isInteger(pid) || pid <= 0) return "The container has no process.";
    if (provenPids.get(containerId) === pid) return null;
    if (readOr(`${proc}/${pid}/cgroup`, "").includes(containerId)) {
      provenPids.set(containerId, pid);
      return null;
    }
    return `Process ${pid} of this container is not visible here — run netdive on the Docker host, or in a container with --pid host.`;
  };

  /** Stops the monitor (the namespace it watches is no longer the engine's, or netdive closes). */
  const stopMonitor = () => {
    host.monitor?.stop();
    host.monitor = null;
    host.monitorNetns = null;
    host.ready = false;
    host.cached = null;
  };

  /** Starts `ip monitor` in the host's namespace if it is not running (at most once every 30 s). */
  const watchHost = async () => {
    if (!startMonitor) return;
    const ns = await hostNamespace();
    // The engine moved to another namespace (restarted in a new one): what was watched is not its host.
    if (host.monitor && (!ns.ok || ns.netns !== host.monitorNetns)) stopMonitor();
    if (!ns.ok || host.monitor || now() < host.retryAt) return;
    host.retryAt = now() + MONITOR_RETRY_MS;
    const monitor = startMonitor([...ns.prefix, "ip", "monitor", "link", "address", "route"], {
      change: () => {
        host.changes++;
        host.cached = null;
      },
      ready: () => {
        if (host.monitor === monitor) host.ready = true;
      },
      exit: () => {
        if (host.monitor !== monitor) return;
        host.monitor = null;
        host.monitorNetns = null;
        host.ready = false;
        host.cached = null;
      },
    });
    host.monitor = monitor;
    host.monitorNetns = ns.netns;
  };

  const readHostNow = async (): Promise<HostRead> => {
    try {
      const [links, routes] = await Promise.all([
        inHost(["ip", "-j", "-d", "addr", "show"]),
        inHost(["ip", "-j", "route", "show", "default"]),
      ]);
      return {
        ok: true,
        links: JSON.parse(links) as IpLink[],
        defaultRoutes: JSON.parse(routes || "[]") as IpRoute[],
      };
    } catch (err) {
      if (err instanceof NamespaceUnknown) return { ok: false, reason: err.message };
      return { ok: false, reason: `Reading the host's interfaces failed: ${messageOf(err)}.` };
    }
  };

  return {
    async unavailableReason(engineUrl) {
      if (!engineUrl.startsWith("unix://")) {
        return `The engine at ${engineUrl} is not a local socket, so its host's interfaces, veth pairs and DNS hooks are not visible from here — run netdive on the Docker host.`;
      }
      if (!privileged) {
        return "netdive is not running as root, so it cannot enter network namespaces — run it as root on the Docker host to see interfaces, veth pairs and DNS hooks.";
      }
      try {
        await exec("ip", ["-V"]);
      } catch {
        return "iproute2's `ip` is not installed, so host interfaces cannot be read — install it (apt-get install iproute2).";
      }
      try {
        await exec("nsenter", ["--version"]);
      } catch {
        return "`nsenter` is not installed, so container namespaces cannot be entered — install util-linux.";
      }
      socketPath ??= socketPathOf(engineUrl);
      const ns = await hostNamespace();
      return ns.ok ? null : ns.reason;
    },

    async readHost(readOptions) {
      await watchHost();
      // Let the monitor's pending output (a change the kernel announced a moment ago) be read first.
      if (readOptions?.cached) await new Promise<void>((resolve) => setImmediate(resolve));
      const hit = host.cached;
      if (
        readOptions?.cached &&
        hit &&
        host.ready &&
        hit.changes === host.changes &&
        now() - hit.at < HOST_CACHE_MAX_MS
      ) {
        return structuredClone(hit.read);
      }
      const trusted = host.ready;
      const changes = host.changes;
      const at = now();
      const read = await readHostNow();
      // Cache only a read that no announced change overlapped, made while the monitor was listening.
      if (read.ok && trusted && host.ready && changes === host.changes) {
        host.cached = { read: structuredClone(read), changes, at };
      }
      return read;
    },

    async readNetns(containerId, pid) {
      const invisible = checkPid(containerId, pid);
      if (invisible) return { ok: false, reason: invisible };
      const signature = netnsSignature(proc, pid);
      const last = lastRead.get(containerId);
      if (signature !== null && last?.pid === pid && last.signature === signature) {
        return { ok: true, links: structuredClone(last.links) };
      }
      try {
        const out = await exec("nsenter", ["-t", String(pid), "-n", "ip", "-j", "-d", "addr", "show"]);
        const links = JSON.parse(out) as IpLink[];
        // Fingerprint again: if the namespace moved during the read, do not trust the pair.
        if (signature !== null && signature === netnsSignature(proc, pid)) {
          lastRead.set(containerId, { pid, signature, links: structuredClone(links) });
        } else {
          lastRead.delete(containerId);
        }
        return { ok: true, links };
      } catch (err) {
        lastRead.delete(containerId);
        provenPids.delete(containerId);
        return {
          ok: false,
          reason: `Reading the container's interfaces failed (it may have just stopped): ${messageOf(err)}.`,
        };
      }
    },

    forget(keep) {
      for (const id of lastRead.keys()) if (!keep.has(id)) lastRead.delete(id);
      for (const id of provenPids.keys()) if (!keep.has(id)) provenPids.delete(id);
    },

    close() {
      stopMonitor();
      host.retryAt = Number.POSITIVE_INFINITY;
    },

    async hostProc() {
      const ns = await hostNamespace();
      if (!ns.ok) return null;
      if (ns.prefix.length === 0) return "self";
      return engine && ns.netns !== null ? String(engine.pid) : "1";
    },

    async readFirewall(firewallBackend) {
      const ns = await hostNamespace();
      if (!ns.ok) return { rules: { ok: false, reason: ns.reason }, proxies: { ok: false, reason: ns.reason } };
      // docker-proxy runs beside dockerd, in the engine's host namespace.
      const netns =
        ns.netns !== null
          ? Promise.resolve(ns.netns)
          : readlink(`${proc}/${ns.prefix.length === 0 ? "self" : "1"}/ns/net`);
      const [rules, proxies] = await Promise.all([
        readHostFirewall(inHost, firewallBackend),
        netns.then(
          (netns) => readProxies(proc, netns),
          (err: unknown) => ({
            ok: false as const,
            reason: `The host's network namespace is not visible: ${messageOf(err)}.`,
          }),
        ),
      ]);
      return { rules, proxies };
    },

    async readDnsRules(containerId, pid, firewallBackend) {
      const invisible = checkPid(containerId, pid);
      if (invisible) return { ok: false, reason: invisible };
      // With firewalld running the engine says "iptables+firewalld" (or "nftables+firewalld").
      const backend = firewallBackend?.split("+")[0];
      if (backend === "nftables") return readNftDns(exec, pid);
      const iptables = await readIptablesDns(exec, pid);
      if (backend === "iptables" || (iptables.ok && iptables.rules.length > 0)) return iptables;
      if (firewallBackend !== undefined) {
        return {
          ok: false,
          reason: `The engine's firewall backend is "${firewallBackend}", which netdive does not know how to read the DNS hooks from.`,
        };
      }
      // An engine too old to say its backend (API < 1.49): the hooks are wherever they are.
      const nft = await readNftDns(exec, pid);
      if (nft.ok && (nft.rules.length > 0 || !iptables.ok)) return nft;
      return iptables.ok ? iptables : nft.ok ? nft : { ok: false, reason: `${iptables.reason} ${nft.reason}` };
    },
  };
}

/** The DOCKER_OUTPUT DNAT rules of `iptables-save -t nat` in the namespace of `pid`. */
async function readIptablesDns(exec: Exec, pid: number): Promise<DnsRulesRead> {
  // Docker writes the hooks with whichever iptables it found (nft or legacy); try both.
  let firstRead: string | null = null;
  let lastError = "";
  for (const tool of ["iptables-save", "iptables-legacy-save", "iptables-nft-save"]) {
    try {
      const text = await exec("nsenter", ["-t", String(pid), "-n", tool, "-t", "nat"]);
      if (text.includes("DOCKER_OUTPUT")) return { ok: true, rules: parseDnsRules(text), from: "iptables" };
      firstRead ??= text;
    } catch (err) {
      lastError = messageOf(err);
    }
  }
  return firstRead !== null
    ? { ok: true, rules: [], from: "iptables" }
    : {
        ok: false,
        reason: `Reading the NAT table with iptables-save failed (${lastError}) — install iptables on the Docker host.`,
      };
}

/** The dns-dnat rules of `nft -j list table ip docker-dns` in the namespace of `pid`. */
async function readNftDns(exec: Exec, pid: number): Promise<DnsRulesRead> {
  let out: string;
  try {
    out = await exec("nsenter", ["-t", String(pid), "-n", "nft", "-j", "list", "table", "ip", "docker-dns"]);
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? "");
    // nft's own answer for a table that is not there: the namespace has no DNS hooks.
    if (/^Error: No such file or directory/m.test(stderr)) return { ok: true, rules: [], from: "nftables" };
    if (/failed to execute nft/.test(stderr) || (err as { code?: string }).code === "ENOENT") {
      return {
        ok: false,
        reason:
          "The engine keeps its DNS hooks in nftables and `nft` is not installed here, so they cannot be read — install nftables (apt-get install nftables).",
      };
    }
    return { ok: false, reason: `Reading the nftables table docker-dns failed: ${messageOf(err)}.` };
  }
  try {
    return { ok: true, rules: parseNftDnsRules(out), from: "nftables" };
  } catch (err) {
    return { ok: false, reason: `nft's JSON for the table docker-dns could not be read: ${(err as Error).message}.` };
  }
}
