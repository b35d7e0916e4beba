import { Type, type Static } from "@sinclair/typebox";
import { Ref } from "./common";

export const ProbeKind = Type.Union([Type.Literal("ping"), Type.Literal("dns")]);
export type ProbeKind = Static<typeof ProbeKind>;

/** The body of `POST /api/probes`. */
export const ProbeRequest = Type.Object(
  {
    /** The container the probe runs beside, in its network namespace. */
    from: Ref,
    /** A container, or (ping only) an IPv4 address on this engine's networks. */
    to: Ref,
    kind: ProbeKind,
    /** DNS only: one DNS label among the target's name and aliases. */
    name: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$", maxLength: 63 })),
  },
  { additionalProperties: false },
);
export type ProbeRequest = Static<typeof ProbeRequest>;

/** One container run: what it tried and what it printed. */
export const ProbeAttempt = Type.Object({
  /** The address pinged or the name looked up. */
  target: Type.String(),
  ok: Type.Boolean(),
  /** What the program printed (stdout and stderr), trimmed, at most 2 KB. */
  output: Type.String(),
});
export type ProbeAttempt = Static<typeof ProbeAttempt>;

/** The answer of `POST /api/probes`. */
export const ProbeAnswer = Type.Object({
  kind: ProbeKind,
  from: Type.Object({ id: Type.String(), name: Type.String() }),
  /** The target container, or nulls for a bare address; `address` is the one given or the one that answered. */
  to: Type.Object({
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    address: Type.Optional(Type.String()),
  }),
  /** Whether a probe container ran at all. */
  ran: Type.Boolean(),
  /** Ping: a reply came back. DNS: the name resolved to at least one IPv4 address. */
  ok: Type.Boolean(),
  attempts: Type.Array(ProbeAttempt),
  /** DNS only: the IPv4 addresses the lookup returned. */
  addresses: Type.Optional(Type.Array(Type.String())),
  /** A sentence: what ran and what it saw, or why nothing ran. */
  reason: Type.String(),
  /** From the request to the answer, in milliseconds. */
  durationMs: Type.Number(),
});
export type ProbeAnswer = Static<typeof ProbeAnswer>;
