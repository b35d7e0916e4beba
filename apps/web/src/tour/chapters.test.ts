import type { Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { SCENARIOS, scenario } from "../graph/scenarios.test-support";
import { DEFAULT_VIEW, ids, toElements, type View } from "../graph/to-elements";
import { CHAPTERS } from "./chapters";
import { indexGraph } from "./graph-index";
import { isolationTopology } from "./isolation.test-support";
import type { Chapter, Focus, StepResult, TourContext } from "./types";

type Recorded = (typeof SCENARIOS)[number];

function ctxOf(topology: Topology, view: View = DEFAULT_VIEW): TourContext {
  return { topology, graph: indexGraph(toElements(topology, view)) };
}

function chapter(id: string): Chapter {
  const found = CHAPTERS.find((c) => c.id === id);
  if (!found) throw new Error(`no chapter ${id}`);
  return found;
}

/** The step's result, which must have found its elements. */
function focused(chapterId: string, step: number, ctx: TourContext): Focus {
  const result: StepResult | undefined = chapter(chapterId).steps[step]?.show(ctx);
  if (result?.kind !== "focus") throw new Error(`${chapterId} step ${step + 1}: ${result?.text.en}`);
  return result;
}

const byName = (t: Topology, suffix: string) => {
  const c = Object.values(t.containers).find((x) => x.name.endsWith(suffix));
  if (!c) throw new Error(`no container *${suffix}`);
  return c;
};

/** Which recording each chapter is told on. */
const RECORDING: Record<string, () => Topology> = {
  intro: () => scenario("default-bridge"),
  isolation: isolationTopology,
  ...Object.fromEntries(SCENARIOS.map((name: Recorded) => [name, () => scenario(name)])),
};

describe("every step on its own scenario", () => {
  const cases = CHAPTERS.flatMap((c) => c.steps.map((_, i) => [c.id, i + 1] as const));
  it.each(cases)("%s step %i lights only drawn elements and names real values in both languages", (id, n) => {
    const make = RECORDING[id];
    if (!make) throw new Error(`no recording for chapter ${id}`);
    const ctx = ctxOf(make());
    const result = focused(id, n - 1, ctx);
    expect(result.spots.length).toBeGreaterThan(0);
    for (const spot of result.spots) expect(ctx.graph.has(spot), spot).toBe(true);
    for (const text of [result.text.en, result.text.es]) {
      expect(text).not.toMatch(/undefined|null|NaN|\?\)/);
      expect(text.split("`").length % 2, "backticks come in pairs").toBe(1);
    }
    expect(result.text.es).not.toBe(result.text.en);
  });
});

