import type cytoscape from "cytoscape";

declare global {
  interface Window {
    /** netdive's documented automation hook (apps/web/src/main.tsx). */
    __NETDIVE__: {
      cy: cytoscape.Core | null;
      store: {
        getState(): {
          topology: unknown;
          language: string;
          selected: unknown;
          /** The replay's moment shown, and its timeline (apps/web/src/store/replay-slice.ts). */
          at: number;
          timeline: { moments: unknown[] } | null;
          /** What the moment shown (or the last patch) changed, by "containers/<id>" or "networks/<id>". */
          changes: Record<string, unknown>;
        };
      };
    };
  }
}
