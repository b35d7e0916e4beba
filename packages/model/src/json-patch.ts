/**
 * RFC 6902 JSON Patch over plain JSON values: `diff(a, b)` gives the operations that turn a into
 * b, `applyPatch(doc, ops)` applies them. The topology's maps are keyed by id, so one container's
 * change yields operations under `/containers/<id>` and nothing else.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type PatchOperation =
  | { op: "add"; path: string; value: Json }
  | { op: "remove"; path: string }
  | { op: "replace"; path: string; value: Json };

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function isObject(v: Json): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep equality of two JSON values (object key order does not matter). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i] as Json));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] as Json, b[k] as Json));
  }
  return false;
}

/** The operations that turn `a` into `b`. */
export function diff(a: Json, b: Json, path = ""): PatchOperation[] {
  const ops: PatchOperation[] = [];
  diffInto(a, b, path, ops);
  return ops;
}

function diffInto(a: Json, b: Json, path: string, ops: PatchOperation[]): void {
  if (a === b) return;
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) {
      if (!Object.hasOwn(b, key)) ops.push({ op: "remove", path: `${path}/${escapePointer(key)}` });
    }
    for (const key of Object.keys(b)) {
      const child = `${path}/${escapePointer(key)}`;
      if (!Object.hasOwn(a, key)) ops.push({ op: "add", path: child, value: b[key] as Json });
      else diffInto(a[key] as Json, b[key] as Json, child, ops);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArray(a, b, path, ops);
    return;
  }
  if (!jsonEqual(a, b)) ops.push({ op: "replace", path, value: b });
}

/**
 * Arrays: keep the common head and tail, patch element by element where lengths match, and
 * otherwise remove and insert only the middle, so adding one member to a long list costs one op.
 */
function diffArray(a: Json[], b: Json[], path: string, ops: PatchOperation[]): void {
  let head = 0;
  while (head < a.length && head < b.length && jsonEqual(a[head] as Json, b[head] as Json)) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    jsonEqual(a[a.length - 1 - tail] as Json, b[b.length - 1 - tail] as Json)
  ) {
    tail++;
  }
  const aMid = a.length - head - tail;
  const bMid = b.length - head - tail;
  if (aMid === bMid) {
    for (let i = head; i < head + aMid; i++) diffInto(a[i] as Json, b[i] as Json, `${path}/${i}`, ops);
    return;
  }
  if (aMid + bMid > Math.max(a.length, b.length)) {
    ops.push({ op: "replace", path, value: b });
    return;
  }
  for (let i = head + aMid - 1; i >= head; i--) ops.push({ op: "remove", path: `${path}/${i}` });
  for (let i = head; i < head + bMid; i++) ops.push({ op: "add", path: `${path}/${i}`, value: b[i] as Json });
}

/** A deep copy of a JSON value, so a document never shares structure with a patch. */
export function cloneJson<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Thrown when a patch does not fit the document it is applied to. */
export class PatchError extends Error {
  override name = "PatchError";
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`JSON pointer "${path}" must start with "/"`);
  const tokens = path.slice(1).split("/").map(unescapePointer);
  // A patch may come from a peer: never let it reach an object's prototype.
  for (const t of tokens) if (FORBIDDEN.has(t)) throw new PatchError(`JSON pointer "${path}" is not allowed`);
  return tokens;
}

/**
 * Applies `ops` to `doc` in place and returns the result (a new root when the whole document is
 * replaced). Throws PatchError, leaving a partly patched document, when an op does not fit: the
 * caller then asks for a fresh snapshot.
 */
export function applyPatch(doc: Json, ops: readonly PatchOperation[]): Json {
  let root = doc;
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    if (tokens.length === 0) {
      if (op.op === "remove") throw new PatchError("cannot remove the document root");
      root = cloneJson(op.value);
      continue;
    }
    const key = tokens[tokens.length - 1] as string;
    let parent: Json = root;
    for (const t of tokens.slice(0, -1)) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[Number(t)]
        : isObject(parent) && Object.hasOwn(parent, t)
          ? parent[t]
          : undefined;
      if (next === undefined) throw new PatchError(`path ${op.path} does not exist`);
      parent = next;
    }
    applyOne(parent, key, op);
  }
  return root;
}

/**
 * Applies `ops` without touching `doc`: every object on an op's path is copied, everything else
 * is shared. For UIs whose renders compare by reference (React, zustand selectors): what a
 * patch did not touch keeps its identity.
 */
export function applyPatchCopy<T extends Json>(doc: T, ops: readonly PatchOperation[]): T {
  let root: Json = doc;
  const copied = new Set<Json>();
  const own = (value: Json): Json => {
    if (value === null || typeof value !== "object" || copied.has(value)) return value;
    const copy: Json = Array.isArray(value) ? [...value] : { ...value };
    copied.add(copy);
    return copy;
  };
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    if (tokens.length === 0) {
      root = applyPatch(root, [op]);
      continue;
    }
    root = own(root);
    let parent: Json = root;
    for (const t of tokens.slice(0, -1)) {
      const holder = parent as Record<string, Json> & Json[];
      const index = Array.isArray(parent) ? Number(t) : t;
      const child: Json | undefined =
        Array.isArray(parent) || (isObject(parent) && Object.hasOwn(parent, t)) ? holder[index as never] : undefined;
      if (child === undefined || child === null || typeof child !== "object") {
        throw new PatchError(`path ${op.path} does not exist`);
      }
      const mine = own(child);
      holder[index as never] = mine as never;
      parent = mine;
    }
    applyOne(parent, tokens[tokens.length - 1] as string, op);
  }
  return root as T;
}

function applyOne(parent: Json, key: string, op: PatchOperation): void {
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    const limit = op.op === "add" ? parent.length : parent.length - 1;
    if (!Number.isInteger(index) || index < 0 || index > limit) {
      throw new PatchError(`index ${key} is out of range at ${op.path}`);
    }
    if (op.op === "add") parent.splice(index, 0, cloneJson(op.value));
    else if (op.op === "remove") parent.splice(index, 1);
    else parent[index] = cloneJson(op.value);
    return;
  }
  if (!isObject(parent)) throw new PatchError(`path ${op.path} does not exist`);
  if (op.op !== "add" && !Object.hasOwn(parent, key)) throw new PatchError(`path ${op.path} does not exist`);
  if (op.op === "remove") delete parent[key];
  else parent[key] = cloneJson(op.value);
}
