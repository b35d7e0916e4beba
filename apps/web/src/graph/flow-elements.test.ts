import type { Flow, FlowsAnswer, Topology } from "@netdive/model";
import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { syncCanvas } from "./canvas-sync";
import { ids } from "./elements";
import { applyFlows, canvasLookup } from "./flow-canvas";
import { flowElements, flowIds } from "./flow-elements";
import { EMPTY_LAYOUT, layout } from "./layout";
import { scenario } from "./scenarios.test-support";
import { toElements } from "./to-elements";

const containerId = (t: Topology, suffix: string) =>
  Object.values(t.containers).find((c) => c.name.endsWith(suffix))!.id;

function answer(t: Topology, flows: Partial<Flow>[]): FlowsAnswer {
  const web = containerId(t, "-web");
  const db = containerId(t, "-db");
  return {
    windowSeconds: 10,
    readAt: new Date(0).toISOString(),
    unavailable: [],
    sources: [],
    flows: flows.map((f, i) => ({
      id: `local|tcp|${web}|${db}|${i}`,
      engineId: "local",
      protocol: "tcp",
      port: 5432,
      client: { kind: "container", containerId: web },
      server: { kind: "container", containerId: db },
      status: "open",
      idleMs: 0,
      connections: 1,
      evidence: [],
      ...f,
    })),
  };
}

/** The user-bridge scenario (web and db on mynet) laid out on a headless canvas, as the page draws it. */
function drawn() {
  const t = scenario("user-bridge");
  const els = toElements(t);
  const state = layout(els, EMPTY_LAYOUT);
  const cy = cytoscape({ headless: true, styleEnabled: false });
  const sync = () =>
    syncCanvas(cy, { all: new Set(els.map((e) => e.data.id)), mounted: els, state, lod: "detail", keyChanged: false });
  sync();
  const positions = () => Object.fromEntries(cy.nodes("[!flow]").map((n) => [n.id(), { ...n.position() }]));
  return { t, cy, sync, positions, lookup: canvasLookup(cy) };
}

describe("flow elements", () => {
  it("an edge from the client's box to the server's, labelled with protocol and port, pointing at the listener", () => {
    const { t, lookup } = drawn();
    const [edge] = flowElements(answer(t, [{}]), lookup);
    expect(edge).toMatchObject({
      group: "edges",
      data: {
        source: ids.container(containerId(t, "-web")),
        target: ids.container(containerId(t, "-db")),
        label: "tcp/5432",
        status: "open",
        fade: 0,
        ref: { type: "flow" },
      },
    });
  });

  it("an ended flow fades with its idle time over the window", () => {
    const { t, lookup } = drawn();
    const fades = flowElements(
      answer(t, [
        { status: "ended", idleMs: 0 },
        { status: "ended", idleMs: 5000 },
        { status: "ended", idleMs: 10_000 },
      ]),
      lookup,
    ).map((e) => (e.group === "edges" ? e.data.fade : null));
    expect(fades).toEqual([0, 0.5, 1]);
  });

  it("one outside node per NIC, left of the host box level with that NIC; none when nothing anchors it", () => {
    const { t, lookup } = drawn();
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!.name;
    const out = { kind: "outside" as const, nic };
    const els = flowElements(answer(t, [{ server: out, port: 53, protocol: "udp" }, { client: out }]), lookup);
    const nodes = els.filter((e) => e.group === "nodes");
    expect(nodes).toHaveLength(1);
    const at = lookup.positionOf(ids.nic("local", nic))!;
    const host = lookup.boundsOf(ids.host("local"))!;
    expect(nodes[0]).toMatchObject({ data: { id: flowIds.outside("local", nic), kind: "outside" } });
    // Left of the host box, level with its NIC.
    expect(nodes[0]?.group === "nodes" && nodes[0].position).toEqual({ x: host.x1 - 110, y: at.y });
    const nothing = { positionOf: () => undefined, boundsOf: () => undefined };
    expect(flowElements(answer(t, [{ server: out }]), nothing)).toEqual([]);
  });

  it("adding, fading and removing flows never moves a node, and the element sync leaves them be", () => {
    const { t, cy, sync, positions, lookup } = drawn();
    const before = positions();
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!.name;
    applyFlows(cy, flowElements(answer(t, [{}, { server: { kind: "outside", nic }, port: 53 }]), lookup));
    expect(cy.edges("[?flow]")).toHaveLength(2);
    expect(cy.nodes("[?flow]")).toHaveLength(1);
    expect(positions()).toEqual(before);
    sync();
    expect(cy.edges("[?flow]"), "a topology sync keeps the flows").toHaveLength(2);
    applyFlows(cy, flowElements(answer(t, [{ status: "ended", idleMs: 4000 }]), lookup));
    expect(cy.getElementById(flowIds.edge(answer(t, [{}]).flows[0]!.id)).data("fade")).toBe(0.4);
    applyFlows(cy, []);
    expect(cy.elements("[?flow]").every((e) => e.data("leaving") === true)).toBe(true);
    expect(positions()).toEqual(before);
  });

  it("the host's end is the bridge whose gateway address it used (the userland proxy), else the host box", () => {
    const { t, lookup } = drawn();
    const net = Object.values(t.networks).find((n) => n.name.endsWith("mynet"))!;
    const viaBridge = { kind: "host" as const, interface: net.bridge! };
    const [edge] = flowElements(answer(t, [{ client: viaBridge }]), lookup, t);
    expect(edge?.data).toMatchObject({ source: ids.bridge(net.id), arc: false });
    const [boxed] = flowElements(answer(t, [{ client: { kind: "host" } }]), lookup, t);
    expect(boxed?.data).toMatchObject({ source: ids.host("local") });
  });
});
