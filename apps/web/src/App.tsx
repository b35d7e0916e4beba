import type cytoscape from "cytoscape";
import { useCallback, useEffect, useMemo, useState } from "react";
import { DetailsPanel } from "./components/DetailsPanel";
import { SideList } from "./components/SideList";
import { StatusLight } from "./components/StatusLight";
import { Toolbar } from "./components/Toolbar";
import { GraphCanvas } from "./graph/GraphCanvas";
import { ids, toElements, type Ref } from "./graph/to-elements";
import { messages } from "./i18n";
import { useNetdive, useT } from "./store/hooks";
import { Tour } from "./tour/Tour";

/** Which canvas element stands for a selection made in the list. */
function elementIdOf(ref: Ref | null): string | null {
  if (!ref) return null;
  switch (ref.type) {
    case "container":
      return ids.container(ref.id);
    case "network":
      return ids.bridge(ref.id);
    case "hostInterface":
      return ref.name.startsWith("veth") ? ids.veth(ref.engineId, ref.name) : ids.nic(ref.engineId, ref.name);
  }
}

export function App({ onCy }: { onCy: (cy: cytoscape.Core) => void }) {
  const t = useT();
  const { topology, view, language, projector, selected, select, changes, spots } = useNetdive((s) => ({
    topology: s.topology,
    view: s.view,
    language: s.language,
    projector: s.projector,
    selected: s.selected,
    select: s.select,
    changes: s.changes,
    spots: s.spots,
  }));
  // The reach path is drawn over the tour's focus where both light the same element.
  const spotlit = useMemo(() => ({ ...spots.tour, ...spots.reach }), [spots]);
  const [cy, setCy] = useState<cytoscape.Core | null>(null);
  const [clickedId, setClickedId] = useState<string | null>(null);

  const elements = useMemo(
    () => (topology ? toElements(topology, view, messages[language]) : []),
    [topology, view, language],
  );
  const highlights = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [key, change] of Object.entries(changes)) {
      const [collection, id] = key.split("/");
      if (!id) continue;
      out[collection === "containers" ? ids.container(id) : ids.bridge(id)] = change.kind;
    }
    return out;
  }, [changes]);

  const onReady = useCallback(
    (instance: cytoscape.Core) => {
      setCy(instance);
      onCy(instance);
    },
    [onCy],
  );
  const onSelect = useCallback(
    (ref: Ref | null, elementId: string | null) => {
      setClickedId(elementId);
      select(ref);
    },
    [select],
  );
  useEffect(() => {
    document.documentElement.lang = language;
    document.body.classList.toggle("projector", projector);
  }, [language, projector]);

  // A selection from the list (or the details) points at its element; a click keeps what was hit.
  const selectedId = clickedId && selected ? clickedId : elementIdOf(selected);
  useEffect(() => {
    if (!selected) setClickedId(null);
  }, [selected]);
  useEffect(() => {
    if (!cy || !selectedId) return;
    const ele = cy.getElementById(selectedId);
    if (ele.nonempty() && !ele.renderedBoundingBox().w) cy.center(ele);
  }, [cy, selectedId]);

  return (
    <div className="app">
      <header>
        <h1>
          {t("title")} <small>{t("subtitle")}</small>
        </h1>
        <StatusLight />
      </header>
      <Toolbar cy={cy} />
      <main>
        <SideList topology={topology} />
        <section className="canvas-wrap">
          <GraphCanvas
            layoutKey={view.filter.trim().toLowerCase()}
            elements={elements}
            highlights={highlights}
            spots={spotlit}
            selectedId={selectedId}
            projector={projector}
            onSelect={onSelect}
            onReady={onReady}
          />
          {topology && Object.keys(topology.containers).length === 0 ? (
            <p className="empty-hint">{t("emptyEngine")}</p>
          ) : null}
          <Tour cy={cy} elements={elements} />
        </section>
        <DetailsPanel cy={cy} />
      </main>
    </div>
  );
}
