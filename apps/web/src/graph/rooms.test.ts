import type { Container, Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { ids, type NodeData } from "./elements";
import { chooseWrap, EMPTY_LAYOUT, GRID, layout, roomShape } from "./layout";
import { pack, roomWidth } from "./room-packing";
import { CARD_LINE_HEIGHT, fitRoomCard, fitRoomCardParts, fitRoomCards, lodAt } from "./lod";
import { wrapName } from "./card-text";
import { SCENARIOS, scenario } from "./scenarios.test-support";
import { isolationTopology } from "../tour/isolation.test-support";
import { ElementCache, toElements } from "./to-elements";
import { DEFAULT_VIEW } from "./view-filter";

/** Every recorded scenario on one host, as `pnpm lab up all` makes it. */
function wholeHost(): Topology {
  const all = SCENARIOS.map((name) => scenario(name));
  const t = structuredClone(all[0]!);
  for (const s of all.slice(1)) {
    Object.assign(t.networks, s.networks);
    Object.assign(t.containers, s.containers);
  }
  return t;
}

const roomsOf = (t: Topology) =>
  toElements(t).filter((e) => e.group === "nodes" && (e.data as NodeData).kind === "room");

describe("rooms", () => {
  it("one room per drawn bridge network, docker0's first, each container's box in its home network's room", () => {
    const t = wholeHost();
    const els = toElements(t);
    const rooms = roomsOf(t).map((e) => e.data.id);
    const bridges = Object.values(t.networks).filter((n) => n.bridge);
    expect(rooms.filter((r) => !r.startsWith("room:unattached"))).toHaveLength(bridges.length);
    expect(rooms[0]).toBe(ids.room(bridges.find((n) => n.isDefaultBridge)!.id));
    for (const c of Object.values(t.containers)) {
      const box = els.find((e) => e.data.id === ids.container(c.id))?.data as NodeData | undefined;
      if (!box || box.kind !== "netns") continue;
      const bridge = Object.keys(c.endpoints).find((id) => t.networks[id]?.bridge);
      expect(box.room).toBe(bridge ? ids.room(bridge) : ids.unattachedRoom(c.engineId));
    }
  });

  it("networks that share a container get rooms side by side", () => {
    const t = isolationTopology();
    const router = Object.values(t.containers).find((c) => c.name.endsWith("iso-router"))!;
    // The engine lists the router's two networks apart: the rooms still stand side by side.
    const [first, second] = Object.keys(router.endpoints);
    const others = Object.keys(t.networks).filter((id) => id !== first && id !== second);
    t.networks = Object.fromEntries(
      [first!, ...others, second!].map((id) => [id, t.networks[id]!]),
    ) as Topology["networks"];
    expect(others.length).toBeGreaterThan(0);
    const order = roomsOf(t).map((e) => e.data.id);
    const [a, b] = Object.keys(router.endpoints).map((id) => order.indexOf(ids.room(id)));
    expect(Math.abs(a! - b!)).toBe(1);
  });

  it("a container's card says its name, its address on the room's network and who joined it", () => {
    const t = scenario("join-network");
    const owner = Object.values(t.containers).find((c) => !c.netnsOwnerId && c.networkMode !== "host")!;
    const joined = Object.values(t.containers).find((c) => c.netnsOwnerId === owner.id)!;
    const box = toElements(t).find((e) => e.data.id === ids.container(owner.id))!.data as NodeData;
    const card = box.card!.replace(/\n/g, "");
    expect(card).toContain(owner.name);
    expect(card).toContain(Object.values(owner.endpoints)[0]!.ipv4!);
    expect(card).toContain(joined.name);
  });

  it("long names break after their separators, never losing a character", () => {
    expect(wrapName("nd-xerjo08f-joinboth-owner", 15)).toBe("nd-xerjo08f-\njoinboth-owner");
    expect(wrapName("web", 15)).toBe("web");
    expect(wrapName("averyveryverylongnamewithoutbreaks", 10).replace(/\n/g, "")).toBe(
      "averyveryverylongnamewithoutbreaks",
    );
  });
});

describe("the 2-D layout", () => {
  it("wraps the rooms into rows that suit the canvas: wider for 16:9 than for a portrait canvas", () => {
    const needs = Array.from({ length: 8 }, (_, i) => ({ id: `room:${i}`, members: 2, tallest: 2 }));
    expect(chooseWrap(needs, 16 / 9)).toBeGreaterThan(chooseWrap(needs, 9 / 16));
  });

  it("rooms never overlap, and every room's boxes stand inside its columns", () => {
    const t = wholeHost();
    const state = layout(toElements(t), EMPTY_LAYOUT, 16 / 9);
    const places = Object.entries(state.rooms).map(([id, p]) => ({ id, ...p, x1: p.x0 + p.cols * GRID.column }));
    for (const a of places) {
      for (const b of places) {
        if (a.id >= b.id || a.row !== b.row) continue;
        expect(a.x1 <= b.x0 || b.x1 <= a.x0, `${a.id} / ${b.id}`).toBe(true);
      }
      expect(Object.keys(a.slots).length).toBeLessThan(a.cols * a.rows);
    }
    expect(new Set(places.map((p) => p.row)).size).toBeGreaterThan(1);
  });

  it("rows run back and forth: the room after a wrap stands above the one before it", () => {
    const t = wholeHost();
    const state = layout(toElements(t), EMPTY_LAYOUT, 16 / 9);
    const order = roomsOf(t).map((e) => e.data.id);
    let wraps = 0;
    for (let k = 1; k < order.length; k++) {
      const a = state.rooms[order[k - 1]!]!;
      const b = state.rooms[order[k]!]!;
      if (a.row === b.row) continue;
      wraps++;
      const overlap = Math.min(a.x0 + a.cols * GRID.column, b.x0 + b.cols * GRID.column) - Math.max(a.x0, b.x0);
      expect(overlap, `${order[k - 1]} then ${order[k]}`).toBeGreaterThan(0);
    }
    expect(wraps).toBeGreaterThan(0);
  });

  it("each room is given a spare slot, so a new container moves nothing", () => {
    for (let members = 0; members < 40; members++) {
      const { cols, rows } = roomShape(members);
      expect(cols * rows).toBeGreaterThan(members);
    }
  });

  it("a new network appends a room and moves nothing already placed", () => {
    const t = wholeHost();
    const before = layout(toElements(t), EMPTY_LAYOUT, 16 / 9);
    const extra = scenario("user-bridge");
    const net = structuredClone(Object.values(extra.networks).find((n) => n.bridge && !n.isDefaultBridge)!);
    net.id = "e".repeat(64);
    net.name = "late-net";
    net.containerIds = [];
    const next = structuredClone(t);
    next.networks[net.id] = net;
    const after = layout(toElements(next), before, 16 / 9);
    for (const [id, p] of Object.entries(before.positions)) expect(after.positions[id], id).toEqual(p);
    expect(after.rooms[ids.room(net.id)]).toBeDefined();
    expect(after.reflowed).toBe(false);
  });
});

describe("only the touched room is rebuilt", () => {
  it("a patch that changes one container rebuilds its room alone and keeps the others' elements", () => {
    const t = wholeHost();
    const cache = new ElementCache();
    const first = cache.build(t, DEFAULT_VIEW);
    expect(cache.rebuilt.size).toBe(roomsOf(t).length);
    const target = Object.values(t.containers).find((c) => c.name.endsWith("mynet-web"))!;
    const next: Topology = {
      ...t,
      containers: { ...t.containers, [target.id]: { ...target, state: "paused" } as Container },
    };
    const second = cache.build(next, DEFAULT_VIEW);
    const home = Object.keys(target.endpoints).find((id) => t.networks[id]?.bridge)!;
    expect([...cache.rebuilt]).toEqual([ids.room(home)]);
    expect(second.find((e) => e.data.id === ids.container(target.id))?.data).toMatchObject({ state: "paused" });
    expect(second.length).toBe(first.length);
  });
});

describe("level of detail", () => {
  it("draws the figure from zoom 1, cards from 0.4, rooms as cards below", () => {
    expect(lodAt(1)).toBe("detail");
    expect(lodAt(0.99)).toBe("containers");
    expect(lodAt(0.4)).toBe("containers");
    expect(lodAt(0.39)).toBe("rooms");
  });

  it("a room's card keeps its title and as many names as fit, then says how many more", () => {
    const card = [
      "mynet",
      "br-0123456789ab  172.18.0.0/16",
      "40 containers",
      ...Array.from({ length: 40 }, (_, i) => `web-${i}`),
    ].join("\n");
    const fitted = fitRoomCard(card, 600, 300, 30, "more");
    const lines = fitted.split("\n");
    expect(lines[0]).toBe("mynet");
    expect(lines.length).toBeLessThanOrEqual(Math.floor(300 / (30 * CARD_LINE_HEIGHT)));
    expect(fitted).toMatch(/\+\d+\smore$/);
    expect(fitRoomCard(card, 600, 3000, 30, "more")).toContain("web-39");
  });

  it("a small room's card gives the count's line to its members' names when that lets every name show", () => {
    const card = ["nd-x-iso-right", "br-8916f5d56ac7  172.30.0.0/16", "1 container", "nd-x-iso-right-b"].join("\n");
    // Room for three lines of 30: the name, the bridge and subnet, and one more.
    const fitted = fitRoomCard(card, 1200, 3.5 * 30 * CARD_LINE_HEIGHT, 30, "more");
    expect(fitted.split("\n")).toEqual(["nd-x-iso-right", "br-8916f5d56ac7  172.30.0.0/16", "nd-x-iso-right-b"]);
    // With room for the count too, it stays.
    expect(fitRoomCard(card, 1200, 4.5 * 30 * CARD_LINE_HEIGHT, 30, "more")).toContain("1 container");
  });

  it("a card says which extras it found room for, and leaves out those the others had none for", () => {
    const card = ["nd-x-iso-right", "br-8916f5d56ac7  172.30.0.0/16", "1 container", "nd-x-iso-right-b"].join("\n");
    const roomy = fitRoomCardParts(card, 1200, 4.5 * 30 * CARD_LINE_HEIGHT, 30, "more");
    expect(roomy).toMatchObject({ bridge: true, count: true });
    const tight = fitRoomCardParts(card, 1200, 3.5 * 30 * CARD_LINE_HEIGHT, 30, "more");
    expect(tight).toMatchObject({ bridge: true, count: false });
    // Another card had no room for its bridge: this one says its subnet alone, and no count either.
    const same = fitRoomCardParts(card, 1200, 4.5 * 30 * CARD_LINE_HEIGHT, 30, "more", { bridge: false, count: false });
    expect(same.text.split("\n")).toEqual(["nd-x-iso-right", "172.30.0.0/16", "nd-x-iso-right-b"]);
  });

  it("cards fitted together say the same things: a count on all of them, or on none", () => {
    const card = (name: string, members: number) =>
      [
        name,
        `br-${name.padEnd(12, "0")}  172.30.0.0/16`,
        `${members} containers`,
        ...Array.from({ length: members }, (_, k) => `${name}-${k}`),
      ].join("\n");
    const roomy = { card: card("roomy", 1), width: 1200, height: 6 * 30 * CARD_LINE_HEIGHT };
    const tight = { card: card("tight", 2), width: 1200, height: 3.5 * 30 * CARD_LINE_HEIGHT };
    // Alone, the roomy card says its count; beside one with no room for it, neither does.
    expect(fitRoomCards([roomy], 30, "more").texts[0]).toContain("1 containers");
    const both = fitRoomCards([roomy, tight], 30, "more");
    expect(both.allowed).toEqual({ bridge: true, count: false });
    expect(both.texts.some((t) => t.includes("containers"))).toBe(false);
    // The bridge's name stays where it fits.
    expect(both.texts[0]).toContain("br-roomy");
    // A patch's few cards keep the decision taken for all.
    expect(fitRoomCards([roomy], 30, "more", both.allowed).texts[0]).not.toContain("containers");
  });
});

describe("rooms that share a container", () => {
  it("never stand on two sides of a wrap: the one before goes down with its neighbour", () => {
    const room = (id: string, joinsPrevious = false) => ({ id, members: 3, tallest: 2, joinsPrevious });
    const width = roomWidth(roomShape(3).cols);
    const wrap = 2 * width + GRID.roomGapX;
    expect(pack([room("a"), room("b"), room("c")], wrap).rows.map((r) => r.ids)).toEqual([["a", "b"], ["c"]]);
    expect(pack([room("a"), room("b"), room("c", true)], wrap).rows.map((r) => r.ids)).toEqual([["a"], ["b", "c"]]);
    // Alone in its row, it stays: the pair cannot fit one row anyway.
    expect(pack([room("b"), room("c", true)], width).rows.map((r) => r.ids)).toEqual([["b"], ["c"]]);
  });
});
