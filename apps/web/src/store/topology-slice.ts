import { applyPatchCopy, touchedFits, type Json, type PatchMessage, type Topology } from "@netdive/model";
import type { StateCreator } from "zustand";

export type Connection = "connecting" | "live" | "reconnecting" | "incompatible";

/** What recently changed, by topology key (`containers/<id>`, `networks/<id>`), for highlighting. */
export type Changes = Record<string, { kind: "added" | "changed"; at: number }>;

export interface TopologySlice {
  topology: Topology | null;
  connection: Connection;
  /** Why the connection or an engine is down, as the server said it. */
  problem: string | null;
  changes: Changes;
  setSnapshot: (topology: Topology) => void;
  /** Applies a patch; false when it does not follow the current revision (the caller resyncs). */
  applyPatch: (message: PatchMessage) => boolean;
  setConnection: (connection: Connection, problem?: string | null) => void;
}

/** `/containers/<id>/state` -> `containers/<id>`; only containers and networks are highlighted. */
export function changedKeys(message: Pick<PatchMessage, "ops">, now = Date.now()): Changes {
  const changes: Changes = {};
  for (const op of message.ops) {
    const [, collection, id, ...rest] = op.path.split("/");
    if ((collection !== "containers" && collection !== "networks") || !id) continue;
    // A container joining or leaving glows itself; its network did not change.
    if (collection === "networks" && rest[0] === "containerIds") continue;
    const key = `${collection}/${id}`;
    if (op.op === "add" && rest.length === 0) changes[key] = { kind: "added", at: now };
    else if (op.op !== "remove" || rest.length > 0) changes[key] ??= { kind: "changed", at: now };
  }
  return changes;
}

/** The slice reads and writes only its own fields, so it names no other slice (no type cycle with index.ts). */
export const createTopologySlice: StateCreator<TopologySlice> = (set, get) => ({
  topology: null,
  connection: "connecting",
  problem: null,
  changes: {},
  setSnapshot: (topology) => set({ topology, connection: "live", problem: engineProblem(topology) }),
  applyPatch: (message) => {
    const current = get().topology;
    if (!current || message.from !== current.revision || !touchedFits(message)) return false;
    try {
      const topology = applyPatchCopy(current as unknown as Json, message.ops) as unknown as Topology;
      set({
        topology,
        changes: { ...pruned(get().changes), ...changedKeys(message) },
        problem: engineProblem(topology),
      });
      return true;
    } catch {
      return false;
    }
  },
  setConnection: (connection, problem = null) => set({ connection, problem }),
});

function engineProblem(topology: Topology): string | null {
  const engines = Object.values(topology.engines);
  const down = engines.filter((e) => !e.reachable);
  // With several engines, the page stays live while one answers; each engine's light says its own.
  if (down.length === 0 || (engines.length > 1 && down.length < engines.length)) return null;
  const say = (e: (typeof down)[number]) => e.error ?? "engine unreachable";
  return engines.length > 1 ? down.map((e) => `${e.id}: ${say(e)}`).join("; ") : say(down[0]!);
}

/** Highlights last a few seconds; older entries are dropped as new ones come. */
function pruned(changes: Changes): Changes {
  const cutoff = Date.now() - 5000;
  return Object.fromEntries(Object.entries(changes).filter(([, c]) => c.at > cutoff));
}
