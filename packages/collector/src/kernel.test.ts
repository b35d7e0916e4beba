import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLinuxKernel, type Exec } from "./kernel";

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
