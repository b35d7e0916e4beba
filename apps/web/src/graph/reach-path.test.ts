import { explainReach, type Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { reachSpots } from "./reach-path";
import { scenario } from "./scenarios.test-support";
import { DEFAULT_VIEW, toElements } from "./to-elements";

function byName(t: Topology, suffix: string) {
  const c = Object.values(t.containers).find((x) => x.name.endsWith(suffix));
  if (!c) throw new Error(`no container *${suffix}`);
  return c;
}

/** Every lit id must be an element the canvas actually draws. */
function drawn(t: Topology): Set<string> {
  return new Set(toElements(t, DEFAULT_VIEW).map((e) => e.data.id));
}

describe("reachSpots", () => {
  it("a shared bridge lights both boxes, both eth0s, both veth pairs and the bridge between them", () => {
    const t = scenario("user-bridge");
    const web = byName(t, "mynet-web");
    const db = byName(t, "mynet-db");
    const spots = reachSpots(t, explainReach(t, web.id, db.id));
    const lit = Object.keys(spots);
    expect(Object.values(spots).every((tone) => tone === "path")).toBe(true);
    expect(lit.filter((id) => id.startsWith("e:pair:"))).toHaveLength(2);
    expect(lit.filter((id) => id.startsWith("e:master:"))).toHaveLength(2);
    expect(lit.filter((id) => id.startsWith("bridge:"))).toHaveLength(1);
    expect(lit).toContain(`ctr:${web.id}`);
    expect(lit).toContain(`ctr:${db.id}`);
    const canvas = drawn(t);
    for (const id of lit) expect(canvas.has(id), id).toBe(true);
  });

  it("no way through (a stopped target): the two ends and their bridges are drawn blocked", () => {
    const u = scenario("default-bridge");
    const web = byName(u, "bridge-web");
    const stopped = structuredClone(u);
    const db = byName(stopped, "bridge-db");
    db.state = "exited";
    const blocked = reachSpots(stopped, explainReach(stopped, web.id, db.id));
    expect(blocked[`ctr:${web.id}`]).toBe("blocked");
    expect(blocked[`ctr:${db.id}`]).toBe("blocked");
    expect(Object.keys(blocked).some((id) => id.startsWith("bridge:"))).toBe(true);
  });

  it("a shared netns lights the owner's box", () => {
    const t = scenario("join-network");
    const tools = byName(t, "joinnet-tools");
    const mysql = byName(t, "joinnet-mysql");
    const spots = reachSpots(t, explainReach(t, tools.id, mysql.id));
    expect(spots[`ctr:${mysql.id}`]).toBe("path");
    expect(spots[`ctr:${tools.id}`]).toBe("path");
  });
});
