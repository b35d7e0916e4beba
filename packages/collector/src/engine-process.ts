import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { basename } from "node:path";

/** The process that listens on an engine's unix socket: the engine itself (dockerd), or what fronts it. */
export interface EngineProcess {
  pid: number;
  /** Its command name (`/proc/PID/comm`), e.g. "dockerd". */
  comm: string;
  /** Its network namespace as the kernel names it, e.g. "net:[4026531840]". */
  netns: string;
}

export type EngineProcessFind = { ok: true; process: EngineProcess } | { ok: false; reason: string };

/** `__SO_ACCEPTCON` in /proc/net/unix's Flags column: the socket listens. */
const LISTENING = 0x10000;

/** Processes whose name says they serve a container engine's API: looked at first. */
const ENGINE_NAMES = ["dockerd", "podman", "rootlesskit", "containerd"];

/**
 * Which process listens on the unix socket `socketPath`, and in which network namespace it runs.
 *
 * This is what SO_PEERCRED says for a connection to the socket (the pid of the process that called
 * listen()), read from /proc instead, which Node can do without a native addon: each network
 * namespace's /proc/PID/net/unix lists its listening sockets with their socket inode and bound
 * path, /proc/PID/fd shows which process holds that inode, and the bound path, seen from that
 * process's root, must be the very file netdive connects to (same device and inode), so a socket
 * of the same name in another mount namespace never counts. Needs root (other processes' fds).
 */
export async function findSocketListener(socketPath: string, proc = "/proc"): Promise<EngineProcessFind> {
  let own: { dev: number; ino: number };
  try {
    const s = await stat(socketPath);
    if (!s.isSocket()) return { ok: false, reason: `${socketPath} is not a unix socket.` };
    own = { dev: s.dev, ino: s.ino };
  } catch (err) {
    return { ok: false, reason: `${socketPath} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}.` };
  }
  const pids = (await readdir(proc)).filter((name) => /^\d+$/.test(name)).map(Number);
  // One read of net/unix per network namespace; its processes are the candidates.
  const byNetns = new Map<string, number[]>();
  for (const pid of pids) {
    const netns = await readlink(`${proc}/${pid}/ns/net`).catch(() => null);
    if (netns === null) continue;
    const list = byNetns.get(netns);
    if (list) list.push(pid);
    else byNetns.set(netns, [pid]);
  }
  const name = basename(socketPath);
  for (const [netns, members] of byNetns) {
    const listening = await listeningSockets(`${proc}/${members[0]}/net/unix`);
    // The same file may be bound under another name (a symlinked directory, a bind mount): a
    // matching name is tried first, any listener after.
    const candidates = [
      ...listening.filter((l) => basename(l.path) === name),
      ...listening.filter((l) => basename(l.path) !== name),
    ];
    if (candidates.length === 0) continue;
    const wanted = new Map(candidates.map((c) => [`socket:[${c.inode}]`, c.path]));
    for (const pid of await engineNamesFirst(proc, members)) {
      const fds = await readdir(`${proc}/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`${proc}/${pid}/fd/${fd}`).catch(() => "");
        const path = wanted.get(target);
        if (path === undefined) continue;
        const bound = await stat(`${proc}/${pid}/root${path}`).catch(() => null);
        if (bound?.dev !== own.dev || bound.ino !== own.ino) continue;
        const comm = (await readFile(`${proc}/${pid}/comm`, "utf8").catch(() => "?")).trim();
        return { ok: true, process: { pid, comm, netns } };
      }
    }
  }
  return {
    ok: false,
    reason: `No process that listens on ${socketPath} is visible from here, so netdive cannot tell which network namespace is the engine's host`,
  };
}

/** The listening unix sockets with a path in one network namespace's /proc/net/unix. */
async function listeningSockets(file: string): Promise<Array<{ inode: string; path: string }>> {
  const text = await readFile(file, "utf8").catch(() => "");
  const found: Array<{ inode: string; path: string }> = [];
  for (const line of text.split("\n").slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path
    const cols = line.trim().split(/\s+/);
    const path = cols.slice(7).join(" ");
    if (cols.length < 8 || !path.startsWith("/")) continue;
    if ((parseInt(cols[3] ?? "0", 16) & LISTENING) === 0) continue;
    found.push({ inode: cols[6] ?? "", path });
  }
  return found;
}

/** The pids with an engine's name first, the rest after (in pid order). */
async function engineNamesFirst(proc: string, pids: number[]): Promise<number[]> {
  const named = await Promise.all(
    pids.map(async (pid) => ({
      pid,
      engine: ENGINE_NAMES.includes((await readFile(`${proc}/${pid}/comm`, "utf8").catch(() => "")).trim()),
    })),
  );
  return [...named.filter((p) => p.engine), ...named.filter((p) => !p.engine)].map((p) => p.pid);
}

/**
 * The /proc entry of a process in the host's namespace when no engine socket can be followed (a
 * remote engine, tests): pid 1's ("1") when it runs in another mount namespace than netdive, as
 * in a container started with `--pid host` (pid 1 is then the host's init), else netdive's own
 * ("self"). Unreadable pid-1 links (no root) count as "self".
 */
export async function hostByPidOne(proc = "/proc"): Promise<"self" | "1"> {
  try {
    const [initNet, selfNet, initMnt, selfMnt] = await Promise.all(
      ["1/ns/net", "self/ns/net", "1/ns/mnt", "self/ns/mnt"].map((p) => readlink(`${proc}/${p}`)),
    );
    return initNet === selfNet || initMnt === selfMnt ? "self" : "1";
  } catch {
    return "self";
  }
}
