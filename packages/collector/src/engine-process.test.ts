import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findSocketListener, hostByPidOne } from "./engine-process";
import { createLinuxKernel, type Exec } from "./kernel";

const made: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A real listening unix socket (stat must say "socket"), in a temp directory. */
async function listeningSocket(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "netdive-sock-"));
  made.push(dir);
  const path = join(dir, "docker.sock");
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

interface FakeProcess {
  pid: number;
  comm: string;
  netns: string;
  /** Socket inodes it holds as fds. */
  sockets?: string[];
  /** Its root: "/" by default (the bound path is then the real file); another dir for another mount namespace. */
  root?: string;
}

const UNIX_HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n";
const listener = (inode: string, path: string) =>
  `0000000000000000: 00000002 00000000 00010000 0001 01 ${inode} ${path}\n`;
const connected = (inode: string, path: string) =>
  `0000000000000000: 00000003 00000000 00000000 0001 03 ${inode} ${path}\n`;

/** A fake /proc: each process's comm, ns/net, fds and root; each namespace's net/unix. */
async function fakeProc(
  processes: FakeProcess[],
  unix: Record<string, string>,
  self: { netns: string },
): Promise<string> {
  const proc = await mkdtemp(join(tmpdir(), "netdive-proc-"));
  made.push(proc);
  const write = async (pid: string, p: { comm: string; netns: string; sockets?: string[]; root?: string }) => {
    await mkdir(join(proc, pid, "ns"), { recursive: true });
    await mkdir(join(proc, pid, "fd"), { recursive: true });
    await mkdir(join(proc, pid, "net"), { recursive: true });
    await writeFile(join(proc, pid, "comm"), `${p.comm}\n`);
    await symlink(p.netns, join(proc, pid, "ns", "net"));
    await symlink(p.root ?? "/", join(proc, pid, "root"));
    await writeFile(join(proc, pid, "net", "unix"), UNIX_HEADER + (unix[p.netns] ?? ""));
    for (const [i, inode] of (p.sockets ?? []).entries())
      await symlink(`socket:[${inode}]`, join(proc, pid, "fd", String(i + 3)));
  };
  for (const p of processes) await write(String(p.pid), p);
  await write("self", { comm: "node", netns: self.netns });
  return proc;
}

describe("the process that listens on the engine's socket", () => {
  it("is found in its own network namespace, by the socket inode it holds and the file it bound", async () => {
    const sock = await listeningSocket();
    const proc = await fakeProc(
      [
        { pid: 1, comm: "systemd", netns: "net:[1]" },
        { pid: 40, comm: "node", netns: "net:[1]", sockets: ["900"] },
        { pid: 77, comm: "dockerd", netns: "net:[7]", sockets: ["700", "701"] },
      ],
      { "net:[1]": connected("900", sock), "net:[7]": listener("701", sock) + connected("702", sock) },
      { netns: "net:[1]" },
    );
    expect(await findSocketListener(sock, proc)).toEqual({
      ok: true,
      process: { pid: 77, comm: "dockerd", netns: "net:[7]" },
    });
  });

  it("never takes a socket of the same name bound in another mount namespace", async () => {
    const sock = await listeningSocket();
    const elsewhere = await mkdtemp(join(tmpdir(), "netdive-root-"));
    made.push(elsewhere);
    const proc = await fakeProc(
      [{ pid: 77, comm: "dockerd", netns: "net:[7]", sockets: ["701"], root: elsewhere }],
      { "net:[7]": listener("701", sock) },
      { netns: "net:[1]" },
    );
    const found = await findSocketListener(sock, proc);
    expect(found.ok).toBe(false);
  });

  it("says so when no process holding it is visible (a container without --pid host)", async () => {
    const sock = await listeningSocket();
    const proc = await fakeProc([{ pid: 1, comm: "node", netns: "net:[2]" }], {}, { netns: "net:[2]" });
    expect(await findSocketListener(sock, proc)).toEqual({
      ok: false,
      reason: expect.stringMatching(/No process that listens on .*docker\.sock is visible from here/),
    });
    expect(await findSocketListener(join(tmpdir(), "netdive-none.sock"), proc)).toEqual({
      ok: false,
      reason: expect.stringMatching(/cannot be read: ENOENT/),
    });
  });
});

/** An exec that records argv and answers `[]` to every `ip` read. */
function recordingExec(): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    exec: async (file, args) => {
      calls.push([file, ...args]);
      return file === "nsenter" && args.includes("--version") ? "nsenter 2.38" : "[]";
    },
  };
}

