import { Type, type Static } from "@sinclair/typebox";
import { Engine, KernelVisibility } from "../topology";

/** One engine as `GET /api/health` reports it: the topology's engine and whether its kernel is visible. */
export const EngineHealth = Type.Composite([
  Engine,
  Type.Object({
    kernel: KernelVisibility,
    /** `GET /info` OperatingSystem ("Debian GNU/Linux 12 (bookworm)", "Docker Desktop"); absent while unknown. */
    operatingSystem: Type.Optional(Type.String()),
    /** Whether the engine is Docker Desktop's (a Linux VM on macOS or Windows); absent while unknown. */
    desktop: Type.Optional(Type.Boolean()),
  }),
]);

/** A Linux capability netdive needs and lacks, with what that costs. */
export const MissingCapability = Type.Object({
  /** Without the CAP_ prefix, as `docker run --cap-add` takes it: "SYS_ADMIN". */
  capability: Type.String(),
  /** "cannot enter container network namespaces (setns)". */
  without: Type.String(),
});

/** Where netdive itself runs. */
export const Runtime = Type.Object({
  /** The container netdive runs in (64 hex), or null when it runs on a host. */
  containerId: Type.Union([Type.String(), Type.Null()]),
  /** Capabilities its kernel reads need and it lacks; empty for root on a host. */
  missingCapabilities: Type.Array(MissingCapability),
});

/** `GET /api/health`: degraded, with the engine's reason, whenever an engine cannot be read. */
export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  revision: Type.Integer(),
  engines: Type.Array(EngineHealth),
  runtime: Type.Optional(Runtime),
  /** Present when the server replays a recording (`--replay`): nothing is read from an engine. */
  replay: Type.Optional(
    Type.Object({
      /** How many moments (the snapshot and each change) the recording holds. */
      moments: Type.Integer(),
      /** When the recording's first and last moments were recorded (ISO 8601). */
      from: Type.String(),
      to: Type.String(),
    }),
  ),
});
export type Health = Static<typeof Health>;
