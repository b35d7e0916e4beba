import type { PatchOperation } from "./json-patch";
import type { Topology } from "./topology";

/**
 * The stream protocol of `/api/stream`: messages are unions keyed on `type`. A client that sees a
 * gap in revisions sends `resync` and gets a new snapshot.
 */

/** The first message, and the answer to `resync`. */
export interface SnapshotMessage {
  type: "snapshot";
  protocol: number;
  revision: number;
  topology: Topology;
}

/** RFC 6902 operations that turn the topology at `from` into the one at `revision`. */
export interface PatchMessage {
  type: "patch";
  from: number;
  revision: number;
  ops: PatchOperation[];
}

/** An engine became reachable or unreachable; `error` says why and what to do. */
export interface EngineMessage {
  type: "engine";
  engineId: string;
  reachable: boolean;
  error?: string;
}

/** The client announced a protocol this server does not speak; the connection closes after it. */
export interface IncompatibleMessage {
  type: "incompatible";
  protocol: number;
  reason: string;
}

export type ServerMessage = SnapshotMessage | PatchMessage | EngineMessage | IncompatibleMessage;

/** Ask for a fresh snapshot (after a gap, or a patch that did not apply). */
export interface ResyncRequest {
  type: "resync";
}

/** Optional first message: the protocol version the client speaks. */
export interface HelloRequest {
  type: "hello";
  protocol: number;
}

export type ClientMessage = ResyncRequest | HelloRequest;

/** WebSocket close codes netdive uses, beside the standard 1007 (bad data) and 1009 (too big). */
export const CLOSE_INCOMPATIBLE = 4000;
export const CLOSE_TOO_SLOW = 4001;
