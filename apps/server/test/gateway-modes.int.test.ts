import { cleanup, docker, execArgv, labelArgs, leftovers, LAB_IMAGE, newRun } from "@netdive/lab";
import { explainReach, reachTargets, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { ENGINE_URL } from "./engine";
import { containerNamed, networkNamed } from "./expect-facts";
import { getJson } from "./inject";
import { answersPing } from "./probe-ping";

/**
 * A bridge's gateway mode (issue 27.3), read by netdive and independently, and the reach
 * explainer against live pings. Docker 28 honours `com.docker.network.bridge.gateway_mode_ipv4`
 * (the engine matrix runs this file on 28.5); Docker 20.10 takes the option and ignores it, and
 * netdive must then say NAT, as the kernel does. Every probe runs between this run's containers
 * and the host, on this machine.
 */

const run = newRun();
const name = (s: string) => `${run.prefix}${s}`;
const MODES = ["routed", "isolated", "nat-unprotected"] as const;

let server: FastifyInstance | undefined;
let topology: Topology;
/** Whether the engine honours gateway modes (Engine API 1.48, Docker 28.0, or later). */
let honours = false;

/** The bridge's IPv4 addresses as the kernel shows them, read without netdive. */
async function bridgeV4(bridge: string): Promise<string[]> {
  const out = JSON.parse(await execArgv("ip", ["-4", "-j", "addr", "show", "dev", bridge])) as Array<{
    addr_info?: Array<{ local: string }>;
  }>;
  return (out[0]?.addr_info ?? []).map((a) => a.local);
}

beforeAll(async () => {
  for (const mode of MODES) {
    await docker([
      "network",
      "create",
      ...labelArgs(run),
      "-o",
      `com.docker.network.bridge.gateway_mode_ipv4=${mode}`,
      // Docker 28 takes "isolated" only for an internal network.
      ...(mode === "isolated" ? ["--internal"] : []),
      name(mode),
    ]);
    await docker([
      "run",
      "-d",
      ...labelArgs(run),
      "--name",
      name(`in-${mode}`),
      "--network",
      name(mode),
      // Port 80 asked published, on a host port the engine picks: a routed bridge maps none.
      "-p",
      "80",
      LAB_IMAGE,
      "sleep",
      "600",
    ]);
  }
  await docker([
    "run",
    "-d",
    ...labelArgs(run),
    "--name",
    name("hostmode"),
    "--network",
    "host",
    LAB_IMAGE,
    "sleep",
    "600",
  ]);
  server = await buildServer({ dockerHost: ENGINE_URL });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
  const api = Object.values(topology.engines)[0]?.apiVersion ?? "0.0";
  const [major = 0, minor = 0] = api.split(".").map(Number);
  honours = major > 1 || (major === 1 && minor >= 48);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await cleanup(run.id);
  expect(await leftovers(run.id)).toEqual({ containers: [], networks: [] });
});

describe("gateway modes, against the kernel", () => {
  it.each(MODES)("%s: netdive says the mode the engine applies, and the bridge's address agrees", async (mode) => {
    const n = networkNamed(topology, name(mode));
    const addresses = await bridgeV4(n.bridge!);
    if (honours) {
      expect(n.gatewayMode?.ipv4).toBe(mode);
      // Isolated: the bridge has no address; the others keep theirs.
      expect(addresses.length === 0).toBe(mode === "isolated");
    } else {
      // The engine ignored the option: NAT, and the bridge holds its gateway, as netdive says.
      expect(n.gatewayMode).toBeUndefined();
      expect(addresses).toContain(n.subnets[0]?.gateway);
    }
  });
});

describe("gateway modes: published ports", () => {
  it("an IPv4 host port is mapped on a NAT bridge; a routed one maps none (HostPort is empty), an internal one publishes nothing", () => {
    for (const mode of MODES) {
      const c = containerNamed(topology, name(`in-${mode}`));
      const v4 = c.ports.filter((p) => p.containerPort === 80 && p.hostPort !== undefined && !p.hostIp?.includes(":"));
      // "isolated" is internal (Docker takes it only so): no port is published there, on any engine.
      const mapped = mode === "nat-unprotected" || (mode === "routed" && !honours);
      expect(v4.length > 0, `${mode}: ${JSON.stringify(c.ports)}`).toBe(mapped);
      // Never a port 0: an empty HostPort is a port exposed, not published.
      expect(c.ports.some((p) => p.hostPort === 0)).toBe(false);
    }
  });
});

describe("gateway modes: the explainer agrees with live pings between the host and each network", () => {
  const pairs = MODES.flatMap((mode) => [
    ["hostmode", `in-${mode}`],
    [`in-${mode}`, "hostmode"],
  ]);
  it.each(pairs)("%s → %s", async (from, to) => {
    const a = containerNamed(topology, name(from!));
    const b = containerNamed(topology, name(to!));
    const predicted = explainReach(topology, a.id, b.id);
    const targets = reachTargets(topology, a.id, b.id);
    const observed = targets.length > 0 && (await answersPing(name(from!), targets));
    expect(observed, `${from} → ${to} at ${targets.join(", ") || "(no address)"}: ${predicted.ip.reason}`).toBe(
      predicted.ip.reachable,
    );
    const isolated = from!.endsWith("isolated") || to!.endsWith("isolated");
    expect(predicted.ip.code === "gateway-isolated").toBe(honours && isolated);
  });
});
