/** How a user's reference to a container or network (id, id prefix or name) resolved. */
export type RefMatch = { kind: "found"; id: string } | { kind: "ambiguous"; ids: string[] } | { kind: "none" };

/**
 * A reference is a full id, a unique id prefix, or a name: the characters Docker allows in names
 * and ids, at most 128 of them. Anything else is refused before it reaches a lookup.
 */
export const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidRef(ref: string): boolean {
  return REF_PATTERN.test(ref);
}

/**
 * Resolves a reference the way the Docker CLI does: an exact id first, then an exact name, then
 * an id prefix that matches exactly one entry.
 */
export function resolveRef(entries: Record<string, { id: string; name: string }>, ref: string): RefMatch {
  if (Object.hasOwn(entries, ref)) return { kind: "found", id: ref };
  const all = Object.values(entries);
  const named = all.filter((e) => e.name === ref);
  if (named.length === 1 && named[0]) return { kind: "found", id: named[0].id };
  if (named.length > 1) return { kind: "ambiguous", ids: named.map((e) => e.id) };
  if (!/^[0-9a-f]+$/.test(ref)) return { kind: "none" };
  const prefixed = all.filter((e) => e.id.startsWith(ref));
  if (prefixed.length === 1 && prefixed[0]) return { kind: "found", id: prefixed[0].id };
  if (prefixed.length > 1) return { kind: "ambiguous", ids: prefixed.map((e) => e.id) };
  return { kind: "none" };
}
