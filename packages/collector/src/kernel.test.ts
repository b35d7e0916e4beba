import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLinuxKernel, type Exec, type StartHostMonitor } from "./kernel";

const ID = "c".repeat(64);
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fake /proc: pid 1 and self in the given namespaces, and pid 4242 in the container's cgroup. */
async function fakeProc(opts: { hostNs: string; selfNs: string; cgroup: string }): Promise<string> {
  const proc = await mkdtemp(join(tmpdir(), "netdive-proc-"));
  made.push(proc);
  for (const [pid, ns] of [
    ["1", opts.hostNs],
    ["self", opts.selfNs],
  ] as const) {
    await mkdir(join(proc, pid, "ns"), { recursive: true });
    await symlink(ns, join(proc, pid, "ns", "net"));
  }
  await mkdir(join(proc, "4242"), { recursive: true });
  await writeFile(join(proc, "4242", "cgroup"), opts.cgroup);
  return proc;
}

function recordingExec(answers: Record<string, string | Error>): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args]);
    const key = [file, ...args].join(" ");
    const answer = Object.entries(answers).find(([prefix]) => key.startsWith(prefix))?.[1];
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw Object.assign(new Error(`unexpected ${key}`), { code: "ENOENT" });
    return answer;
  };
  return { exec, calls };
}

describe("createLinuxKernel", () => {
  it("explains why a remote engine's kernel is not visible", async () => {
    const kernel = createLinuxKernel({ privileged: true, exec: recordingExec({}).exec });
    expect(await kernel.unavailableReason("tcp://10.0.0.5:2375")).toMatch(
      /not a local socket.*run netdive on the Docker host/,
    );
  });

  it("explains that entering namespaces needs root", async () => {
    const kernel = createLinuxKernel({ privileged: false, exec: recordingExec({}).exec });
    expect(await kernel.unavailableReason("unix:///var/run/docker.sock")).toMatch(/not running as root/);
  });

  it("says to install iproute2 when ip is missing", async () => {
    const kernel = createLinuxKernel({ privileged: true, exec: recordingExec({ "nsenter --version": "x" }).exec });
    expect(await kernel.unavailableReason("unix:///var/run/docker.sock")).toMatch(/apt-get install iproute2/);
  });

  it("reads a container's namespace with an argv (nsenter -t PID -n ip -j -d addr show)", async () => {
    const proc = await fakeProc({
      hostNs: "net:[1]",
      selfNs: "net:[1]",
      cgroup: `0::/system.slice/docker-${ID}.scope\n`,
    });
    const { exec, calls } = recordingExec({ nsenter: '[{"ifindex":1,"ifname":"lo","mtu":65536}]' });
    const read = await createLinuxKernel({ privileged: true, proc, exec }).readNetns(ID, 4242);
    expect(read).toEqual({ ok: true, links: [{ ifindex: 1, ifname: "lo", mtu: 65536 }] });
    expect(calls).toEqual([["nsenter", "-t", "4242", "-n", "ip", "-j", "-d", "addr", "show"]]);
  });

  it("never reads a pid whose cgroup does not name the container (another PID namespace)", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: "0::/user.slice/session-1.scope\n" });
    const { exec, calls } = recordingExec({ nsenter: "[]" });
    const read = await createLinuxKernel({ privileged: true, proc, exec }).readNetns(ID, 4242);
    expect(read).toEqual({ ok: false, reason: expect.stringMatching(/--pid host/) });
    expect(calls).toEqual([]);
  });

  it("enters pid 1's namespace for host reads when netdive runs in another one", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[2]", cgroup: "" });
    const { exec, calls } = recordingExec({ nsenter: "[]" });
    await createLinuxKernel({ privileged: true, proc, exec }).readHost();
    expect(calls).toContainEqual(["nsenter", "-t", "1", "-n", "ip", "-j", "-d", "addr", "show"]);
  });

  it("falls back to iptables-legacy-save when the default iptables shows no Docker DNS hooks", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: `0::/docker/${ID}\n` });
    const { exec } = recordingExec({
      "nsenter -t 4242 -n iptables-save": "*nat\nCOMMIT\n",
      "nsenter -t 4242 -n iptables-legacy-save":
        "-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:5353\n",
    });
    const read = await createLinuxKernel({ privileged: true, proc, exec }).readNatTable(ID, 4242);
    expect(read.ok && read.text).toContain("127.0.0.11:5353");
  });
});

