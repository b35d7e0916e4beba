import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConntrack, parseConntrackLine, parseSocketTable } from "./flow-tables";
import { addressBook, flowsOf, timeoutKey, type FlowTables } from "./flows";
import type { Topology } from "./topology";

/** Tables recorded on this host (see test/fixtures/flows/README.md). */
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/flows/${name}`, import.meta.url), "utf8");

const SRV = "a".repeat(64);
const CLI = "b".repeat(64);
const FAR = "c".repeat(64);

/** The recorded run's topology, reduced to what flows read: endpoints, gateways, host addresses. */
function topology(): Topology {
  const ctr = (id: string, name: string, ip: string, net: string) => ({
    id,
    engineId: "local",
    name,
    netnsOwnerId: null,
    endpoints: { [net]: { ipv4: ip } },
    interfaces: [],
  });
  return {
    containers: {
      [SRV]: ctr(SRV, "srv", "172.30.0.2", "na"),
      [CLI]: ctr(CLI, "cli", "172.30.0.3", "na"),
      [FAR]: ctr(FAR, "far", "172.31.0.2", "nb"),
    },
    networks: {
      na: {
        id: "na",
        engineId: "local",
        bridge: "br-a",
        subnets: [{ subnet: "172.30.0.0/16", gateway: "172.30.0.1" }],
      },
      nb: { id: "nb", engineId: "local", subnets: [{ subnet: "172.31.0.0/16", gateway: "172.31.0.1" }] },
    },
    hosts: {
      local: {
        interfaces: [
          { name: "lo", kind: "loopback", addresses: ["127.0.0.1/8"], defaultRoute: false },
          { name: "eth0", kind: "physical", addresses: ["10.0.0.5/24"], defaultRoute: true },
        ],
      },
    },
  } as unknown as Topology;
}

const recorded = (): FlowTables => ({
  engineId: "local",
  conntrack: parseConntrack(fixture("nf_conntrack.txt")),
  sockets: [
    { containerId: CLI, table: "cli tcp", rows: parseSocketTable(fixture("cli-tcp.txt"), "tcp") },
    { containerId: SRV, table: "srv tcp6", rows: parseSocketTable(fixture("srv-tcp6.txt"), "tcp6") },
    { containerId: FAR, table: "far tcp", rows: parseSocketTable(fixture("far-tcp.txt"), "tcp") },
    { containerId: SRV, table: "srv udp", rows: parseSocketTable(fixture("srv-udp.txt"), "udp") },
  ],
  timeouts: {},
});

describe("parsing the kernel's tables", () => {
  it("reads a conntrack line's protocol, state, timeout and both tuples", () => {
    const [established, timeWait, icmp] = parseConntrack(fixture("nf_conntrack.txt"));
    expect(established).toMatchObject({
      protocol: "tcp",
      state: "ESTABLISHED",
      timeout: 431998,
      unreplied: false,
      original: { src: "172.30.0.3", dst: "172.30.0.2", sport: 37866, dport: 80 },
      reply: { src: "172.30.0.2", dst: "172.30.0.3", sport: 80, dport: 37866 },
    });
    expect(timeWait?.state).toBe("TIME_WAIT");
    expect(icmp).toMatchObject({ protocol: "icmp", state: null, original: { sport: null, dport: null } });
  });

  it("reads accounting counters, UNREPLIED and IPv6 tuples", () => {
    const acct = parseConntrackLine(
      "ipv4     2 udp      17 25 src=172.30.0.3 dst=10.9.9.9 sport=40000 dport=53 packets=1 bytes=60 [UNREPLIED] src=10.9.9.9 dst=10.0.0.5 sport=53 dport=40000 packets=0 bytes=0 mark=0 zone=0 use=2",
    );
    expect(acct).toMatchObject({ protocol: "udp", unreplied: true, packets: 1, bytes: 60, reply: { dst: "10.0.0.5" } });
    const v6 = parseConntrackLine(
      "ipv6     10 tcp      6 50 TIME_WAIT src=fd00:0000:0000:0000:0000:0000:0000:0003 dst=fd00:0000:0000:0000:0000:0000:0000:0002 sport=1 dport=80 src=fd00:0000:0000:0000:0000:0000:0000:0002 dst=fd00:0000:0000:0000:0000:0000:0000:0003 sport=80 dport=1 [ASSURED] mark=0 zone=0 use=2",
    );
    expect(v6?.original.src).toBe("fd00::3");
    expect(parseConntrackLine("not a conntrack line")).toBeNull();
  });

  it("reads /proc/net/tcp rows: little-endian addresses, state names, the TIME_WAIT timer", () => {
    const rows = parseSocketTable(fixture("cli-tcp.txt"), "tcp");
    expect(rows.map((r) => r.state)).toEqual(["LISTEN", "TIME_WAIT", "ESTABLISHED"]);
    expect(rows[0]?.local).toEqual({ address: "127.0.0.11", port: 34649 });
    expect(rows[1]).toMatchObject({ remote: { address: "172.30.0.2", port: 80 }, timeWaitLeft: 58.66 });
  });

  it("reads tcp6 rows and gives v4-mapped peers as IPv4", () => {
    const rows = parseSocketTable(fixture("srv-tcp6.txt"), "tcp6");
    expect(rows[0]).toMatchObject({ state: "LISTEN", local: { address: "::", port: 80 } });
    expect(rows[2]).toMatchObject({ local: { address: "172.30.0.2", port: 80 }, remote: { address: "172.30.0.3" } });
  });

  it("names the sysctl timeouts the way states are keyed", () => {
    expect(timeoutKey("nf_conntrack_tcp_timeout_time_wait")).toBe("tcp:TIME_WAIT");
    expect(timeoutKey("nf_conntrack_udp_timeout_stream")).toBe("udp:stream");
    expect(timeoutKey("nf_conntrack_icmp_timeout")).toBe("icmp");
    expect(timeoutKey("nf_conntrack_max")).toBeNull();
  });
});

describe("flows from the recorded tables", () => {
  const window = { windowMs: 10_000, addresses: false };

  it("maps addresses to containers, gateways to the host, and the rest to the NIC's outside", () => {
    const book = addressBook(topology(), "local");
    expect(book.containers.get("172.30.0.2")).toBe(SRV);
    expect(book.host.has("172.30.0.1")).toBe(true);
    expect(book.host.get("10.0.0.5")).toBe("eth0");
    expect(book.nics.get("10.0.0.5")).toBe("eth0");
    expect(book.defaultNic).toBe("eth0");
  });

  it("draws cli -> srv tcp/80 (open), icmp, and the host's proxy -> srv; never far's dropped attempt", () => {
    const flows = flowsOf(topology(), recorded(), window);
    const tcp = flows.find((f) => f.protocol === "tcp" && f.client.kind === "container");
    expect(tcp).toMatchObject({
      port: 80,
      status: "open",
      client: { kind: "container", containerId: CLI },
      server: { kind: "container", containerId: SRV },
      connections: 2,
    });
    expect(tcp?.evidence.map((e) => e.source)).toEqual(["conntrack", "conntrack", "socket", "socket", "socket"]);
    expect(flows.find((f) => f.protocol === "icmp")).toMatchObject({ port: null, status: "ended", idleMs: 2000 });
    expect(flows.find((f) => f.client.kind === "host")).toMatchObject({
      client: { kind: "host", interface: "br-a" },
      server: { containerId: SRV },
      port: 80,
    });
    expect(JSON.stringify(flows)).not.toContain(FAR);
    expect(flows).toHaveLength(3);
  });

  it("keeps an ended flow for the window after its last packet, then drops it", () => {
    const tables = recorded();
    // Only the TIME_WAIT entries: 2 s after their last packet (120 s timeout, 118 left).
    tables.conntrack = (tables.conntrack ?? []).filter((e) => e.state === "TIME_WAIT");
    tables.sockets = [];
    expect(flowsOf(topology(), tables, { ...window, windowMs: 3000 }).map((f) => f.idleMs)).toEqual([2000, 2000]);
    expect(flowsOf(topology(), tables, { ...window, windowMs: 1500 })).toEqual([]);
  });

  it("uses the kernel's own timeouts when it gives them", () => {
    const tables = recorded();
    tables.conntrack = (tables.conntrack ?? []).filter((e) => e.state === "TIME_WAIT");
    tables.sockets = [];
    tables.timeouts = { "tcp:TIME_WAIT": 125 };
    expect(flowsOf(topology(), tables, window)[0]?.idleMs).toBe(7000);
  });

  it("a published port's DNAT names the container as server, and masquerade names the NIC, without addresses", () => {
    const tables: FlowTables = {
      engineId: "local",
      sockets: [],
      timeouts: {},
      conntrack: parseConntrack(
        [
          "ipv4     2 tcp      6 100 TIME_WAIT src=10.0.0.9 dst=10.0.0.5 sport=5555 dport=8080 src=172.30.0.2 dst=10.0.0.9 sport=80 dport=5555 [ASSURED] mark=0 zone=0 use=2",
          "ipv4     2 udp      17 29 src=172.30.0.3 dst=10.9.9.9 sport=40000 dport=53 src=10.9.9.9 dst=10.0.0.5 sport=53 dport=40000 mark=0 zone=0 use=2",
        ].join("\n"),
      ),
    };
    const flows = flowsOf(topology(), tables, { windowMs: 30_000, addresses: false });
    expect(flows.find((f) => f.protocol === "tcp")).toMatchObject({
      client: { kind: "outside", nic: "eth0" },
      server: { kind: "container", containerId: SRV },
      port: 80,
    });
    expect(flows.find((f) => f.protocol === "udp")).toMatchObject({
      client: { containerId: CLI },
      server: { kind: "outside", nic: "eth0" },
      port: 53,
    });
    expect(JSON.stringify(flows.map((f) => [f.client, f.server]))).not.toContain("10.9.9.9");
    const named = flowsOf(topology(), tables, { windowMs: 30_000, addresses: true });
    expect(named.find((f) => f.protocol === "udp")?.server).toEqual({
      kind: "outside",
      nic: "eth0",
      address: "10.9.9.9",
    });
  });
});
