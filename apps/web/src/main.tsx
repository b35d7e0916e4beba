import type cytoscape from "cytoscape";
import cytoscapeCore from "cytoscape";
import svg from "cytoscape-svg";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { preferredLanguage } from "./i18n";
import { createNetdiveStore, type NetdiveStore } from "./store";
import { StoreContext } from "./store/hooks";
import { StreamClient } from "./stream/stream-client";
import "./styles.css";

cytoscapeCore.use(svg);

declare global {
  interface Window {
    /**
     * Automation hook, in every build: the Cytoscape instance and the store. Read-only by
     * convention; tests use it to find nodes on the canvas (`cy.$id(...).renderedPosition()`).
     */
    __NETDIVE__: { cy: cytoscape.Core | null; store: NetdiveStore };
  }
}

const store = createNetdiveStore(preferredLanguage(navigator.languages));
window.__NETDIVE__ = { cy: null, store };

const scheme = location.protocol === "https:" ? "wss" : "ws";
new StreamClient(`${scheme}://${location.host}/api/stream`, store).start();

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App onCy={(cy) => (window.__NETDIVE__.cy = cy)} />
    </StoreContext.Provider>
  </StrictMode>,
);
