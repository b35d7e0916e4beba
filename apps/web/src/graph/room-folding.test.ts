import { generateHost, HOST_SHAPES, withOneMoreContainer } from "@netdive/model";
import { describe, expect, it } from "vitest";
import type { GraphElement, NodeData } from "./elements";
import { EMPTY_LAYOUT, layout, placeSize, type LayoutState } from "./layout";
import { fitRoomCard } from "./lod";
import { chooseFolds } from "./room-folding";
import { GRID, type RoomNeed } from "./room-packing";
import { scenario, SCENARIOS } from "./scenarios.test-support";
import { toElements } from "./to-elements";

/**
 * Folding rooms one by one (room-folding.ts): a host that fits stays open, a host that does not
 * folds only what it must, largest first, each folded room a card that names its network and as
 * many members as its words allow, and a room the user opened stays open.
 */

const PAGE = { width: 1680, height: 960 };
const PROJECTOR = { width: 1280, height: 640 };

const folded = (state: LayoutState) => Object.keys(state.rooms).filter((id) => state.rooms[id]!.card);

/**
 * The picture's extent as the layout placed it: rooms (or their cards) and every positioned node;
 * with `els` and a far `zoom`, the host-mode containers' names too, which hang below their boxes
 * at 13 CSS px whatever the zoom (style.ts).
 */
function extent(state: LayoutState, els: readonly GraphElement[] = [], zoom = 1): { w: number; h: number } {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const r of Object.values(state.rooms)) {
    const { w, h } = placeSize(r);
    x1 = Math.min(x1, r.x0);
    x2 = Math.max(x2, r.x0 + w);
    y1 = Math.min(y1, r.base + GRID.bar / 2 - h);
    y2 = Math.max(y2, r.base + GRID.bar / 2);
  }
  for (const p of Object.values(state.positions)) {
    x1 = Math.min(x1, p.x - 110);
    x2 = Math.max(x2, p.x + 110);
    y2 = Math.max(y2, p.y + 45);
  }
  for (const e of els) {
    const d = e.data as NodeData;
    const p = state.positions[d.id];
    if (d.kind !== "hostmode" || !p || zoom >= 0.4) continue;
    const lines = (d.short ?? d.label).split("\n").length;
    y2 = Math.max(y2, p.y + 45 + (4 + lines * 13 * 1.1) / zoom);
  }
  return { w: x2 - x1, h: y2 - y1 };
}

describe("folding rooms for the first screen", () => {
  it.each(SCENARIOS)("the lab's %s scenario folds nothing, on the page or the projector", (name) => {
    const els = toElements(scenario(name));
    for (const canvas of [PAGE, PROJECTOR]) {
      expect(folded(layout(els, EMPTY_LAYOUT, canvas.width / canvas.height, { canvas }))).toEqual([]);
    }
  });

  it("a room that is larger than the rest folds first, and only as many rooms as the canvas needs", () => {
    const small = Array.from({ length: 14 }, (_, k): RoomNeed => ({ id: `small-${k}`, members: 3, tallest: 2 }));
    const needs: RoomNeed[] = [{ id: "huge", members: 300, tallest: 2 }, ...small];
    // Cards that name no one: what counts is how many containers are drawn open.
    const namesOnCard = () => 0;
    const plan = chooseFolds(needs, PAGE, { namesOnCard });
    expect(plan.folded.has("huge")).toBe(true);
    expect(plan.folded.size).toBeLessThan(needs.length / 2);
    // Small enough to fit whole: nothing folds.
    expect([...chooseFolds(small.slice(0, 3), PAGE, { namesOnCard }).folded]).toEqual([]);
  });

  it("a folded room's card names its network whole and fits the zoom it was made for", () => {
    let folds = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const els = toElements(generateHost(seed, HOST_SHAPES.busy));
      const state = layout(els, EMPTY_LAYOUT, PROJECTOR.width / PROJECTOR.height, { canvas: PROJECTOR });
      const zoom = state.foldZoom!;
      if (folded(state).length === 0) continue;
      folds++;
      const size = extent(state, els, zoom);
      // The first screen's fit takes this zoom or a closer one, with the host-mode containers'
      // names under the picture (they once took a tenth of a 1280x720 projector's height, unplanned).
      expect(Math.min((PROJECTOR.width - 48) / size.w, (PROJECTOR.height - 48) / size.h)).toBeGreaterThan(zoom * 0.97);
      for (const e of els) {
        const d = e.data as NodeData;
        const card = d.kind === "roomlabel" && d.room ? state.rooms[d.room]?.card : undefined;
        if (!card || !d.card) continue;
        const words = fitRoomCard(d.card, card.w - 48, card.h - 16, 13 / zoom, "more").replace(/([-_.])\n/g, "$1");
        expect(words, `seed ${seed}: ${d.room}`).toContain(d.card.split("\n")[0]);
      }
    }
    // Busy hosts do not fit the projector open: most of them fold.
    expect(folds).toBeGreaterThan(6);
  });

  it("a room the user opened stays open when the host is laid out again", () => {
    const els = toElements(generateHost(3, HOST_SHAPES.busy));
    const aspect = PROJECTOR.width / PROJECTOR.height;
    const first = layout(els, EMPTY_LAYOUT, aspect, { canvas: PROJECTOR });
    const room = folded(first)[0]!;
    const again = layout(els, EMPTY_LAYOUT, aspect, { canvas: PROJECTOR, keepOpen: new Set([room]) });
    expect(again.rooms[room]!.card).toBeUndefined();
    // Its boxes have slots again, inside the room.
    expect(Object.keys(again.rooms[room]!.slots).length).toBeGreaterThan(0);
  });

  it("a new container in a folded room moves nothing: it waits behind the card", () => {
    const t = generateHost(3, HOST_SHAPES.busy);
    const aspect = PROJECTOR.width / PROJECTOR.height;
    const state = layout(toElements(t), EMPTY_LAYOUT, aspect, { canvas: PROJECTOR });
    const room = folded(state)[0]!;
    // withOneMoreContainer copies the seed-th bridged container: the seed whose copy joins the folded room.
    const bridged = Object.values(t.containers).filter((c) => c.interfaces.some((i) => i.hostPeer));
    const seed = bridged.findIndex((c) => Object.keys(c.endpoints).some((net) => room.includes(net)));
    expect(seed).toBeGreaterThanOrEqual(0);
    const after = layout(toElements(withOneMoreContainer(t, seed)), state, aspect, { canvas: PROJECTOR });
    for (const [id, p] of Object.entries(state.positions)) expect(after.positions[id], id).toEqual(p);
    expect(after.rooms[room]!.card).toEqual(state.rooms[room]!.card);
  });
});
