import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFlowReader, readProc } from "./flows";

const ID = "a".repeat(64);
const LINE =
  "ipv4     2 tcp      6 118 TIME_WAIT src=172.30.0.3 dst=172.30.0.2 sport=37850 dport=80 src=172.30.0.2 dst=172.30.0.3 sport=80 dport=37850 [ASSURED] mark=0 zone=0 use=2\n";
const TCP =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
  "   1: 03001EAC:93DA 02001EAC:0050 06 00000000:00000000 03:000016EA 00000000     0        0 0 3 000000009938dbe7\n";

/** A /proc of our own: the host's conntrack, the bridge sysctl, one container's pid and tables. */
function fakeProc(bridgeNf: string | null, conntrack = true): string {
  const proc = mkdtempSync(join(tmpdir(), "netdive-proc-"));
  const files: Record<string, string> = {
    "42/cgroup": `0::/system.slice/docker-${ID}.scope\n`,
    "42/net/tcp": TCP,
    "sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait": "120\n",
  };
  if (conntrack) files["self/net/nf_conntrack"] = LINE;
  if (bridgeNf !== null) files["sys/net/bridge/bridge-nf-call-iptables"] = `${bridgeNf}\n`;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(proc, path, ".."), { recursive: true });
    writeFileSync(join(proc, path), text);
  }
  return proc;
}

const ns = [{ containerId: ID, name: "srv", pid: 42 }];

describe("the flow reader", () => {
  it("reads only conntrack where br_netfilter puts bridge traffic in it, and says so", async () => {
    const read = await createFlowReader({ proc: fakeProc("1") })("local", ns);
    expect(read.conntrack).toHaveLength(1);
    expect(read.sockets).toEqual([]);
    expect(read.socketsWhy).toMatch(/br_netfilter is on/);
    expect(read.timeouts["tcp:TIME_WAIT"]).toBe(120);
  });

  it("reads each container's socket tables where br_netfilter is off, or when asked always", async () => {
    for (const read of [
      await createFlowReader({ proc: fakeProc("0") })("local", ns),
      await createFlowReader({ proc: fakeProc("1"), sockets: "always" })("local", ns),
    ]) {
      expect(read.sockets.map((t) => t.table)).toEqual(["srv tcp"]);
      expect(read.sockets[0]?.rows[0]?.state).toBe("TIME_WAIT");
    }
  });

  it("falls back to the sockets when conntrack is missing, and names the file", async () => {
    const read = await createFlowReader({ proc: fakeProc("1", false) })("local", ns);
    expect(read.conntrack).toBeNull();
    expect(read.unavailable[0]).toMatch(/nf_conntrack does not exist/);
    expect(read.sockets).toHaveLength(1);
  });

  it("never reads a pid whose cgroup does not name the container", async () => {
    const other = [{ containerId: "b".repeat(64), name: "other", pid: 42 }];
    const read = await createFlowReader({ proc: fakeProc("0") })("local", other);
    expect(read.sockets).toEqual([]);
    expect(read.unavailable).toEqual(["other: process 42 is not visible here, so its sockets were not read"]);
  });
});

describe("a /proc table", () => {
  it("is read whole: a seq_file answers each read() with about a page, and a short read is not the end", () => {
    // The node process's smaps is a seq_file of many pages (~30 KB here); it changes a little
    // between two reads, so the two are compared by size. Reading only the first read()'s worth
    // (4 KiB) missed every conntrack entry past the first page.
    const whole = readFileSync("/proc/self/smaps", "utf8");
    expect(whole.length).toBeGreaterThan(16 * 1024);
    const read = readProc("/proc/self/smaps");
    expect(read.length).toBeGreaterThan(whole.length * 0.8);
    expect(read.endsWith("\n")).toBe(true);
  });
});
