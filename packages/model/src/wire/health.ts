import { Type, type Static } from "@sinclair/typebox";
import { Engine, KernelVisibility } from "../topology";

/** One engine as `GET /api/health` reports it: the topology's engine and whether its kernel is visible. */
export const EngineHealth = Type.Composite([Engine, Type.Object({ kernel: KernelVisibility })]);

/** `GET /api/health`: degraded, with the engine's reason, whenever an engine cannot be read. */
export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  revision: Type.Integer(),
  engines: Type.Array(EngineHealth),
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
