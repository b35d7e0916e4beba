import { createStore } from "zustand/vanilla";
import type { Language } from "../i18n";
import { createFlowsSlice, type FlowsSlice } from "./flows-slice";
import { createReplaySlice, type ReplaySlice } from "./replay-slice";
import { createTopologySlice, type TopologySlice } from "./topology-slice";
import { createUiSlice, type UiSlice } from "./ui-slice";

export type Store = TopologySlice & UiSlice & ReplaySlice & FlowsSlice;

/** One store for the page: the stream feeds the topology slice, the UI owns the rest. */
export function createNetdiveStore(language: Language, projector = false) {
  return createStore<Store>()((...a) => ({
    ...createTopologySlice(...a),
    ...createUiSlice(language, projector)(...a),
    ...createReplaySlice(...a),
    ...createFlowsSlice(...a),
  }));
}

export type NetdiveStore = ReturnType<typeof createNetdiveStore>;
