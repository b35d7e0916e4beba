import { readdir, readFile, readlink } from "node:fs/promises";
import {
  DEFAULT_TIMEOUTS,
  parseConntrack,
  parseSocketTable,
  timeoutKey,
  type ConntrackTimeouts,
  type FlowTables,
  type NetnsSockets,
} from "@netdive/model";

/** A container whose own network namespace's sockets are read: its pid is a process in it. */
export interface FlowNamespace {
  containerId: string;
  name: string;
  pid: number;
}

/** One read of an engine's flow tables, and what of it could not be read. */
export interface FlowRead extends FlowTables {
  unavailable: string[];
}

export interface FlowReaderOptions {
  /** Where /proc is (tests point it elsewhere). */
  proc?: string;
}

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
  let hostPid: Promise<"self" | "1"> | undefined;
  let timeouts: Promise<ConntrackTimeouts> | undefined;
  // Pids whose cgroup was seen to name their container (pids are per pid namespace).
  const proven = new Map<string, number>();

  const whichHost = () =>
    (hostPid ??= Promise.all(
      ["1/ns/net", "self/ns/net", "1/ns/mnt", "self/ns/mnt"].map((p) => readlink(`${proc}/${p}`)),
    ).then(
      ([initNet, selfNet, initMnt, selfMnt]) => (initNet === selfNet || initMnt === selfMnt ? "self" : "1"),
      () => "self" as const,
    ));

  /** The kernel's conntrack timeouts, read once: sysctls answer for the reader's own namespace. */
  const readTimeouts = async (): Promise<ConntrackTimeouts> => {
    if ((await whichHost()) !== "self") return DEFAULT_TIMEOUTS;
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

  const ownPid = async (ns: FlowNamespace): Promise<boolean> => {
    if (proven.get(ns.containerId) === ns.pid) return true;
    const cgroup = await readFile(`${proc}/${ns.pid}/cgroup`, "utf8").catch(() => "");
    if (!cgroup.includes(ns.containerId)) return false;
    proven.set(ns.containerId, ns.pid);
    return true;
  };

  const readSockets = async (ns: FlowNamespace, unavailable: string[]): Promise<NetnsSockets[]> => {
    if (!(await ownPid(ns))) {
      unavailable.push(`${ns.name}: process ${ns.pid} is not visible here, so its sockets were not read`);
      return [];
    }
    const tables = await Promise.all(
      SOCKET_TABLES.map(async (table) => {
        try {
          const text = await readFile(`${proc}/${ns.pid}/net/${table}`, "utf8");
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

  /** One read: the host's conntrack table and the sockets of every namespace given. */
  return async function read(engineId: string, namespaces: readonly FlowNamespace[]): Promise<FlowRead> {
    const unavailable: string[] = [];
    const pid = await whichHost();
    const file = `${proc}/${pid}/net/nf_conntrack`;
    const [conntrack, sockets, kernelTimeouts] = await Promise.all([
      readFile(file, "utf8").then(parseConntrack, (err: NodeJS.ErrnoException) => {
        unavailable.push(
          err.code === "ENOENT"
            ? `${file} does not exist: connection tracking is not loaded on this host (no NAT rule uses it yet), so only the containers' sockets are read`
            : `cannot read ${file}: ${err.message} — flows need root on the Docker host (or --pid host in a container)`,
        );
        return null;
      }),
      Promise.all(namespaces.map((ns) => readSockets(ns, unavailable))).then((lists) => lists.flat()),
      (timeouts ??= readTimeouts()),
    ]);
    return { engineId, conntrack, sockets, timeouts: kernelTimeouts, unavailable };
  };
}

export type FlowReader = ReturnType<typeof createFlowReader>;
