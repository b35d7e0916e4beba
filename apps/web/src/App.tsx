import type cytoscape from "cytoscape";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DetailsPanel } from "./components/DetailsPanel";
import { SideList } from "./components/SideList";
import { StatusLight } from "./components/StatusLight";
import { Timeline } from "./components/Timeline";
import { Toolbar } from "./components/Toolbar";
import { GraphCanvas } from "./graph/GraphCanvas";
import { flowIds } from "./graph/flow-elements";
import { useFlowLayer } from "./graph/useFlowLayer";
import { ids, type Ref } from "./graph/elements";
import { ElementCache } from "./graph/to-elements";
import { messages } from "./i18n";
import { useNetdive, useT } from "./store/hooks";
import { drawerInset } from "./drawers";
import { isCompact, NARROW_QUERY } from "./store/ui-slice";
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
    case "published":
      return ids.port(ref.containerId, ref.protocol, ref.hostIp, ref.hostPort);
    case "flow":
      return ref.edge ?? flowIds.edge(ref.id);
  }
}

export function App({ onCy }: { onCy: (cy: cytoscape.Core) => void }) {
  const t = useT();
  const {
    topology,
    view,
    setView,
    language,
    projector,
    compact,
    setNarrow,
    selected,
    select,
    changes,
    spots,
    drawers,
    setDrawer,
    source,
    move,
  } = useNetdive((s) => ({
    source: s.source,
    move: s.move,
    topology: s.topology,
    view: s.view,
    setView: s.setView,
    language: s.language,
    projector: s.projector,
    compact: isCompact(s),
    setNarrow: s.setNarrow,
    selected: s.selected,
    select: s.select,
    changes: s.changes,
    spots: s.spots,
    drawers: s.drawers,
    setDrawer: s.setDrawer,
  }));
  const subtitle = source === "live" ? "subtitle" : source === "replay" ? "subtitleReplay" : "subtitleMoment";
  // The reach path is drawn over the tour's focus where both light the same element.
  const spotlit = useMemo(() => ({ ...spots.tour, ...spots.reach }), [spots]);
  const [cy, setCy] = useState<cytoscape.Core | null>(null);
  const [clickedId, setClickedId] = useState<string | null>(null);

  // One cache for the page's life: a patch rebuilds only the rooms whose objects it replaced.
  const cache = useRef(new ElementCache());
  // The selected container's (or port's) published ports are drawn as paths to the NIC.
  const pathsFor =
    selected?.type === "container" ? selected.id : selected?.type === "published" ? selected.containerId : null;
  const elements = useMemo(() => {
    performance.mark("netdive:build-start");
    const els = topology ? cache.current.build(topology, view, messages[language], pathsFor) : [];
    performance.mark("netdive:build-end");
    return els;
  }, [topology, view, language, pathsFor]);
  const flows = useNetdive((s) => s.flows);
  useFlowLayer(cy, elements, flows, topology);
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
      // A network clicked on the canvas becomes the scene: its room alone, framed to read (the
      // projector's details drawer stays closed so the room gets the wall; `d` opens it).
      if (ref?.type === "network") {
        setView({ scene: ref.id });
        if (compact) setDrawer("details", false);
      }
    },
    [select, setView, setDrawer, compact],
  );
  useEffect(() => {
    document.documentElement.lang = language;
    document.body.classList.toggle("projector", projector);
    document.body.classList.toggle("compact", compact);
  }, [language, projector, compact]);
  // A narrow window (a laptop, a projector's 1280x720) gives the canvas the screen: the panels become drawers.
  useEffect(() => {
    const query = window.matchMedia?.(NARROW_QUERY);
    if (!query) return;
    const onChange = () => setNarrow(query.matches);
    onChange();
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [setNarrow]);
  useDrawerKeys();

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
      <a className="skip-link" href="#diagram">
        {t("skipToDiagram")}
      </a>
      <header>
        <h1>
          {t("title")} <small>{t(subtitle)}</small>
        </h1>
        <StatusLight />
      </header>
      <Toolbar cy={cy} />
      <Timeline />
      <main>
        <SideList topology={topology} open={!compact || drawers.list} />
        <section className="canvas-wrap">
          <GraphCanvas
            layoutKey={`${view.filter.trim().toLowerCase()}|${view.scene ?? ""}`}
            moreWord={messages[language].gMore}
            ariaLabel={t("diagramLabel")}
            fitKey={`${projector} ${compact}`}
            inset={{ ...drawerInset(compact, drawers), top: view.scene ? SCENE_BAR_PX : 0 }}
            follow={source === "replay" ? move : null}
            elements={elements}
            highlights={highlights}
            spots={spotlit}
            selectedId={selectedId}
            projector={projector}
            onSelect={onSelect}
            onReady={onReady}
          />
          <SceneBar
            scene={view.scene ? (topology?.networks[view.scene]?.name ?? null) : null}
            onLeave={() => setView({ scene: null })}
          />

          {topology && Object.keys(topology.containers).length === 0 ? (
            <p className="empty-hint" data-testid="empty-hint">
              <Coded text={t(source === "live" ? "emptyEngine" : "emptyMoment")} />
            </p>
          ) : null}
          <Tour cy={cy} elements={elements} />
        </section>
        <DetailsPanel cy={cy} open={!compact || drawers.details} />
      </main>
    </div>
  );
}

/** A sentence with `commands` in backticks, the commands set as code. */
function Coded({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

/** The scene bar's height and margin, px (styles.css): a scene is framed below it, never under it. */
const SCENE_BAR_PX = 56;

/** The way back from a network's scene to the whole host, always in sight while a scene is shown. */
function SceneBar({ scene, onLeave }: { scene: string | null; onLeave: () => void }) {
  const t = useT();
  if (scene === null) return null;
  return (
    <div className="scene-bar" data-testid="scene-bar">
      <button type="button" onClick={onLeave} data-testid="whole-host">
        {t("wholeHost")}
      </button>
      <span>
        {t("sceneOf")} <strong>{scene}</strong>
      </span>
    </div>
  );
}

/**
 * Keys for the drawers and scenes: `l` the list, `d` the details (projector mode), Escape closes
 * the open drawers first, then leaves a network's scene. Not while typing in a field.
 */
function useDrawerKeys(): void {
  const { projector, drawers, setDrawer, view, setView } = useNetdive((s) => ({
    projector: isCompact(s),
    drawers: s.drawers,
    setDrawer: s.setDrawer,
    view: s.view,
    setView: s.setView,
  }));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (
        target?.closest("input, textarea, select, [contenteditable]") ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey
      )
        return;
      if (event.key === "Escape") {
        if (projector && (drawers.list || drawers.details)) {
          setDrawer("list", false);
          setDrawer("details", false);
        } else if (view.scene) {
          setView({ scene: null });
        }
        return;
      }
      if (!projector) return;
      if (event.key === "l") setDrawer("list", !drawers.list);
      if (event.key === "d") setDrawer("details", !drawers.details);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [projector, drawers, setDrawer, view.scene, setView]);
}