describe("the namespace fingerprint", () => {
  async function procWithNetns(): Promise<string> {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: `0::/docker/${ID}\n` });
    const eth0 = join(proc, "4242", "root", "sys", "class", "net", "eth0");
    await mkdir(eth0, { recursive: true });
    for (const [f, v] of Object.entries({
      ifindex: "12\n",
      iflink: "13\n",
      address: "02:42:ac:11:00:02\n",
      mtu: "1500\n",
      operstate: "up\n",
    })) {
      await writeFile(join(eth0, f), v);
    }
    await mkdir(join(proc, "4242", "net"), { recursive: true });
    await writeFile(join(proc, "4242", "net", "fib_trie"), "Local:\n  |-- 172.17.0.2\n     /32 host LOCAL\n");
    return proc;
  }

  it("re-runs ip only when the namespace's links or addresses changed", async () => {
    const proc = await procWithNetns();
    const { exec, calls } = recordingExec({ nsenter: '[{"ifindex":12,"ifname":"eth0","mtu":1500}]' });
    const kernel = createLinuxKernel({ privileged: true, proc, exec });
    await kernel.readNetns(ID, 4242);
    const second = await kernel.readNetns(ID, 4242);
    expect(second).toEqual({ ok: true, links: [{ ifindex: 12, ifname: "eth0", mtu: 1500 }] });
    expect(calls).toHaveLength(1);

    // `ip addr add` by hand changes the local addresses: read again.
    await writeFile(join(proc, "4242", "net", "fib_trie"), "Local:\n  |-- 172.17.0.2\n  |-- 10.9.9.9\n");
    await kernel.readNetns(ID, 4242);
    expect(calls).toHaveLength(2);
    // The link going down changes sysfs: read again.
    await writeFile(join(proc, "4242", "root", "sys", "class", "net", "eth0", "operstate"), "down\n");
    await kernel.readNetns(ID, 4242);
    expect(calls).toHaveLength(3);
  });

  it("always runs ip when the fingerprint cannot be read", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: `0::/docker/${ID}\n` });
    const { exec, calls } = recordingExec({ nsenter: "[]" });
    const kernel = createLinuxKernel({ privileged: true, proc, exec });
    await kernel.readNetns(ID, 4242);
    await kernel.readNetns(ID, 4242);
    expect(calls).toHaveLength(2);
  });
});

describe("the host read cache", () => {
  /** A fake `ip monitor` the test drives: `change()` is the kernel announcing something. */
  function fakeMonitor() {
    const state = { argv: [] as readonly string[], started: 0, stopped: 0 };
    let on: Parameters<StartHostMonitor>[1] | null = null;
    const start: StartHostMonitor = (argv, callbacks) => {
      state.argv = argv;
      state.started++;
      on = callbacks;
      return { stop: () => void state.stopped++ };
    };
    return { start, state, ready: () => on?.ready(), change: () => on?.change(), exit: () => on?.exit() };
  }

  async function hostKernel() {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: "" });
    const rec = recordingExec({ "ip -j -d addr show": '[{"ifindex":1,"ifname":"lo"}]', "ip -j route": "[]" });
    const hooks = { duringIp: null as (() => void) | null };
    const exec: Exec = (file, args) => {
      hooks.duringIp?.();
      return rec.exec(file, args);
    };
    const monitor = fakeMonitor();
    let clock = 0;
    const kernel = createLinuxKernel({ privileged: true, proc, exec, monitor: monitor.start, now: () => clock });
    const addrReads = () => rec.calls.filter((c) => c.includes("addr")).length;
    return { kernel, monitor, hooks, addrReads, tick: (ms: number) => (clock += ms) };
  }

  it("skips the host's ip calls while the monitor has announced no change, and only when asked", async () => {
    const { kernel, monitor, addrReads } = await hostKernel();
    await kernel.readHost({ cached: true });
    expect(monitor.state.argv).toEqual(["ip", "monitor", "link", "address", "route"]);
    // Not listening yet: that read cannot be trusted later.
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(2);
    monitor.ready();
    await kernel.readHost({ cached: true });
    const cached = await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(3);
    expect(cached).toEqual({ ok: true, links: [{ ifindex: 1, ifname: "lo" }], defaultRoutes: [] });
    // A read that did not ask for the cache (after a container event) always runs ip.
    await kernel.readHost();
    expect(addrReads()).toBe(4);
    monitor.change();
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(5);
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(5);
  });

  it("does not cache a read a change overlapped, nor once the monitor ended, nor for longer than 30 s", async () => {
    const { kernel, monitor, hooks, addrReads, tick } = await hostKernel();
    await kernel.readHost();
    monitor.ready();
    hooks.duringIp = () => monitor.change();
    await kernel.readHost({ cached: true });
    hooks.duringIp = null;
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(3);
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(3);
    tick(31_000);
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(4);
    monitor.exit();
    await kernel.readHost({ cached: true });
    await kernel.readHost({ cached: true });
    expect(addrReads()).toBe(6);
    expect(monitor.state.started).toBe(2);
    kernel.close?.();
    expect(monitor.state.stopped).toBe(1);
  });
});
