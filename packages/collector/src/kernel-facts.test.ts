import { describe, expect, it } from "vitest";
import type { HostFirewall, KernelReader } from "./kernel";
import {
  kernelFactsArgs,
  parseKernelFacts,
  parseKernelFactsArgs,
  readKernelFacts,
  type KernelFacts,
} from "./kernel-facts";

const A = "a".repeat(64);
const B = "b".repeat(64);

const FACTS: KernelFacts = {
  version: 1,
  host: {
    ok: true,
    links: [{ ifindex: 1, ifname: "lo", mtu: 65536 } as never],
    defaultRoutes: [{ dst: "default", dev: "eth0" } as never],
  },
  containers: {
    [A]: {
      pid: 4242,
      netns: { ok: true, links: [{ ifindex: 9, ifname: "eth0", link_index: 10 } as never] },
      dnsRules: { ok: true, rules: [{ proto: "udp", port: 53, target: "127.0.0.11:41234" }], from: "iptables" },
    },
    [B]: {
      pid: 77,
      netns: { ok: false, reason: "Reading the container's interfaces failed (it may have just stopped): gone." },
      dnsRules: { ok: false, reason: "gone" },
    },
  },
};

describe("the kernel helper's arguments", () => {
  it("round-trip: the containers as id:pid and the firewall backend", () => {
    const args = kernelFactsArgs(
      [
        { id: A, pid: 4242 },
        { id: B, pid: 77 },
      ],
      "nftables",
    );
    expect(args).toEqual(["--kernel-facts", "--firewall-backend", "nftables", `${A}:4242`, `${B}:77`]);
    expect(parseKernelFactsArgs(args)).toEqual({
      targets: [
        { id: A, pid: 4242 },
        { id: B, pid: 77 },
      ],
      firewallBackend: "nftables",
    });
    expect(parseKernelFactsArgs(["--kernel-facts"])).toEqual({ targets: [] });
  });

  it("refuses anything but full ids with positive pids, with a sentence", () => {
    expect(() => parseKernelFactsArgs(["--kernel-facts", "abc:12"])).toThrow(
      'each container to read is <64-hex id>:<pid>, not "abc:12"',
    );
    expect(() => parseKernelFactsArgs(["--kernel-facts", `${A}:0`])).toThrow(/<64-hex id>:<pid>/);
    expect(() => parseKernelFactsArgs(["--kernel-facts", `${A}:1;rm`])).toThrow(/<64-hex id>:<pid>/);
    expect(() => parseKernelFactsArgs(["--kernel-facts", "--firewall-backend"])).toThrow(/--firewall-backend needs/);
    expect(() => parseKernelFactsArgs(["--port", "1"])).toThrow(/first argument must be --kernel-facts/);
  });
});

describe("the kernel helper's output", () => {
  it("is read back as it was written", () => {
    expect(parseKernelFacts(JSON.stringify(FACTS))).toEqual(FACTS);
  });

  it("says what is wrong with output that is not the facts", () => {
    expect(() => parseKernelFacts("")).toThrow("its output is not JSON (it printed nothing)");
    expect(() => parseKernelFacts("Usage: pnpm start")).toThrow(
      'its output is not JSON (it begins "Usage: pnpm start")',
    );
    expect(() => parseKernelFacts(JSON.stringify({ ...FACTS, version: 2 }))).toThrow(
      "it speaks version 2 of the facts, and this netdive reads 1",
    );
    expect(() => parseKernelFacts(JSON.stringify({ ...FACTS, host: { ok: false } }))).toThrow(
      "the host read failed without a reason",
    );
    expect(() => parseKernelFacts(JSON.stringify({ ...FACTS, host: { ok: true, links: [] } }))).toThrow(
      'the host read has no list "defaultRoutes"',
    );
    expect(() => parseKernelFacts(JSON.stringify({ ...FACTS, containers: { web: FACTS.containers[A] } }))).toThrow(
      'it names a container "web", not a full id',
    );
    const noPid = { ...FACTS, containers: { [A]: { ...FACTS.containers[A], pid: "4242" } } };
    expect(() => parseKernelFacts(JSON.stringify(noPid))).toThrow(`container ${A} has no pid`);
    // A truncated stream is not JSON.
    expect(() => parseKernelFacts(JSON.stringify(FACTS).slice(0, 100))).toThrow(/not JSON/);
  });
});

/** A firewall read as the helper returns it: the rules could not be read, the proxies were. */
const FIREWALL: HostFirewall = {
  rules: { ok: false, reason: "iptables-save failed" },
  proxies: { ok: true, proxies: [] },
};

describe("readKernelFacts", () => {
  it("reads the host once and each container's namespace and DNS hooks, keeping failures with their reasons", async () => {
    const calls: string[] = [];
    const kernel: KernelReader = {
      unavailableReason: async () => null,
      readHost: async () => (calls.push("host"), FACTS.host),
      readNetns: async (id, pid) => (calls.push(`netns ${id[0]} ${pid}`), FACTS.containers[id]!.netns),
      readDnsRules: async (id, pid, backend) => (
        calls.push(`dns ${id[0]} ${pid} ${backend}`),
        FACTS.containers[id]!.dnsRules
      ),
      readFirewall: async (backend) => (calls.push(`firewall ${backend}`), FIREWALL),
    };
    const facts = await readKernelFacts(
      kernel,
      [
        { id: A, pid: 4242 },
        { id: B, pid: 77 },
      ],
      "iptables",
    );
    expect(facts).toEqual({ ...FACTS, firewall: FIREWALL });
    expect(parseKernelFacts(JSON.stringify(facts))).toEqual(facts);
    expect(calls.sort()).toEqual([
      "dns a 4242 iptables",
      "dns b 77 iptables",
      "firewall iptables",
      "host",
      "netns a 4242",
      "netns b 77",
    ]);
  });
});
