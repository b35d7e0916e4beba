import type cytoscape from "cytoscape";
import { preferredLanguage } from "./i18n";
import { createNetdiveStore, type NetdiveStore } from "./store";
import { isCompact } from "./store/ui-slice";
import { showExported } from "./stream/exported";
import { StreamClient } from "./stream/stream-client";
import "./styles.css";

declare global {
  interface Window {
    /**
     * Automation hook, in every build: the Cytoscape instance and the store. Read-only by
     * convention; tests use it to find nodes on the canvas (`cy.$id(...).renderedPosition()`).
     */
    __NETDIVE__: { cy: cytoscape.Core | null; store: NetdiveStore };
  }
}

// `?projector` opens the page in projector mode, so a workshop's first screen is already the wall's.
const projector = new URLSearchParams(location.search).has("projector");
const store = createNetdiveStore(preferredLanguage(navigator.languages), projector);
// Before the first layout: the canvas's shape in projector mode decides how the rooms wrap.
document.body.classList.toggle("projector", projector);
document.body.classList.toggle("compact", isCompact(store.getState()));
window.__NETDIVE__ = { cy: null, store };

// An exported page carries its moment and opens from disk: no server, no stream.
const exported = document.getElementById("netdive-moment");
if (exported) {
  showExported(exported.textContent ?? "", store);
} else {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  new StreamClient(`${scheme}://${location.host}/api/stream`, store).start();
}

// The stream opens first, from this small chunk, so the snapshot travels while the large one
// (React, Cytoscape, the page) loads and parses.
void import("./mount").then(({ mount }) =>
  mount(document.getElementById("root") as HTMLElement, store, (cy) => (window.__NETDIVE__.cy = cy)),
);
