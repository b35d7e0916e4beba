import { mkdirSync } from "node:fs";
import { cidrs, hostLinks, labelArgs, namespaceOf, netnsLinks, newRun, type IpLinkJson } from "@netdive/lab";
import type { Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/app";
import { fact, factsAsserted } from "../facts";
import { dockerOn, runLabelled } from "./lab-cli";
import { PrivateEngine } from "./private-engine";

/**
 * netdive on the host, reading an engine that lives in a network namespace of its own (a private
 * dockerd with its firewall on: docker0, a user bridge, NAT, containers). Its bridges and veths
 * are in that namespace, not netdive's: the collector must find the engine's process behind the
 * socket and read the host side there, and must never show this machine's own interfaces as
 * that engine's host.
 */
const run = newRun();
const engine = new PrivateEngine(`/tmp/ndns-${run.id}`);
const onPrivate = dockerOn(engine.url);
let server: FastifyInstance | undefined;
let topology: Topology;
let engineLinks: IpLinkJson[];
let ownLinks: IpLinkJson[];
const containers: Array<{ name: string; id: string }> = [];

beforeAll(async () => {
  mkdirSync(engine.dir, { recursive: true });
  await engine.start({ firewall: "iptables" });
  await engine.loadLabImage();
  await onPrivate(["network", "create", ...labelArgs(run), `${run.prefix}ns-net`]);
  containers.push(await runLabelled(run, "ns-a", { host: engine.url, network: `${run.prefix}ns-net` }));
  containers.push(await runLabelled(run, "ns-b", { host: engine.url }));
  server = await buildServer({ dockerHost: engine.url, reconcileMs: 60_000 });
  await server.ready();
  topology = await server.topology.refresh();
  [engineLinks, ownLinks] = await Promise.all([netnsLinks(engine.pid()), hostLinks()]);
}, 240_000);

afterAll(async () => {
  await server?.close();
  await engine.stop().catch(() => undefined);
  engine.remove();
}, 120_000);

describe("an engine in a network namespace of its own", () => {
  it("runs where netdive does not: the test's premise", async () => {
    expect(await namespaceOf(engine.pid(), "net")).not.toBe(await namespaceOf(process.pid, "net"));
  });

  it("has its host read in its own namespace: every interface there, as ip shows it, and none of this machine's", () => {
    const host = topology.hosts.local;
    expect(host?.kernel, "kernel facts are visible").toEqual({ visible: true, reason: null });
    const reported = host?.interfaces ?? [];
    fact(
      reported.map((i) => i.name).sort(),
      engineLinks.map((l) => l.ifname).sort(),
      "host interfaces: those of the engine's namespace",
    );
    for (const link of engineLinks) {
      const mine = reported.find((i) => i.name === link.ifname);
      fact(mine?.ifindex, link.ifindex, `${link.ifname}: ifindex`);
      fact(mine?.mac, (link.address ?? "").toLowerCase(), `${link.ifname}: mac`);
      fact(mine?.addresses, cidrs(link), `${link.ifname}: addresses`);
      fact(mine?.master ?? null, link.master ?? null, `${link.ifname}: master`);
    }
    // This machine's docker0 (the main engine's) has another MAC than the private engine's docker0.
    const ownDocker0 = ownLinks.find((l) => l.ifname === "docker0");
    const theirs = reported.find((i) => i.name === "docker0");
    expect(theirs, "the private engine's docker0").toBeDefined();
    if (ownDocker0) expect(theirs?.mac).not.toBe(ownDocker0.address);
  });

  it("pairs each container's eth0 with its veth in the engine's namespace, on the right bridge", () => {
    for (const c of containers) {
      const container = topology.containers[c.id];
      const eth0 = container?.interfaces.find((i) => i.name === "eth0");
      expect(eth0?.hostPeer, `${c.name}: eth0 has a host peer`).toBeTruthy();
      const veth = engineLinks.find((l) => l.ifname === eth0?.hostPeer?.name);
      fact(veth?.ifindex, eth0?.hostPeer?.ifindex, `${c.name}: the veth is in the engine's namespace`);
      fact(veth?.link_index, eth0?.ifindex, `${c.name}: the veth's peer is eth0`);
      fact(eth0?.hostPeer?.bridge ?? null, veth?.master ?? null, `${c.name}: the veth's bridge`);
    }
    expect(factsAsserted()).toBeGreaterThan(20);
  });
});
