import { resolveRef } from "@netdive/model";
import type { FastifyReply } from "fastify";

/**
 * Looks a reference up in a map keyed by id; on a miss answers 404 (unknown) or 409 (a prefix or
 * name that fits several) on `reply` and returns undefined.
 */
export function findByRef<T extends { id: string; name: string; engineId: string }>(
  entries: Record<string, T>,
  ref: string,
  what: "container" | "network",
  reply: FastifyReply,
): T | undefined {
  const match = resolveRef(entries, ref);
  if (match.kind === "found") return entries[match.id];
  if (match.kind === "ambiguous") {
    const found = match.ids.flatMap((id) => entries[id] ?? []);
    if (new Set(found.map((e) => e.engineId)).size > 1 && found.every((e) => e.name === ref)) {
      // A name is unique on one engine only: say which engines have it, as refs to ask for.
      const candidates = found.map((e) => `${e.engineId}/${e.name}`).join(", ");
      reply.conflict(`"${ref}" names a ${what} on ${found.length} engines — ask for one of ${candidates}`);
    } else {
      reply.conflict(`"${ref}" matches ${match.ids.length} ${what}s — give more of the id, or the full name`);
    }
  } else {
    reply.notFound(`no ${what} "${ref}" on the engine — list them with GET /api/topology`);
  }
  return undefined;
}
