import { cleanup, docker, execArgv, labelArgs, leftovers, LAB_IMAGE, newRun, tryExecArgv } from "@netdive/lab";
import { explainReach, reachTargets, type Container, type Network, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { ENGINE_URL } from "./engine";
import { containerNamed, networkNamed } from "./expect-facts";
import { getJson } from "./inject";
import { answersPing } from "./probe-ping";

/**
 * macvlan as the kernel builds it (issue 27), read by netdive and independently, and the reach
 * explainer against live pings. A macvlan parent needs a carrier and this kernel has no dummy
 * links, so each network rides on one end of a veth pair the test makes (both ends up). The host
 * is given a route to each subnet through its parent, so that every probe, answered or not,
 * stays on this machine: out through the parent, into the veth's other end.
 */

const run = newRun();
// Interface names: at most 15 characters, named after the run so a failed run's are known.
const link = (tag: string) => `nd${run.id.slice(0, 8)}${tag}`;
const subnetBase = `10.${200 + (run.id.charCodeAt(1) % 50)}.${run.id.charCodeAt(2) % 250}`;
const NETS = {
  bridged: { parent: link("b"), peer: link("B"), subnet: `${subnetBase}.0/26`, mode: "bridge" },
  private: { parent: link("p"), peer: link("P"), subnet: `${subnetBase}.64/26`, mode: "private" },
} as const;
const name = (s: string) => `${run.prefix}${s}`;

let server: FastifyInstance | undefined;
let topology: Topology;

interface LinkJson {
  ifindex: number;
  ifname: string;
  link_index?: number;
  linkinfo?: { info_kind?: string; info_data?: { mode?: string } };
}

async function ip(args: string[]): Promise<void> {
  await execArgv("ip", args);
}

/** eth0 as the kernel shows it inside the container's namespace, read without netdive. */
async function eth0Of(container: string): Promise<LinkJson> {
  const pid = (await docker(["inspect", "-f", "{{.State.Pid}}", container])).trim();
  const out = await execArgv("nsenter", ["-t", pid, "-n", "ip", "-d", "-j", "link", "show", "eth0"]);
  return (JSON.parse(out) as LinkJson[])[0] as LinkJson;
}

async function hostLink(ifname: string): Promise<LinkJson> {
  return (JSON.parse(await execArgv("ip", ["-d", "-j", "link", "show", ifname])) as LinkJson[])[0] as LinkJson;
}

beforeAll(async () => {
  for (const net of Object.values(NETS)) {
    await ip(["link", "add", net.parent, "type", "veth", "peer", "name", net.peer]);
    await ip(["link", "set", net.parent, "up"]);
    await ip(["link", "set", net.peer, "up"]);
  }
  for (const [key, net] of Object.entries(NETS)) {
    await docker([
      "network",
      "create",
      ...labelArgs(run),
      "-d",
      "macvlan",
      "-o",
      `parent=${net.parent}`,
      ...(net.mode === "bridge" ? [] : ["-o", `macvlan_mode=${net.mode}`]),
      "--subnet",
      net.subnet,
      name(key),
    ]);
    // The host's way to the subnet: through the parent, never out of the machine.
    await ip(["route", "add", net.subnet, "dev", net.parent]);
  }
  const start = (ctr: string, ...how: string[]) =>
    docker(["run", "-d", ...labelArgs(run), "--name", name(ctr), ...how, LAB_IMAGE, "sleep", "600"]);
  await start("mv-a", "--network", name("bridged"));
  await start("mv-b", "--network", name("bridged"));
  await start("mvp-c", "--network", name("private"));
  await start("mvp-d", "--network", name("private"));
  await start("hostmode", "--network", "host");
  await start("bridged", "--network", "bridge");
  server = await buildServer({ dockerHost: ENGINE_URL });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await cleanup(run.id);
  for (const net of Object.values(NETS)) await tryExecArgv("ip", ["link", "del", net.parent]);
  expect(await leftovers(run.id)).toEqual({ containers: [], networks: [] });
});

describe("macvlan, as the kernel builds it", () => {
  it("the network names its parent and mode, as the engine was told", () => {
    for (const [key, net] of Object.entries(NETS)) {
      const n: Network = networkNamed(topology, name(key));
      expect(n.driver).toBe("macvlan");
      expect(n.bridge).toBeNull();
      expect(n.parent).toBe(net.parent);
      expect(n.mode).toBe(net.mode);
    }
  });

  it("each container's eth0 is a macvlan child of the parent, fact by fact against the kernel", async () => {
    for (const [ctr, key] of [
      ["mv-a", "bridged"],
      ["mv-b", "bridged"],
      ["mvp-c", "private"],
      ["mvp-d", "private"],
    ] as const) {
      const kernel = await eth0Of(name(ctr));
      const parent = await hostLink(NETS[key].parent);
      const c: Container = containerNamed(topology, name(ctr));
      const iface = c.interfaces.find((i) => i.name === "eth0");
      expect(iface, ctr).toBeDefined();
      expect(kernel.linkinfo?.info_kind).toBe("macvlan");
      expect(iface?.kind).toBe(kernel.linkinfo?.info_kind);
      expect(iface?.mode).toBe(kernel.linkinfo?.info_data?.mode);
      expect(iface?.mode).toBe(NETS[key].mode);
      // The kernel's link_index is the parent's ifindex in the host's namespace.
      expect(kernel.link_index).toBe(parent.ifindex);
      expect(iface?.parent).toEqual({ name: NETS[key].parent, ifindex: parent.ifindex });
      // No veth: nothing on the host pairs with it.
      expect(iface?.hostPeer).toBeNull();
    }
  });
});

describe("macvlan reach: the explainer agrees with live pings", () => {
  const pairs = [
    ["mv-a", "mv-b", "shared-parent"],
    ["mv-b", "mv-a", "shared-parent"],
    ["mvp-c", "mvp-d", "parent-private"],
    ["hostmode", "mv-a", "parent-host"],
    ["mv-a", "hostmode", "parent-host"],
    ["bridged", "mv-a", "parent-apart"],
    ["mv-a", "bridged", "parent-apart"],
  ] as const;
  it.each(pairs)("%s → %s: %s", async (from, to, code) => {
    const a = containerNamed(topology, name(from));
    const b = containerNamed(topology, name(to));
    const predicted = explainReach(topology, a.id, b.id);
    expect(predicted.ip.code).toBe(code);
    const targets = reachTargets(topology, a.id, b.id);
    expect(targets.length).toBeGreaterThan(0);
    const observed = await answersPing(name(from), targets);
    expect(observed, `${from} → ${to} at ${targets.join(", ")}: ${predicted.ip.reason}`).toBe(predicted.ip.reachable);
  });
});
