import type { FlowsAnswer } from "@netdive/model";
import type { StateCreator } from "zustand";

/** Who is talking now (`--flows`), as the stream last said; null while flows are off or unknown. */
export interface FlowsSlice {
  flows: FlowsAnswer | null;
  setFlows: (flows: FlowsAnswer | null) => void;
}

export const createFlowsSlice: StateCreator<FlowsSlice> = (set) => ({
  flows: null,
  setFlows: (flows) => set({ flows }),
});
