import { Type, type Static } from "@sinclair/typebox";
import { Engine, KernelVisibility } from "../topology";

/** One engine as `GET /api/health` reports it: the topology's engine and whether its kernel is visible. */
export const EngineHealth = Type.Composite([Engine, Type.Object({ kernel: KernelVisibility })]);

/** `GET /api/health`: degraded, with the engine's reason, whenever an engine cannot be read. */
export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  revision: Type.Integer(),
  engines: Type.Array(EngineHealth),
});
export type Health = Static<typeof Health>;
