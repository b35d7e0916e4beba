/** How a user's reference to a container or network (id, id prefix or name) resolved. */
export type RefMatch = { kind: "found"; id: string } | { kind: "ambiguous"; ids: string[] } | { kind: "none" };

/**
 * A reference is a full id, a unique id prefix, or a name: the characters Docker allows in names
 * and ids, at most 128 of them, optionally after an engine id and a slash (`local/web`: names are
 * unique only within one engine). Anything else is refused before it reaches a lookup.
 */
export const REF_PATTERN = /^(?:[a-z0-9][a-z0-9_.-]{0,39}\/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidRef(ref: string): boolean {
  return REF_PATTERN.test(ref);
}

/**
 * Resolves a reference the way the Docker CLI does: an exact id first, then an exact name, then
 * an id prefix that matches exactly one entry; `<engineId>/<ref>` looks only on that engine.
 */
export function resolveRef(
  entries: Record<string, { id: string; name: string; engineId?: string }>,
  ref: string,
): RefMatch {
  const slash = ref.indexOf("/");
  if (slash > 0) {
    // `<engineId>/<ref>`: the same lookup among that engine's entries only.
    const engineId = ref.slice(0, slash);
    const scoped = Object.fromEntries(Object.entries(entries).filter(([, e]) => e.engineId === engineId));
    return resolveRef(scoped, ref.slice(slash + 1));
  }
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