describe("the engine's host namespace", () => {
  const found = (pid: number, netns: string) => async () => ({
    ok: true as const,
    process: { pid, comm: "dockerd", netns },
  });

  it("is entered through the engine's process when that runs in another namespace (a private engine)", async () => {
    const proc = await fakeProc(
      [
        { pid: 1, comm: "systemd", netns: "net:[1]" },
        { pid: 77, comm: "dockerd", netns: "net:[7]" },
      ],
      {},
      { netns: "net:[1]" },
    );
    const { exec, calls } = recordingExec();
    const kernel = createLinuxKernel({
      privileged: true,
      proc,
      exec,
      engineUrl: "unix:///tmp/private/docker.sock",
      findListener: found(77, "net:[7]"),
    });
    expect(await kernel.unavailableReason("unix:///tmp/private/docker.sock")).toBeNull();
    await kernel.readHost();
    expect(calls).toContainEqual(["nsenter", "-t", "77", "-n", "ip", "-j", "-d", "addr", "show"]);
    expect(calls).not.toContainEqual(["ip", "-j", "-d", "addr", "show"]);
    // Per-namespace files (conntrack) are read through the engine's process.
    expect(await kernel.hostProc?.()).toBe("77");
  });

  it("is read directly when the engine shares netdive's namespace, even when pid 1 is elsewhere", async () => {
    const proc = await fakeProc(
      [
        { pid: 1, comm: "systemd", netns: "net:[1]" },
        { pid: 77, comm: "dockerd", netns: "net:[7]" },
      ],
      {},
      { netns: "net:[7]" },
    );
    const { exec, calls } = recordingExec();
    const kernel = createLinuxKernel({ privileged: true, proc, exec, findListener: found(77, "net:[7]") });
    expect(await kernel.unavailableReason("unix:///tmp/private/docker.sock")).toBeNull();
    await kernel.readHost();
    expect(calls).toContainEqual(["ip", "-j", "-d", "addr", "show"]);
    expect(calls.some((c) => c[0] === "nsenter" && c.includes("addr"))).toBe(false);
    expect(await kernel.hostProc?.()).toBe("self");
  });

  it("is unknown, with why, when the engine's process is not visible: netdive's own namespace is never taken for it", async () => {
    // netdive in a container of its own (own netns, own pid namespace: pid 1 is its own init).
    const proc = await fakeProc([{ pid: 1, comm: "node", netns: "net:[2]" }], {}, { netns: "net:[2]" });
    const { exec, calls } = recordingExec();
    const kernel = createLinuxKernel({
      privileged: true,
      proc,
      exec,
      findListener: async () => ({
        ok: false,
        reason: "No process that listens on /var/run/docker.sock is visible from here.",
      }),
    });
    const reason = await kernel.unavailableReason("unix:///var/run/docker.sock");
    expect(reason).toMatch(/not visible|is visible from here/);
    expect(reason).toMatch(/--pid host/);
    const host = await kernel.readHost();
    expect(host.ok).toBe(false);
    expect(await kernel.hostProc?.()).toBeNull();
    expect(calls.some((c) => c.includes("addr"))).toBe(false);
  });

  it("is looked for again when the engine's process is gone (a restarted engine in a new namespace)", async () => {
    const proc = await fakeProc(
      [
        { pid: 77, comm: "dockerd", netns: "net:[7]" },
        { pid: 88, comm: "dockerd", netns: "net:[8]" },
      ],
      {},
      { netns: "net:[1]" },
    );
    const answers = [
      { pid: 77, netns: "net:[7]" },
      { pid: 88, netns: "net:[8]" },
    ];
    let looks = 0;
    const { exec, calls } = recordingExec();
    const kernel = createLinuxKernel({
      privileged: true,
      proc,
      exec,
      engineUrl: "unix:///tmp/private/docker.sock",
      findListener: async () => {
        const a = answers[Math.min(looks++, 1)]!;
        return { ok: true, process: { ...a, comm: "dockerd" } };
      },
    });
    await kernel.readHost();
    await rm(join(proc, "77"), { recursive: true });
    await kernel.readHost();
    expect(looks).toBe(2);
    const hostReads = calls.filter((c) => c.includes("addr")).map((c) => c[2]);
    expect(hostReads).toEqual(["77", "88"]);
  });
});

describe("the host's namespace without an engine socket to follow", () => {
  /** A fake /proc with pid 1's and netdive's own net and mnt namespace links. */
  async function nsLinks(one: { net: string; mnt: string }, self: { net: string; mnt: string }): Promise<string> {
    const proc = await mkdtemp(join(tmpdir(), "netdive-proc-"));
    made.push(proc);
    for (const [pid, ns] of [
      ["1", one],
      ["self", self],
    ] as const) {
      await mkdir(join(proc, pid, "ns"), { recursive: true });
      await symlink(ns.net, join(proc, pid, "ns", "net"));
      await symlink(ns.mnt, join(proc, pid, "ns", "mnt"));
    }
    return proc;
  }

  it("is pid 1's when netdive runs in another mount and network namespace (a container with --pid host)", async () => {
    const proc = await nsLinks({ net: "net:[1]", mnt: "mnt:[1]" }, { net: "net:[2]", mnt: "mnt:[2]" });
    expect(await hostByPidOne(proc)).toBe("1");
  });

  it("is netdive's own on the host, in a private network namespace on the host's files, or when /proc says nothing", async () => {
    expect(
      await hostByPidOne(await nsLinks({ net: "net:[1]", mnt: "mnt:[1]" }, { net: "net:[1]", mnt: "mnt:[1]" })),
    ).toBe("self");
    expect(
      await hostByPidOne(await nsLinks({ net: "net:[1]", mnt: "mnt:[1]" }, { net: "net:[9]", mnt: "mnt:[1]" })),
    ).toBe("self");
    expect(await hostByPidOne(join(tmpdir(), "netdive-no-such-proc"))).toBe("self");
  });
});
