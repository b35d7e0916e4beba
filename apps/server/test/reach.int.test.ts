import { cleanup, docker, leftovers, newRun, tearDown, upAll, type ScenarioRun } from "@netdive/lab";
import { mapLimit } from "@netdive/model";
import { explainReach, reachTargets, type ReachAnswer, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_URL } from "./engine";
import { buildServer } from "../src/app";
import { getJson } from "./inject";

/**
 * The explainer against the kernel: every ordered pair of containers across all lab scenarios,
 * predicted by explainReach (a pure function of netdive's topology) and observed from inside the
 * sender with one `ping -c 1 -W 1` per candidate address and one bounded lookup of the target's
 * name. Lab containers resolve through 127.0.0.1 upstream, so no lookup leaves the machine.
 */

const run = newRun();
let scenarios: ScenarioRun[] = [];
let server: FastifyInstance | undefined;
let topology: Topology;

interface Observed {
  pings: Record<string, boolean>;
  resolved: string[];
  lookup: string;
}

interface Row {
  from: string;
  to: string;
  predicted: ReachAnswer;
  observed: Observed;
}

const rows: Row[] = [];

beforeAll(async () => {
  scenarios = Object.values(await upAll(run));
  server = await buildServer({ dockerHost: ENGINE_URL });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
  const ours = Object.values(topology.containers)
    .filter((c) => c.name.startsWith(run.prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  await mapLimit(ours, 4, (c) => expectLocalResolver(c.netnsOwnerId ?? c.id, c.name));
  // One exec per sender runs all its probes, a few at a time (the lab's pids limit is 64).
  // Senders that share a network namespace take turns: see sharedNetnsTurns.
  await mapLimit(sharedNetnsTurns(ours), 4, async (turns) => {
    for (const from of turns) {
      const peers = ours.filter((to) => to.id !== from.id);
      const observed = await probeFrom(
        from.name,
        peers.map((to) => ({ id: to.id, name: to.name, targets: reachTargets(topology, from.id, to.id) })),
      );
      for (const to of peers) {
        rows.push({
          from: from.name,
          to: to.name,
          predicted: explainReach(topology, from.id, to.id),
          observed: observed[to.id] as Observed,
        });
      }
    }
  });
  printTable();
}, 600_000);

afterAll(async () => {
  await server?.close();
  await (scenarios.length ? tearDown(run, scenarios) : cleanup(run.id));
  expect(await leftovers(run.id)).toEqual({ containers: [], networks: [] });
});

describe("reachability: the explainer agrees with live pings and lookups", () => {
  it("covers every ordered pair of the run's containers", () => {
    const n = Object.values(topology.containers).filter((c) => c.name.startsWith(run.prefix)).length;
    expect(n).toBeGreaterThanOrEqual(15);
    expect(rows.length).toBe(n * (n - 1));
  });

  it("IP: reachable exactly when some address answers a ping, and the explained address is one that does", () => {
    const wrong = rows.filter((r) => {
      const any = Object.values(r.observed.pings).some(Boolean);
      if (any !== r.predicted.ip.reachable) return true;
      return r.predicted.ip.via !== null && r.observed.pings[r.predicted.ip.via.address] !== true;
    });
    expect(wrong.map(describeRow)).toEqual([]);
  });

  it("DNS: the name resolves exactly when predicted, to a predicted address", () => {
    const wrong = rows.filter((r) => {
      const resolves = r.observed.resolved.length > 0;
      if (resolves !== r.predicted.dns.resolves) return true;
      return r.observed.resolved.some((a) => !r.predicted.dns.addresses.includes(a));
    });
    expect(wrong.map(describeRow)).toEqual([]);
  });

  it("every reason is a sentence about these two containers", () => {
    for (const r of rows) {
      for (const reason of [r.predicted.ip.reason, r.predicted.dns.reason]) {
        expect(reason.includes(r.from) || reason.includes(r.to), reason).toBe(true);
        expect(reason).toMatch(/\.$/);
      }
    }
  });
});

/**
 * The senders grouped by the network namespace they send from, to probe one after another.
 *
 * Why: busybox ping reads replies on a raw ICMP socket, which gets every ICMP packet of its
 * network namespace, and takes any echo reply whose ICMP id is its own pid, from whatever
 * address. `--network container:X` shares X's network namespace but not its PID namespace, so
 * X's pings and the joiner's can carry the same pid (both count up from 1 inside their
 * container). Probed at once, joinnet-mysql's ping of an isolated address was "answered" by
 * the reply to a ping joinnet-tools sent within their shared namespace: the flaky "isolated but
 * answered" rows. Pings from one PID namespace never share an id, so a namespace's senders take
 * turns and the probes inside each one still run in parallel.
 */
function sharedNetnsTurns<C extends { id: string; netnsOwnerId: string | null }>(senders: C[]): C[][] {
  const byNetns = new Map<string, C[]>();
  for (const c of senders) {
    const key = c.netnsOwnerId ?? c.id;
    byNetns.set(key, [...(byNetns.get(key) ?? []), c]);
  }
  return [...byNetns.values()];
}

/**
 * Refuses to send a lookup that could leave the machine: the sender's nameservers must be
 * loopback, and the upstream of Docker's embedded DNS (HostConfig.Dns) too.
 */
async function expectLocalResolver(ownerId: string, name: string): Promise<void> {
  const resolv = await docker(["exec", name, "cat", "/etc/resolv.conf"]);
  const servers = [...resolv.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1] as string);
  const upstream = JSON.parse(await docker(["inspect", "-f", "{{json .HostConfig.Dns}}", ownerId])) as string[] | null;
  const all = [...servers, ...(servers.includes("127.0.0.11") ? (upstream ?? ["(the host's resolver)"]) : [])];
  expect(
    all.filter((s) => !s.startsWith("127.")),
    `${name} resolves only on this machine`,
  ).toEqual([]);
}

/** Runs every probe of one sender inside it; the targets and names come from the engine, not from input. */
async function probeFrom(
  container: string,
  peers: { id: string; name: string; targets: string[] }[],
): Promise<Record<string, Observed>> {
  const jobs: string[] = [];
  for (const peer of peers) {
    for (const target of peer.targets) {
      jobs.push(
        `(ping -c 1 -W 1 ${target} >/dev/null 2>&1 && echo "P|${peer.id}|${target}|ok" || echo "P|${peer.id}|${target}|no")`,
      );
    }
    jobs.push(`(echo "D|${peer.id}|$(nslookup -timeout=1 -retry=1 ${peer.name} 2>&1 | tr '\\n' '~')")`);
  }
  const script: string[] = [];
  for (let i = 0; i < jobs.length; i += 8) script.push(...jobs.slice(i, i + 8).map((j) => `${j} &`), "wait");
  const out = await docker(["exec", container, "sh", "-c", script.join("\n")], { timeoutMs: 300_000 });
  const observed: Record<string, Observed> = Object.fromEntries(
    peers.map((p) => [p.id, { pings: {}, resolved: [], lookup: "" }]),
  );
  for (const line of out.split("\n")) {
    const [kind, id = "", a = "", b = ""] = line.split("|");
    const o = observed[id];
    if (!o) continue;
    if (kind === "P") o.pings[a] = b === "ok";
    if (kind === "D") {
      o.lookup = a;
      o.resolved = resolvedAddresses(a);
    }
  }
  return observed;
}

/** The IPv4 addresses busybox nslookup printed after the answer's `Name:` line. */
function resolvedAddresses(output: string): string[] {
  const lines = output.split("~");
  const start = lines.findIndex((l) => l.startsWith("Name:"));
  if (start < 0) return [];
  return lines.slice(start).flatMap((l) => {
    const m = /^Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/.exec(l);
    return m ? [m[1] as string] : [];
  });
}

function short(name: string): string {
  return name.slice(run.prefix.length);
}

function describeRow(r: Row): string {
  const pings = Object.entries(r.observed.pings)
    .map(([t, ok]) => `${t}:${ok ? "ok" : "no"}`)
    .join(" ");
  return (
    `${short(r.from)} -> ${short(r.to)}: predicted ip ${r.predicted.ip.reachable} (${r.predicted.ip.code}` +
    ` via ${r.predicted.ip.via?.address ?? "-"}), dns ${r.predicted.dns.resolves} (${r.predicted.dns.code}` +
    ` ${r.predicted.dns.addresses.join(",")}); observed pings [${pings}] lookup [${r.observed.resolved.join(",")}]`
  );
}

/** One line per sender: for each receiver, IP then DNS, "+" works, "." does not, "!" disagrees. */
function printTable(): void {
  const names = [...new Set(rows.map((r) => r.from))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const lines = [`reach table, run ${run.id}: cell = IP,DNS; + works, . does not, ! predicted otherwise`];
  lines.push(names.map((n, i) => `${String(i).padStart(2)} ${short(n)}`).join("\n"));
  lines.push(`      ${names.map((_, i) => String(i).padStart(3)).join("")}`);
  for (const from of names) {
    const cells = names.map((to) => {
      if (to === from) return "  =";
      const r = rows.find((x) => x.from === from && x.to === to);
      if (!r) return "  ?";
      const ip = Object.values(r.observed.pings).some(Boolean);
      const dns = r.observed.resolved.length > 0;
      const mark = (seen: boolean, said: boolean) => (seen !== said ? "!" : seen ? "+" : ".");
      return ` ${mark(ip, r.predicted.ip.reachable)}${mark(dns, r.predicted.dns.resolves)}`;
    });
    lines.push(`${String(index.get(from)).padStart(4)}  ${cells.join("")}`);
  }
  const agree = rows.filter(
    (r) =>
      Object.values(r.observed.pings).some(Boolean) === r.predicted.ip.reachable &&
      r.observed.resolved.length > 0 === r.predicted.dns.resolves,
  ).length;
  lines.push(`${agree}/${rows.length} pairs agree on both answers`);
  console.log(lines.join("\n"));
}
