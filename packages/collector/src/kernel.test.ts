import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLinuxKernel, type Exec, type StartHostMonitor } from "./kernel";

const ID = "c".repeat(64);
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * A fake /proc: pid 1 and self in the given network namespaces (and mount namespaces: the same
 * unless told), and pid 4242 in the container's cgroup.
 */
async function fakeProc(opts: { hostNs: string; selfNs: string; cgroup: string; selfMnt?: string }): Promise<string> {
  const proc = await mkdtemp(join(tmpdir(), "netdive-proc-"));
  made.push(proc);
  for (const [pid, ns, mnt] of [
    ["1", opts.hostNs, "mnt:[1]"],
    ["self", opts.selfNs, opts.selfMnt ?? "mnt:[1]"],
  ] as const) {
    await mkdir(join(proc, pid, "ns"), { recursive: true });
    await symlink(ns, join(proc, pid, "ns", "net"));
    await symlink(mnt, join(proc, pid, "ns", "mnt"));
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

  it("enters pid 1's namespace for host reads when netdive runs in a container (--pid host)", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[2]", selfMnt: "mnt:[2]", cgroup: "" });
    const { exec, calls } = recordingExec({ nsenter: "[]" });
    await createLinuxKernel({ privileged: true, proc, exec }).readHost();
    expect(calls).toContainEqual(["nsenter", "-t", "1", "-n", "ip", "-j", "-d", "addr", "show"]);
  });

  it("reads its own namespace as the host when started there on the host (nsenter --net beside an engine)", async () => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[2]", cgroup: "" });
    const { exec, calls } = recordingExec({ ip: "[]" });
    await createLinuxKernel({ privileged: true, proc, exec }).readHost();
    expect(calls).toContainEqual(["ip", "-j", "-d", "addr", "show"]);
    expect(calls.some((c) => c[0] === "nsenter")).toBe(false);
  });
});

describe("the embedded DNS hooks", () => {
  const UDP = "-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:5353\n";
  const NFT = readFileSync(new URL("../../model/test/fixtures/nftables/docker-dns.json", import.meta.url), "utf8");
  const NO_TABLE = Object.assign(new Error("exit 1"), {
    stderr: "Error: No such file or directory\nlist table ip docker-dns\n              ^^^^^^^^^^\n",
  });
  const NO_NFT = Object.assign(new Error("exit 127"), {
    stderr: "nsenter: failed to execute nft: No such file or directory\n",
  });
  const kernelWith = async (answers: Record<string, string | Error>) => {
    const proc = await fakeProc({ hostNs: "net:[1]", selfNs: "net:[1]", cgroup: `0::/docker/${ID}\n` });
    const { exec, calls } = recordingExec(answers);
    return { kernel: createLinuxKernel({ privileged: true, proc, exec }), calls };
  };

  it("falls back to iptables-legacy-save when the default iptables shows no Docker DNS hooks", async () => {
    const { kernel } = await kernelWith({
      "nsenter -t 4242 -n iptables-save": "*nat\nCOMMIT\n",
      "nsenter -t 4242 -n iptables-legacy-save": UDP,
    });
    expect(await kernel.readDnsRules(ID, 4242, "iptables")).toEqual({
      ok: true,
      from: "iptables",
      rules: [{ proto: "udp", port: 53, target: "127.0.0.11:5353" }],
    });
  });

  it("reads nft's table docker-dns, never iptables, when the engine's backend is nftables", async () => {
    const { kernel, calls } = await kernelWith({ "nsenter -t 4242 -n nft -j list table ip docker-dns": NFT });
    const read = await kernel.readDnsRules(ID, 4242, "nftables");
    expect(read).toMatchObject({ ok: true, from: "nftables" });
    expect(read.ok && read.rules.map((r) => r.proto)).toEqual(["tcp", "udp"]);
    expect(calls.some((c) => c.includes("iptables-save"))).toBe(false);
  });

  it("reads nftables too when firewalld runs beside it (the engine says nftables+firewalld)", async () => {
    const { kernel } = await kernelWith({ "nsenter -t 4242 -n nft -j list table ip docker-dns": NFT });
    expect(await kernel.readDnsRules(ID, 4242, "nftables+firewalld")).toMatchObject({ ok: true, from: "nftables" });
  });

  it("an absent docker-dns table is read as no hooks (the default bridge has none)", async () => {
    const { kernel } = await kernelWith({ "nsenter -t 4242 -n nft": NO_TABLE });
    expect(await kernel.readDnsRules(ID, 4242, "nftables")).toEqual({ ok: true, rules: [], from: "nftables" });
  });

  it("says to install nftables, never an empty list, when nft is missing and the backend is nftables", async () => {
    const { kernel } = await kernelWith({ "nsenter -t 4242 -n nft": NO_NFT, "nsenter -t 4242 -n iptables": "*nat\n" });
    expect(await kernel.readDnsRules(ID, 4242, "nftables")).toEqual({
      ok: false,
      reason: expect.stringMatching(/`nft` is not installed.*apt-get install nftables/),
    });
  });

  it("an engine that does not say its backend: the hooks are taken from whichever holds them", async () => {
    const nft = await kernelWith({ "nsenter -t 4242 -n iptables": "*nat\nCOMMIT\n", "nsenter -t 4242 -n nft": NFT });
    expect(await nft.kernel.readDnsRules(ID, 4242)).toMatchObject({ ok: true, from: "nftables" });
    const ipt = await kernelWith({ "nsenter -t 4242 -n iptables-save": UDP, "nsenter -t 4242 -n nft": NFT });
    expect(await ipt.kernel.readDnsRules(ID, 4242)).toMatchObject({ ok: true, from: "iptables" });
    // Before API 1.49 only iptables exists: no nft here still reads as "iptables holds none".
    const none = await kernelWith({
      "nsenter -t 4242 -n iptables": "*nat\nCOMMIT\n",
      "nsenter -t 4242 -n nft": NO_NFT,
    });
    expect(await none.kernel.readDnsRules(ID, 4242)).toEqual({ ok: true, rules: [], from: "iptables" });
  });

  it("iptables with firewalld: the default bridge's empty NAT table is read as no hooks", async () => {
    const { kernel } = await kernelWith({ "nsenter -t 4242 -n iptables-save": "*nat\nCOMMIT\n" });
    expect(await kernel.readDnsRules(ID, 4242, "iptables+firewalld")).toEqual({
      ok: true,
      rules: [],
      from: "iptables",
    });
  });

  it("says why, never an empty list, when neither firewall could be read", async () => {
    const { kernel } = await kernelWith({});
    const read = await kernel.readDnsRules(ID, 4242);
    expect(read).toEqual({ ok: false, reason: expect.stringMatching(/install iptables/) });
  });

  it("says why when nft prints something that is not its JSON", async () => {
    const { kernel } = await kernelWith({ "nsenter -t 4242 -n nft": "table ip docker-dns {}" });
    expect(await kernel.readDnsRules(ID, 4242, "nftables")).toEqual({
      ok: false,
      reason: expect.stringMatching(/nft's JSON for the table docker-dns could not be read/),
    });
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
