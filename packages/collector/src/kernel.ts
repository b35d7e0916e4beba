import { execFile } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import type { IpLink, IpRoute, NetnsRead } from "@netdive/model";

/** The host namespace's links and default routes. */
export type HostRead = { ok: true; links: IpLink[]; defaultRoutes: IpRoute[] } | { ok: false; reason: string };

/**
 * What netdive reads from the kernel of the Docker host. Behind an interface so the collector's
 * logic runs in tests without root, and so "not visible from here" is one decision, made once.
 */
export interface KernelReader {
  /** Why kernel facts cannot be read for this engine, or null when they can. */
  unavailableReason(engineUrl: string): Promise<string | null>;
  readHost(): Promise<HostRead>;
  /** The links inside a running container's network namespace. */
  readNetns(containerId: string, pid: number): Promise<NetnsRead>;
  /** Forget what is cached for containers that no longer exist. */
  forget?(keep: ReadonlySet<string>): void;
  /** `iptables-save -t nat` inside the namespace of `pid`. */
  readNatTable(containerId: string, pid: number): Promise<{ ok: true; text: string } | { ok: false; reason: string }>;
}

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
async function netnsSignature(proc: string, pid: number): Promise<string | null> {
  try {
    const sys = `${proc}/${pid}/root/sys/class/net`;
    const names = (await readdir(sys)).sort();
    const parts = await Promise.all([
      ...names.flatMap((name) => SIGNATURE_FILES.map((f) => readFile(`${sys}/${name}/${f}`, "utf8").catch(() => "?"))),
      readFile(`${proc}/${pid}/net/fib_trie`, "utf8"),
      readFile(`${proc}/${pid}/net/if_inet6`, "utf8").catch(() => ""),
    ]);
    return `${names.join(",")}\n${parts.join("|")}`;
  } catch {
    return null;
  }
}

export interface LinuxKernelOptions {
  exec?: Exec;
  /** Where /proc is (tests point it elsewhere). */
  proc?: string;
  /** Whether this process may enter namespaces; defaults to "runs as root". */
  privileged?: boolean;
}

/**
 * Reads the kernel with iproute2 (`ip -j -d addr show`), nsenter and iptables-save, the recipes of
 * DESIGN.md. When netdive runs in a container with `--pid host`, pid 1 is the host's init and its
 * network namespace is the host's, so host reads enter it.
 */
export function createLinuxKernel(options: LinuxKernelOptions = {}): KernelReader {
  const exec = options.exec ?? execText;
  const proc = options.proc ?? "/proc";
  const privileged = options.privileged ?? process.getuid?.() === 0;
  let hostPrefix: Promise<string[]> | undefined;
  // What `ip` last said for each container's namespace, and the fingerprint it was read at:
  // a collection re-runs `ip` only for namespaces whose fingerprint moved.
  const lastRead = new Map<string, { pid: number; signature: string; links: IpLink[] }>();

  // Run `ip` in the host's namespace: directly when we are in it, through pid 1 otherwise.
  const hostNamespacePrefix = () =>
    (hostPrefix ??= Promise.all([readlink(`${proc}/1/ns/net`), readlink(`${proc}/self/ns/net`)]).then(
      ([init, self]) => (init === self ? [] : ["nsenter", "-t", "1", "-n"]),
      () => [],
    ));

  const inHost = async (args: string[]) => {
    const prefix = await hostNamespacePrefix();
    return prefix.length === 0
      ? exec(args[0] as string, args.slice(1))
      : exec(prefix[0] as string, [...prefix.slice(1), ...args]);
  };

  /** The pid belongs to this container only if its cgroup names the container: pids are per namespace. */
  const checkPid = async (containerId: string, pid: number): Promise<string | null> => {
    if (!Number.isInteger(pid) || pid <= 0) return "The container has no process.";
    try {
      const cgroup = await readFile(`${proc}/${pid}/cgroup`, "utf8");
      if (cgroup.includes(containerId)) return null;
    } catch {
      // fall through: the process is not visible from this PID namespace
    }
    return `Process ${pid} of this container is not visible here — run netdive on the Docker host, or in a container with --pid host.`;
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
      return null;
    },

    async readHost() {
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
        return { ok: false, reason: `Reading the host's interfaces failed: ${messageOf(err)}.` };
      }
    },

    async readNetns(containerId, pid) {
      const invisible = await checkPid(containerId, pid);
      if (invisible) return { ok: false, reason: invisible };
      const signature = await netnsSignature(proc, pid);
      const last = lastRead.get(containerId);
      if (signature !== null && last?.pid === pid && last.signature === signature) {
        return { ok: true, links: structuredClone(last.links) };
      }
      try {
        const out = await exec("nsenter", ["-t", String(pid), "-n", "ip", "-j", "-d", "addr", "show"]);
        const links = JSON.parse(out) as IpLink[];
        // Fingerprint again: if the namespace moved during the read, do not trust the pair.
        if (signature !== null && signature === (await netnsSignature(proc, pid))) {
          lastRead.set(containerId, { pid, signature, links: structuredClone(links) });
        } else {
          lastRead.delete(containerId);
        }
        return { ok: true, links };
      } catch (err) {
        lastRead.delete(containerId);
        return {
          ok: false,
          reason: `Reading the container's interfaces failed (it may have just stopped): ${messageOf(err)}.`,
        };
      }
    },

    forget(keep) {
      for (const id of lastRead.keys()) if (!keep.has(id)) lastRead.delete(id);
    },

    async readNatTable(containerId, pid) {
      const invisible = await checkPid(containerId, pid);
      if (invisible) return { ok: false, reason: invisible };
      // Docker writes the DNS hooks with whichever iptables it found (nft or legacy); try both.
      let firstRead: string | null = null;
      let lastError = "";
      for (const tool of ["iptables-save", "iptables-legacy-save", "iptables-nft-save"]) {
        try {
          const text = await exec("nsenter", ["-t", String(pid), "-n", tool, "-t", "nat"]);
          if (text.includes("DOCKER_OUTPUT")) return { ok: true, text };
          firstRead ??= text;
        } catch (err) {
          lastError = messageOf(err);
        }
      }
      return firstRead !== null
        ? { ok: true, text: firstRead }
        : { ok: false, reason: `Reading the NAT table failed: ${lastError} — install iptables on the Docker host.` };
    },
  };
}
