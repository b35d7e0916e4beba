import { Type, type Static } from "@sinclair/typebox";
import { LocalizedSchema } from "./common";

/** One scenario of the workshop run as `GET /api/scenarios` lists it: what it shows and whether it is there. */
export const ScenarioItem = Type.Object({
  name: Type.String(),
  title: LocalizedSchema,
  summary: LocalizedSchema,
  /** `up`: every container runs; `partial`: some of it is there; `down`: nothing is. */
  state: Type.Union([Type.Literal("up"), Type.Literal("partial"), Type.Literal("down")]),
  containers: Type.Array(Type.Object({ name: Type.String(), id: Type.String(), running: Type.Boolean() })),
});
export type ScenarioItem = Static<typeof ScenarioItem>;

/** `GET /api/scenarios`: `actions` says whether `POST …/up` and `…/down` exist (--allow-actions). */
export const ScenarioList = Type.Object({
  actions: Type.Boolean(),
  scenarios: Type.Array(ScenarioItem),
});
export type ScenarioList = Static<typeof ScenarioList>;
