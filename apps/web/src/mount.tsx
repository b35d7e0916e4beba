import type cytoscape from "cytoscape";
import cytoscapeCore from "cytoscape";
import svg from "cytoscape-svg";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import type { NetdiveStore } from "./store";
import { StoreContext } from "./store/hooks";

/** Draws the page into `root`: React, Cytoscape and everything visible (the large chunk). */
export function mount(root: HTMLElement, store: NetdiveStore, onCy: (cy: cytoscape.Core) => void): void {
  cytoscapeCore.use(svg);
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App onCy={onCy} />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
