import { Type, type Static } from "@sinclair/typebox";
import { unescapePointer, type Json } from "./json-patch";
import { Topology } from "./topology";
import { FlowsAnswer } from "./wire/flows";

/** Any JSON value: a patch's value is checked by applying it, not by shape. */
const JsonValue = Type.Unsafe<Json>(Type.Any());

/**
 * The stream protocol of `/api/stream`, one TypeBox schema per message, both ways: unions keyed
 * on `type`. The server checks every client frame against {@link ClientMessage}; the page checks
 * every server frame against {@link ServerMessage} and asks for a snapshot (resync) when one does
 * not fit. A client that sees a gap in revisions sends `resync` and gets a new snapshot.
 */

/** The first message, and the answer to `resync`: the whole topology, and the protocol it speaks. */
export const SnapshotMessage = Type.Object({
  type: Type.Literal("snapshot"),
  /** The server's PROTOCOL_VERSION. */
  protocol: Type.Integer(),
  revision: Type.Integer(),
  topology: Topology,
  /** True when the server reads flows (`--flows`): the client may then send `watch-flows`. */
  flows: Type.Optional(Type.Boolean()),
});
export type SnapshotMessage = Static<typeof SnapshotMessage>;

/** One RFC 6902 operation (netdive's diff makes only these three). Values are any JSON. */
const PatchOperationSchema = Type.Union([
  Type.Object({ op: Type.Literal("add"), path: Type.String(), value: JsonValue }),
  Type.Object({ op: Type.Literal("remove"), path: Type.String() }),
  Type.Object({ op: Type.Literal("replace"), path: Type.String(), value: JsonValue }),
]);

/**
 * The ids of what a patch changed, by collection (protocol 2): every op under `/engines/<id>` or
 * `/hosts/<id>` names its engine here, every op under `/networks/<id>` or `/containers/<id>` its
 * network or container, and nothing else is named. A page redraws only these.
 */
export const PatchTouched = Type.Object({
  engines: Type.Array(Type.String()),
  networks: Type.Array(Type.String()),
  containers: Type.Array(Type.String()),
});
export type PatchTouched = Static<typeof PatchTouched>;

/** RFC 6902 operations that turn the topology at `from` into the one at `revision`. */
export const PatchMessage = Type.Object({
  type: Type.Literal("patch"),
  from: Type.Integer(),
  revision: Type.Integer(),
  ops: Type.Array(PatchOperationSchema),
  /** What the ops change (always sent since protocol 2; absent from protocol 1 recordings). */
  touched: Type.Optional(PatchTouched),
});
export type PatchMessage = Static<typeof PatchMessage>;

/**
 * Whether a patch's `touched` names exactly what its ops change (protocol 2): a patch that
 * changes what it does not name, or names what it does not change, is malformed, and the page
 * asks for a snapshot instead of drawing half of it. A patch without `touched` (a protocol 1
 * recording) passes.
 */
export function touchedFits(message: Pick<PatchMessage, "ops" | "touched">): boolean {
  const { touched } = message;
  if (!touched) return true;
  const named = {
    engines: new Set(touched.engines),
    hosts: new Set(touched.engines),
    networks: new Set(touched.networks),
    containers: new Set(touched.containers),
  };
  const seen = { engines: new Set<string>(), networks: new Set<string>(), containers: new Set<string>() };
  for (const op of message.ops) {
    const [, collection, id] = op.path.split("/");
    if (collection === "revision") continue;
    if (collection !== "engines" && collection !== "hosts" && collection !== "networks" && collection !== "containers")
      return false;
    if (!id || !named[collection].has(unescapePointer(id))) return false;
    seen[collection === "hosts" ? "engines" : collection].add(unescapePointer(id));
  }
  return (["engines", "networks", "containers"] as const).every((k) => seen[k].size === named[k].size);
}

/** The client announced a protocol this server does not speak; the connection closes after it. */
export const IncompatibleMessage = Type.Object({
  type: Type.Literal("incompatible"),
  protocol: Type.Integer(),
  reason: Type.String(),
});
export type IncompatibleMessage = Static<typeof IncompatibleMessage>;

/**
 * The only message of a server that replays a recording (`--replay`): the page loads the
 * recording from `recording` (a URL on this server) and steps through it itself. The stream
 * closes after it.
 */
export const ReplayMessage = Type.Object({
  type: Type.Literal("replay"),
  protocol: Type.Integer(),
  /** Where the recording is: `/api/recording`, NDJSON (packages/model wire/recording.ts). */
  recording: Type.String(),
});
export type ReplayMessage = Static<typeof ReplayMessage>;

/**
 * Who is talking now (`--flows`), about once a second: sent only to a client that asked with
 * {@link WatchFlowsRequest}, so a page that never asks (an older one) never sees it.
 */
export const FlowsMessage = Type.Composite([Type.Object({ type: Type.Literal("flows") }), FlowsAnswer]);
export type FlowsMessage = Static<typeof FlowsMessage>;

/**
 * Every message the server sends on `/api/stream`. An engine's reachability is not a message of
 * its own: it travels in the topology (`/engines/<id>/reachable`, `/engines/<id>/error`).
 */
export const ServerMessage = Type.Union([
  SnapshotMessage,
  PatchMessage,
  IncompatibleMessage,
  ReplayMessage,
  FlowsMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;

/** Ask for a fresh snapshot (after a gap, or a patch that did not apply). */
export const ResyncRequest = Type.Object({ type: Type.Literal("resync") }, { additionalProperties: false });
export type ResyncRequest = Static<typeof ResyncRequest>;

/** Optional first message: the protocol version the client speaks. */
export const HelloRequest = Type.Object(
  { type: Type.Literal("hello"), protocol: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export type HelloRequest = Static<typeof HelloRequest>;

/**
 * Send `flows` messages to this client (`watch: true`) or stop (`false`). The page asks only when
 * `GET /api/flows` answered (the server runs with `--flows`); while no client watches and no
 * request asks, the kernel's tables are not read.
 */
export const WatchFlowsRequest = Type.Object(
  { type: Type.Literal("watch-flows"), watch: Type.Boolean() },
  { additionalProperties: false },
);
export type WatchFlowsRequest = Static<typeof WatchFlowsRequest>;

/** Every message a client may send on `/api/stream`. */
export const ClientMessage = Type.Union([ResyncRequest, HelloRequest, WatchFlowsRequest]);
export type ClientMessage = Static<typeof ClientMessage>;

/** WebSocket close codes netdive uses, beside the standard 1007 (bad data) and 1009 (too big). */
export const CLOSE_INCOMPATIBLE = 4000;
export const CLOSE_TOO_SLOW = 4001;
