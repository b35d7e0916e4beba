import { closeSync, openSync, readSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import {
  DEFAULT_TIMEOUTS,
  parseConntrack,
  parseSocketTable,
  timeoutKey,
  type ConntrackTimeouts,
  type FlowTables,
  type NetnsSockets,
} from "@netdive/model";
import { hostByPidOne } from "./engine-process";

/** A container whose own network namespace's sockets are read: its pid is a process in it. */
export interface FlowNamespace {
  containerId: string;
  name: string;
  pid: number;
}

/** One read of an engine's flow tables, and what of it could not be read. */
export interface FlowRead extends FlowTables {
  unavailable: string[];
  /** Why the containers' socket tables were read, or why not. */
  socketsWhy: string;
}

export interface FlowReaderOptions {
  /** Where /proc is (tests point it elsewhere). */
  proc?: string;
  /**
   * `auto` (the default): read the containers' socket tables only where the host's conntrack
   * cannot see traffic inside a bridge (br_netfilter off); `always`: read them on every read.
   */
  sockets?: "auto" | "always";
}

/**
 * A whole /proc table. Each read() of a seq_file returns at most about a page (4 KiB: some twenty
 * conntrack entries or thirty socket rows), whatever the buffer, so it is read until read()
 * returns 0; a short read is not the end (reading only the first one missed every connection
 * past the first page: checked, a 26 KB conntrack table came in 4 KiB reads). Synchronous, like
 * the kernel reader's fingerprints: kernel files never wait on a disk.
 */
export function readProc(path: string): string {
  const fd = openSync(path, "r");
  try {
    const parts: string[] = [];
    for (;;) {
      const n = readSync(fd, BUFFER, 0, BUFFER.length, null);
      if (n === 0) return parts.join("");
      parts.push(BUFFER.toString("utf8", 0, n));
    }
  } finally {
    closeSync(fd);
  }
}

const BUFFER = Buffer.alloc(64 * 1024);

/** The socket tables of a namespace; tcp6/udp6 are absent when IPv6 is off. */
const SOCKET_TABLES = ["tcp", "tcp6", "udp", "udp6"] as const;

/**
 * Reads the host's conntrack table and each container's socket tables from /proc: no process is
 * started, so a read costs a few file reads (see the bench's flows section).
 *
 * /proc/<pid>/net/nf_conntrack is per network namespace: the host's is read through a process in
 * it. That is netdive's own when it runs on the host (or beside a private engine, in its
 * namespace), and pid 1 when it runs in a container with --pid host. The same rule as the
 * kernel reader's host namespace (kernel.ts): pid 1's when it is in another mount namespace.
 */
export function createFlowReader(options: FlowReaderOptions = {}) {
  const proc = options.proc ?? "/proc";
  const socketsMode = options.sockets ?? "auto";
  // Per host namespace (a /proc entry: "self", "1" or the engine's pid): whether sockets are needed.
  const socketsNeeded = new Map<string, Promise<{ read: boolean; why: string }>>();
  let hostPid: Promise<"self" | "1"> | undefined;
  const timeouts = new Map<string, Promise<ConntrackTimeouts>>();
  // Pids whose cgroup was seen to name their container (pids are per pid namespace).
  const proven = new Map<string, number>();

  const whichHost = () => (hostPid ??= hostByPidOne(proc));

  /** The kernel's conntrack timeouts, read once: sysctls answer for the reader's own namespace. */
  const readTimeouts = async (host: string): Promise<ConntrackTimeouts> => {
    if (host !== "self") return DEFAULT_TIMEOUTS;
    const dir = `${proc}/sys/net/netfilter`;
    const names = await readdir(dir).catch(() => [] as string[]);
    const read: ConntrackTimeouts = { ...DEFAULT_TIMEOUTS };
    for (const name of names) {
      const key = timeoutKey(name);
      if (!key) continue;
      const value = Number((await readFile(`${dir}/${name}`, "utf8").catch(() => "")).trim());
      if (Number.isFinite(value) && value > 0) read[key] = value;
    }
    return read;
  };

  /**
   * With br_netfilter's bridge-nf-call-iptables on, packets between two containers of one bridge
   * pass the host's iptables hooks, so its conntrack holds them (checked on this host): the
   * socket tables add nothing but cost (~2 ms of kernel time per table per container).
   */
  const whetherSockets = async (host: string): Promise<{ read: boolean; why: string }> => {
    if (socketsMode === "always")
      return { read: true, why: "socket tables read on every read (NETDIVE_FLOWS_SOCKETS=always)" };
    const own = host === "self";
    const flag = own
      ? (await readFile(`${proc}/sys/net/bridge/bridge-nf-call-iptables`, "utf8").catch(() => "")).trim()
      : "";
    if (flag === "1")
      return {
        read: false,
        why: "br_netfilter is on (bridge-nf-call-iptables=1): the host's conntrack sees traffic inside each bridge, so the containers' socket tables are not read",
      };
    return {
      read: true,
      why: own
        ? "br_netfilter is off: traffic inside a bridge never reaches the host's conntrack, so each container's socket tables are read"
        : "the host's bridge-nf-call-iptables is not visible from this namespace, so each container's socket tables are read",
    };
  };

  const ownPid = async (ns: FlowNamespace): Promise<boolean> => {
    if (proven.get(ns.containerId) === ns.pid) return true;
    const cgroup = await readFile(`${proc}/${ns.pid}/cgroup`, "utf8").catch(() => "");
    if (!cgroup.includes(ns.containerId)) return false;
    proven.set(ns.containerId, ns.pid);
    return true;
  };

  const socketsOf = async (ns: FlowNamespace, unavailable: string[]): Promise<NetnsSockets[]> => {
    if (!(await ownPid(ns))) {
      unavailable.push(`${ns.name}: process ${ns.pid} is not visible here, so its sockets were not read`);
      return [];
    }
    const tables = await Promise.all(
      SOCKET_TABLES.map(async (table) => {
        try {
          const text = readProc(`${proc}/${ns.pid}/net/${table}`);
          return { containerId: ns.containerId, table: `${ns.name} ${table}`, rows: parseSocketTable(text, table) };
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // v6 tables are absent with IPv6 off; a container that just stopped has no /proc entry.
          if (code !== "ENOENT" && code !== "ESRCH")
            unavailable.push(`${ns.name}: cannot read /proc/${ns.pid}/net/${table}: ${(err as Error).message}`);
          return null;
        }
      }),
    );
    return tables.filter((t): t is NetnsSockets => t !== null && t.rows.length > 0);
  };

  /**
   * One namespace after another, yielding between them: the reads are synchronous (~1 ms of
   * kernel time per table), and the stream's clients must not wait behind all of them at once.
   */
  const socketsOfAll = async (namespaces: readonly FlowNamespace[], unavailable: string[]) => {
    const all: NetnsSockets[] = [];
    for (const ns of namespaces) {
      all.push(...(await socketsOf(ns, unavailable)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return all;
  };

  /** One read: the host's conntrack table and the sockets of every namespace given. */
  return async function read(
    engineId: string,
    namespaces: readonly FlowNamespace[],
    /**
     * The /proc entry of a process in the engine's host namespace ("self", or the engine's pid as
     * its kernel reader found it); by default netdive's own, or pid 1's in a container.
     */
    hostProc?: string,
  ): Promise<FlowRead> {
    const unavailable: string[] = [];
    const host = hostProc ?? (await whichHost());
    const file = `${proc}/${host}/net/nf_conntrack`;
    let conntrack: FlowRead["conntrack"] = null;
    try {
      conntrack = parseConntrack(readProc(file));
    } catch (err) {
      unavailable.push(
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? `${file} does not exist: connection tracking is not loaded on this host (no NAT rule uses it yet)`
          : `cannot read ${file}: ${(err as Error).message} — flows need root on the Docker host (or --pid host in a container)`,
      );
    }
    if (!socketsNeeded.has(host)) socketsNeeded.set(host, whetherSockets(host));
    const wanted = await (socketsNeeded.get(host) as Promise<{ read: boolean; why: string }>);
    // Without the host's conntrack the sockets are all there is.
    const readSockets = wanted.read || conntrack === null;
    const socketsWhy = wanted.read
      ? wanted.why
      : conntrack === null
        ? "the host's conntrack could not be read, so each container's socket tables are read"
        : wanted.why;
    const [sockets, kernelTimeouts] = await Promise.all([
      readSockets ? socketsOfAll(namespaces, unavailable) : Promise.resolve([]),
      timeouts.get(host) ?? (timeouts.set(host, readTimeouts(host)).get(host) as Promise<ConntrackTimeouts>),
    ]);
    return { engineId, conntrack, sockets, timeouts: kernelTimeouts, unavailable, socketsWhy };
  };
}

export type FlowReader = ReturnType<typeof createFlowReader>;
