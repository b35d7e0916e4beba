import {
  cleanup,
  createNetwork,
  docker,
  execArgv,
  freeTcpPort,
  LAB_DNS,
  LAB_IMAGE,
  labelArgs,
  leftovers,
  newRun,
  runContainer,
  tryExecArgv,
  type LabObject,
} from "@netdive/lab";
import type { ContainerPorts, NetworkRules, ReachAnswer, Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { ENGINE_URL } from "./engine";
import { getJson } from "./inject";

/**
 * The kernel's evidence on a real engine: a port published on 127.0.0.1 is a path whose DNAT rule
 * is the engine's (compared with an independent `iptables-save -t nat`) and which a bounded wget
 * from the host crosses; `-p` on host and none containers is shown as ignored; a rule the test
 * puts in DOCKER-USER (or, on an nftables engine without that chain, in a table of its own with a
 * forward hook) that drops one pair makes the explainer say so, and a live ping agrees.
 */

const run = newRun();
const COMMENT = `netdive-test-${run.id}`;
/** The chain of the test's own nft table ("fwd" is a keyword of nft's grammar). */
const NFT_CHAIN = "nd_forward";
let server: FastifyInstance | undefined;
let port = 0;
let web: LabObject;
let peer: LabObject;
let other: LabObject;
let topology: Topology;
/** How the test's drop rule was put in, to take it out again. */
let inserted: { kind: "iptables"; args: string[] } | { kind: "nft"; table: string } | null = null;

const ipOf = (name: string) =>
  Object.values(Object.values(topology.containers).find((c) => c.name === name)?.endpoints ?? {})[0]?.ipv4 ?? "";

beforeAll(async () => {
  port = await freeTcpPort(18_000 + Math.floor(Math.random() * 2000));
  const net = await createNetwork(run, "ev");
  const serve = [
    "sh",
    "-c",
    `mkdir -p /tmp/www && echo ${run.prefix}web > /tmp/www/index.html && httpd -p 80 -h /tmp/www && exec sleep 600`,
  ];
  web = await runPublished("web", ["--network", net.name, "-p", `127.0.0.1:${port}:80`], serve);
  peer = await runContainer(run, { name: "peer", network: net.name, command: ["sleep", "600"] });
  other = await runContainer(run, { name: "other", network: net.name, command: ["sleep", "600"] });
  for (const mode of ["host", "none"]) await runPublished(mode, ["--network", mode, "-p", "9999:80"], ["sleep", "600"]);
  server = await buildServer({ dockerHost: ENGINE_URL });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
}, 120_000);

afterAll(async () => {
  await removeDropRule();
  await server?.close();
  await cleanup(run.id);
  expect(await leftovers(run.id)).toEqual({ containers: [], networks: [] });
});

/** A lab container with `-p` (the lab's runContainer publishes nothing): labelled, limited, local DNS. */
async function runPublished(name: string, flags: string[], command: string[]): Promise<LabObject> {
  const full = `${run.prefix}${name}`;
  const limits = ["--memory", "64m", "--pids-limit", "64", "--dns", LAB_DNS];
  const id = await docker(["run", "-d", "--name", full, ...labelArgs(run), ...limits, ...flags, LAB_IMAGE, ...command]);
  return { name: full, id: id.trim() };
}

describe("a port published on 127.0.0.1", () => {
  it("is a path in the topology and in GET /api/containers/:ref/ports", async () => {
    const c = Object.values(topology.containers).find((x) => x.name === web.name);
    expect(c?.ports).toEqual([{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: port }]);
    const reply = await getJson<ContainerPorts>(server!, `/api/containers/${web.name}/ports`);
    expect(reply.status).toBe(200);
    expect(reply.body.paths).toHaveLength(1);
    const [path] = reply.body.paths;
    expect(path).toMatchObject({ hostIp: "127.0.0.1", hostPort: port, containerIp: ipOf(web.name), containerPort: 80 });
    expect(["dnat", "both"]).toContain(path?.mechanism);
  });

  it("carries the engine's own DNAT rule, as an independent iptables-save -t nat prints it", async () => {
    const nat = await execArgv("iptables-save", ["-t", "nat"]);
    const engineRule = nat
      .split("\n")
      .filter((l) => l.includes(`--dport ${port} `) && l.includes(`--to-destination ${ipOf(web.name)}:80`));
    expect(engineRule).toHaveLength(1);
    const { body } = await getJson<ContainerPorts>(server!, `/api/containers/${web.name}/ports`);
    const dnat = body.paths[0]?.rules.filter((r) => r.about === "dnat");
    expect(dnat?.map((r) => [r.table, r.chain, r.rule])).toEqual([["nat", "DOCKER", engineRule[0]]]);
  });

  it("names the docker-proxy process when the engine runs one, with its arguments", async () => {
    const { body } = await getJson<ContainerPorts>(server!, `/api/containers/${web.name}/ports`);
    const ps = await execArgv("ps", ["-eo", "args"]);
    const running = ps.split("\n").filter((l) => /docker-proxy/.test(l) && l.includes(`-host-port ${port} `));
    expect(body.paths[0]?.proxies.map((p) => p.command)).toEqual(running.map((l) => l.trim()));
    expect(body.paths[0]?.mechanism).toBe(running.length > 0 ? "both" : "dnat");
  });

  it("is reached by a bounded wget from the host", async () => {
    const page = await execArgv("wget", ["-T", "2", "-q", "-O-", `http://127.0.0.1:${port}/`], { timeoutMs: 10_000 });
    expect(page.trim()).toBe(`${run.prefix}web`);
  });
});

describe("a bridge's NAT line", () => {
  it("shows the engine's MASQUERADE for the bridge's subnet, as an independent iptables-save -t nat prints it", async () => {
    const network = Object.values(topology.networks).find((n) => n.name === `${run.prefix}ev`)!;
    const subnet = network.subnets[0]!.subnet;
    const nat = await execArgv("iptables-save", ["-t", "nat"]);
    const engineRule = nat.split("\n").filter((l) => l.includes(`-s ${subnet} `) && l.endsWith("-j MASQUERADE"));
    expect(engineRule).toHaveLength(1);
    const { status, body } = await getJson<NetworkRules>(server!, `/api/networks/${network.name}/rules`);
    expect(status).toBe(200);
    expect(body.rules[0]).toMatchObject({
      table: "nat",
      chain: "POSTROUTING",
      rule: engineRule[0],
      about: "masquerade",
    });
  });
});

describe("-p on host and none containers", () => {
  it.each(["host", "none"])("%s: shown as asked and ignored, not as published", (mode) => {
    const c = Object.values(topology.containers).find((x) => x.name === `${run.prefix}${mode}`);
    expect(c?.ports).toEqual([]);
    expect(c?.ignoredPorts).toEqual([{ containerPort: 80, protocol: "tcp", hostPort: 9999 }]);
  });
});

describe("a rule in DOCKER-USER that drops one pair", () => {
  it("makes the explainer say blocked by DOCKER-USER with the rule, and a live ping agrees", async () => {
    const [src, dst] = [ipOf(peer.name), ipOf(web.name)];
    const before = await reach(peer.name, web.name);
    expect(before.ip).toMatchObject({ reachable: true, code: "shared-network" });
    await insertDropRule(src, dst);
    const after = await reach(peer.name, web.name);
    const chain = inserted?.kind === "iptables" ? "DOCKER-USER" : NFT_CHAIN;
    expect(after.ip.reachable).toBe(false);
    expect(after.ip.code).toBe("blocked-by-rule");
    expect(after.ip.reason).toContain(`blocked by ${chain}: `);
    expect(after.ip.reason).toContain(COMMENT);
    expect(after.evidence?.[0]).toMatchObject({ chain, verdict: "DROP", about: "user", where: "host" });
    expect(await ping(peer.name, dst)).toBe(false);
    // The other way round the rule drops the replies: blocked too, and said so.
    const back = await reach(web.name, peer.name);
    expect(back.ip).toMatchObject({ reachable: false, code: "blocked-by-rule" });
    expect(await ping(web.name, src)).toBe(false);
    // A third container on the same bridge is no part of the pair: reachable, and the probe agrees.
    const third = await reach(other.name, web.name);
    expect(third.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(third.evidence?.[0]?.about).not.toBe("user");
    expect(await ping(other.name, dst)).toBe(true);
  });

  it("reads a pair named by address range or set, and names a rule it cannot evaluate as what the answer hangs on", async () => {
    await removeDropRule();
    const [src, dst] = [ipOf(peer.name), ipOf(web.name)];
    const chain = () => (inserted?.kind === "iptables" ? "DOCKER-USER" : NFT_CHAIN);
    await insertDropRule(src, dst, "range");
    const ranged = await reach(peer.name, web.name);
    expect(ranged.ip).toMatchObject({ reachable: false, code: "blocked-by-rule" });
    expect(ranged.evidence?.[0]).toMatchObject({ chain: chain(), verdict: "DROP", about: "user" });
    expect(ranged.caveats).toBeUndefined();
    expect(await ping(peer.name, dst)).toBe(false);
    await removeDropRule();

    // A mark no packet here carries: the rule never drops, netdive cannot tell, and says so.
    await insertDropRule(src, dst, "mark");
    const marked = await reach(peer.name, web.name);
    expect(marked.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(marked.caveats).toHaveLength(1);
    expect(marked.caveats?.[0]).toMatch(
      /^netdive cannot evaluate "mark" in .* if it matches, the packet is dropped\.$/,
    );
    expect(marked.caveats?.[0]).toContain(COMMENT);
    expect(marked.evidence?.find((e) => e.about === "unevaluated")).toMatchObject({ chain: chain(), verdict: "DROP" });
    expect(await ping(peer.name, dst)).toBe(true);
    // A pair the rule's addresses leave out does not hang on it.
    expect((await reach(other.name, web.name)).caveats).toBeUndefined();
  });
});

async function reach(from: string, to: string): Promise<ReachAnswer> {
  const reply = await getJson<ReachAnswer>(server!, `/api/reach?from=${from}&to=${to}`);
  expect(reply.status).toBe(200);
  expect(reply.body.evidenceUnavailable).toBeUndefined();
  return reply.body;
}

async function ping(from: string, address: string): Promise<boolean> {
  return (await tryExecArgv("docker", ["exec", from, "ping", "-c", "1", "-W", "1", address])).ok;
}

/**
 * How the drop rule names the pair: by address (`-s`/`-d`, nft `ip saddr`); by range and set
 * (`-m iprange`, an nft named set), which the walk evaluates too; or by address plus a packet
 * mark no packet of the test carries, a match the walk cannot evaluate (the rule never drops).
 */
type RuleForm = "address" | "range" | "mark";

/**
 * DOCKER-USER where the engine made it (iptables, and Docker 28's bridge rules with either
 * backend's iptables-nft); an engine with the nftables backend and no such chain gets a table of
 * the test's own with a forward hook before Docker's, the way Docker's nftables docs say to add rules.
 */
async function insertDropRule(src: string, dst: string, form: RuleForm = "address"): Promise<void> {
  const filter = await execArgv("iptables-save", ["-t", "filter"]);
  if (/^:DOCKER-USER /m.test(filter)) {
    const pair =
      form === "range"
        ? ["-m", "iprange", "--src-range", `${src}-${src}`, "--dst-range", `${dst}-${dst}`]
        : ["-s", `${src}/32`, "-d", `${dst}/32`, ...(form === "mark" ? ["-m", "mark", "--mark", "0x1"] : [])];
    const args = ["DOCKER-USER", ...pair, "-m", "comment", "--comment", COMMENT, "-j", "DROP"];
    await execArgv("iptables", ["-I", ...args]);
    inserted = { kind: "iptables", args };
    return;
  }
  const table = COMMENT;
  inserted = { kind: "nft", table };
  await execArgv("nft", ["add", "table", "ip", table]);
  await execArgv("nft", [
    "add",
    "chain",
    "ip",
    table,
    NFT_CHAIN,
    "{ type filter hook forward priority -1 ; policy accept ; }",
  ]);
  if (form === "range") {
    await execArgv("nft", ["add", "set", "ip", table, "senders", "{ type ipv4_addr ; }"]);
    await execArgv("nft", ["add", "element", "ip", table, "senders", `{ ${src} }`]);
  }
  const pair =
    form === "range"
      ? ["ip", "saddr", "@senders", "ip", "daddr", `${dst}-${dst}`]
      : ["ip", "saddr", src, "ip", "daddr", dst, ...(form === "mark" ? ["meta", "mark", "0x1"] : [])];
  await execArgv("nft", ["add", "rule", "ip", table, NFT_CHAIN, ...pair, "drop", "comment", `"${COMMENT}"`]);
}

async function removeDropRule(): Promise<void> {
  if (inserted?.kind === "iptables") {
    while ((await tryExecArgv("iptables", ["-D", ...inserted.args])).ok);
  } else if (inserted?.kind === "nft") {
    await tryExecArgv("nft", ["delete", "table", "ip", inserted.table]);
  }
  inserted = null;
}
