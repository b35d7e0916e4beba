/**
 * What one container's change costs the server (issue 24, item 1): building the whole topology
 * again and diffing it against the last one (what netdive did), against rebuilding only the ids
 * the watcher says the read touched and diffing only those entries (EngineTopology). Pure CPU,
 * no engine: a host recorded from a real engine (the compose fixture) repeated to N containers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildTopology, diff, EngineTopology, EVERYTHING, type EngineInventory, type Json } from "@netdive/model";

export interface RebuildRow {
  containers: number;
  wholeMs: number;
  touchedMs: number;
}

const CHANGES = 200;

export function rebuildCost(repo: string, sizes: readonly number[]): RebuildRow[] {
  const fixture = join(repo, "packages/model/test/fixtures/compose.json");
  const base = JSON.parse(readFileSync(fixture, "utf8")) as EngineInventory;
  return sizes.map((n) => {
    const inv = structuredClone(base);
    inv.containers = [];
    inv.netns = {};
    for (let k = 0; inv.containers.length < n; k++) {
      const source = base.containers[k % base.containers.length]!;
      const copy = structuredClone(source);
      copy.Id = k.toString(16).padStart(64, "0");
      copy.Name = `/bench-${k}`;
      inv.containers.push(copy);
    }
    const flip = (i: number) => {
      const c = inv.containers[i % n]!;
      c.State = { ...c.State, Status: c.State.Status === "paused" ? "running" : "paused" };
      return c.Id;
    };
    // Warm both paths up, then time each over the same changes.
    let previous = buildTopology([inv]);
    const part = new EngineTopology();
    part.update(inv, EVERYTHING);
    let started = performance.now();
    for (let i = 0; i < CHANGES; i++) {
      flip(i);
      const next = buildTopology([inv]);
      diff(previous as unknown as Json, next as unknown as Json);
      previous = next;
    }
    const wholeMs = (performance.now() - started) / CHANGES;
    started = performance.now();
    for (let i = 0; i < CHANGES; i++) {
      const id = flip(i);
      const { part: now, changed } = part.update(inv, { full: false, containers: [id], networks: [], host: false });
      for (const c of changed.containers)
        diff(previous.containers[c] as unknown as Json, now.containers[c] as unknown as Json);
    }
    const touchedMs = (performance.now() - started) / CHANGES;
    return { containers: n, wholeMs, touchedMs };
  });
}

export function rebuildTable(rows: readonly RebuildRow[]): string {
  const lines = rows.map(
    (r) =>
      `| ${r.containers} | ${r.wholeMs.toFixed(2)} | ${r.touchedMs.toFixed(2)} | ${(r.wholeMs / r.touchedMs).toFixed(1)} |`,
  );
  return [
    "| containers | whole build + diff ms (baseline) | touched ids only ms | ratio |",
    "|---|---|---|---|",
    ...lines,
  ].join("\n");
}
