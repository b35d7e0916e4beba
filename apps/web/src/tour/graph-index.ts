import type { EdgeData, EdgeKind, GraphElement, NodeData } from "../graph/to-elements";

/** The canvas's elements, indexed for the tour's look-ups. */
export interface TourGraph {
  /** Whether an element with this id is drawn. */
  has: (id: string) => boolean;
  node: (id: string) => NodeData | undefined;
  /** Edges of a kind leaving `source` and/or arriving at `target`, in drawing order. */
  edges: (kind: EdgeKind, ends: { source?: string; target?: string }) => EdgeData[];
}

/** Indexes what `toElements` returned, once per render. */
export function indexGraph(elements: readonly GraphElement[]): TourGraph {
  const nodes = new Map<string, NodeData>();
  const edges: EdgeData[] = [];
  const present = new Set<string>();
  for (const e of elements) {
    present.add(e.data.id);
    if (e.group === "nodes") nodes.set(e.data.id, e.data);
    else edges.push(e.data);
  }
  return {
    has: (id) => present.has(id),
    node: (id) => nodes.get(id),
    edges: (kind, { source, target }) =>
      edges.filter(
        (e) =>
          e.kind === kind &&
          (source === undefined || e.source === source) &&
          (target === undefined || e.target === target),
      ),
  };
}