describe("the required highlights", () => {
  it("docker0: the bridge node, its address in the text", () => {
    const t = scenario("default-bridge");
    const docker0 = Object.values(t.networks).find((n) => n.isDefaultBridge)!;
    const r = focused("intro", 1, ctxOf(t));
    expect(r.spots).toEqual([ids.bridge(docker0.id)]);
    expect(r.text.en).toContain("docker0 has 172.17.0.1/16");
  });

  it("the veth pair: the container's eth0, its host veth and the pair edge", () => {
    const t = scenario("default-bridge");
    const db = byName(t, "-bridge-db");
    const r = focused("default-bridge", 1, ctxOf(t));
    expect(r.spots).toEqual([ids.iface(db.id, "eth0"), ids.veth(db.engineId, "veth6ca3033"), `e:pair:${db.id}:eth0`]);
    expect(r.text.en).toContain(`eth0 of ${db.name} is 172.17.0.5/16, its veth peer on the host is veth6ca3033`);
  });

  it("prefers the lab's own containers for the chapter's scenario", () => {
    const t = scenario("default-bridge");
    const web = byName(t, "-bridge-web");
    web.labScenario = "default-bridge";
    expect(focused("default-bridge", 1, ctxOf(t)).spots[0]).toBe(ids.iface(web.id, "eth0"));
  });

  it("127.0.0.11: the embedded DNS node, and a container selected so the details show its rules", () => {
    const t = scenario("user-bridge");
    const mynet = Object.values(t.networks).find((n) => n.embeddedDns)!;
    const db = byName(t, "-mynet-db");
    const r = focused("user-bridge", 1, ctxOf(t));
    expect(r.spots).toEqual([ids.dns(mynet.id), ids.container(db.id)]);
    expect(r.select).toEqual({ type: "container", id: db.id });
    expect(r.text.en).toContain("127.0.0.11");
    expect(r.text.en).toContain("--dns");
  });

  it("host mode: the container inside the host box, no IP", () => {
    const t = scenario("host");
    const tools = byName(t, "-host-tools");
    expect(focused("host", 0, ctxOf(t)).spots).toEqual([ids.container(tools.id)]);
  });

  it("none mode: the lone lo", () => {
    const t = scenario("none");
    const tools = byName(t, "-none-tools");
    const r = focused("none", 0, ctxOf(t));
    expect(r.spots).toEqual([ids.iface(tools.id, "lo")]);
    expect(r.text.en).toContain("lo 127.0.0.1/8");
  });

  it("join-network: the shared box and the container inside it", () => {
    const t = scenario("join-network");
    const mysql = byName(t, "-joinnet-mysql");
    const tools = byName(t, "-joinnet-tools");
    expect(focused("join-network", 0, ctxOf(t)).spots).toEqual([ids.container(mysql.id), ids.container(tools.id)]);
  });

  it("join-pid: the dashed edge", () => {
    const t = scenario("join-pid");
    const tools = byName(t, "-joinpid-tools");
    expect(focused("join-pid", 0, ctxOf(t)).spots[0]).toBe(`e:pid:${tools.id}`);
  });

  it("compose: the project box", () => {
    const t = scenario("compose");
    const apache = byName(t, "-apache");
    expect(focused("compose", 0, ctxOf(t)).spots[0]).toBe(ids.compose(apache.engineId, apache.composeProject!));
  });

  it("isolation: two bridges with no edge between them, ICC off, internal without NAT", () => {
    const t = isolationTopology();
    const net = (role: string) => Object.values(t.networks).find((n) => n.name.endsWith(`-iso-${role}`))!;
    const ctx = ctxOf(t);
    expect(focused("isolation", 0, ctx).spots).toEqual([ids.bridge(net("left").id), ids.bridge(net("right").id)]);
    expect(focused("isolation", 1, ctx).text.en).toMatch(/eth0 10\.31\.0\.\d+\/24 \(nd-test-iso-left\)/);
    expect(focused("isolation", 2, ctx).spots[0]).toBe(ids.bridge(net("quiet").id));
    const internal = focused("isolation", 3, ctx);
    expect(internal.spots[0]).toBe(ids.bridge(net("vault").id));
    expect(ctx.graph.edges("nat", { source: ids.bridge(net("vault").id) })).toEqual([]);
  });

  it("isolation: names the rules where this engine keeps them (Docker 20.10-28, 29, 29 with nftables)", () => {
    const t = isolationTopology();
    const engineId = Object.keys(t.engines)[0]!;
    const say = (version: string, firewallBackend?: string) => {
      const copy = structuredClone(t);
      copy.engines[engineId] = { ...copy.engines[engineId]!, version, ...(firewallBackend ? { firewallBackend } : {}) };
      return focused("isolation", 0, ctxOf(copy)).text;
    };
    expect(say("20.10.24+dfsg1").en).toContain("DOCKER-ISOLATION chains");
    expect(say("28.5.2+dfsg3", "nftables").en).toContain("DOCKER-ISOLATION chains");
    expect(say("29.1.0", "iptables").en).toContain("DOCKER-FORWARD");
    expect(say("29.1.0", "nftables").en).toContain("docker-bridges");
    expect(say("29.1.0", "nftables").es).toContain("docker-bridges");
  });
});

describe("when nothing fits", () => {
  it("says what to run instead of lighting nothing", () => {
    const ctx = ctxOf(scenario("host"));
    for (const id of ["default-bridge", "user-bridge", "compose", "none", "join-network", "join-pid", "join-both"]) {
      const result = chapter(id).steps[0]?.show(ctx);
      expect(result?.kind, id).toBe("missing");
      expect(result?.text.en).toContain(`pnpm lab up ${id}`);
      expect(result?.text.es).toContain(`pnpm lab up ${id}`);
    }
  });

  it("lights only what the view shows: a filter that hides the containers leaves the step without them", () => {
    const t = scenario("default-bridge");
    const result = chapter("default-bridge").steps[1]?.show(ctxOf(t, { ...DEFAULT_VIEW, filter: "no-such-thing" }));
    expect(result?.kind).toBe("missing");
  });
});
