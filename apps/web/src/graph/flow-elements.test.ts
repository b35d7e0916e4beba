import type { Flow, FlowsAnswer, Topology } from "@netdive/model";
import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { syncCanvas } from "./canvas-sync";
import { ids } from "./elements";
import { applyFlows, canvasLookup } from "./flow-canvas";
import { flowElements, flowIds } from "./flow-elements";
import { EMPTY_LAYOUT, layout } from "./layout";
import { mountedElements, roomsOf } from "./mount";
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

/**
 * The user-bridge scenario (web and db on mynet) laid out on a headless canvas, as the page draws
 * it: close up (every room open), or from far away (every room a closed card).
 */
function drawn(rooms: "open" | "closed" = "open") {
  const t = scenario("user-bridge");
  const els = toElements(t);
  const state = layout(els, EMPTY_LAYOUT);
  const cy = cytoscape({ headless: true, styleEnabled: false });
  const all = new Set(els.map((e) => e.data.id));
  const sync = (open = rooms === "open") => {
    const mounted = open ? els : mountedElements(els, new Set(), state);
    syncCanvas(cy, { all, mounted, state, lod: open ? "detail" : "rooms", keyChanged: false });
  };
  sync();
  const positions = () => Object.fromEntries(cy.nodes("[!flow]").map((n) => [n.id(), { ...n.position() }]));
  return { t, cy, sync, positions, lookup: canvasLookup(cy, roomsOf(els)) };
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

  it("from far away flows between two containers of one closed room are one tag in its corner, over it", () => {
    const { t, cy, lookup } = drawn("closed");
    const web = ids.container(containerId(t, "-web"));
    expect(cy.getElementById(web).empty(), "the room is a closed card").toBe(true);
    const two = answer(t, [{ port: 80 }, { port: 5432, status: "ended", idleMs: 5000 }]);
    const els = flowElements(two, lookup, t);
    expect(els).toHaveLength(1);
    const net = Object.values(t.networks).find((n) => n.name.endsWith("mynet"))!;
    const room = ids.room(net.id);
    const box = lookup.boundsOf(room)!;
    expect(els[0]).toEqual({
      group: "nodes",
      data: {
        id: flowIds.bundle(room, room),
        kind: "talk",
        label: "⇄ tcp/5432, tcp/80",
        count: 2,
        // One of the two is open: the tag is open and not faded.
        status: "open",
        fade: 0,
        flow: true,
        ref: { type: "flow", id: two.flows[0]!.id, ids: two.flows.map((f) => f.id), edge: flowIds.bundle(room, room) },
      },
      // Pinned by its top right corner just inside the room's.
      position: { x: box.x2 - 16, y: box.y1 + 16 },
    });
    const many = answer(t, [{ port: 80 }, { port: 443 }, { port: 5432 }, { port: 8080 }]);
    expect(flowElements(many, lookup, t)[0]?.data).toMatchObject({ label: "⇄ tcp/443, tcp/5432 +2", count: 4 });
  });

  it("a flow from a closed room to the outside goes from the room's card to the NIC's outside node", () => {
    const { t, lookup } = drawn("closed");
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!.name;
    const net = Object.values(t.networks).find((n) => n.name.endsWith("mynet"))!;
    const els = flowElements(answer(t, [{ server: { kind: "outside", nic }, protocol: "udp", port: 53 }]), lookup, t);
    expect(els.map((e) => e.data.id)).toEqual([
      flowIds.outside("local", nic),
      flowIds.bundle(ids.room(net.id), flowIds.outside("local", nic)),
    ]);
    expect(els[1]?.data).toMatchObject({ count: 1, label: "udp/53" });
  });

  it("opening the room moves the flow from the card to the boxes, and closing it moves it back, no node moving", () => {
    const { t, cy, sync, positions } = drawn("closed");
    const lookup = () => canvasLookup(cy, roomsOf(toElements(t)));
    const one = answer(t, [{}]);
    const draw = () => applyFlows(cy, flowElements(one, lookup(), t));
    const shown = () => cy.elements("[?flow]").filter((e) => !e.data("leaving"));
    draw();
    expect(shown().map((e) => e.data("kind"))).toEqual(["talk"]);
    sync(true);
    const before = positions();
    draw();
    expect(shown().map((e) => e.id())).toEqual([flowIds.edge(one.flows[0]!.id)]);
    expect(positions()).toEqual(before);
    sync(false);
    draw();
    expect(shown().map((e) => e.data("kind"))).toEqual(["talk"]);
    // The room grew (a container joined): the tag follows its corner.
    const [tag] = flowElements(one, lookup(), t);
    if (tag?.group !== "nodes") throw new Error("expected the tag");
    applyFlows(cy, [{ ...tag, position: { x: tag.position.x + 40, y: tag.position.y - 30 } }]);
    expect(cy.getElementById(tag.data.id).position()).toEqual({ x: tag.position.x + 40, y: tag.position.y - 30 });
  });
});
