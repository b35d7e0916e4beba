import type cytoscape from "cytoscape";
import { useMemo, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import type { GraphElement } from "../graph/to-elements";
import { useNetdive } from "../store/hooks";
import { CHAPTERS, STEP_COUNTS } from "./chapters";
import { scenarioDrawn } from "./find";
import { indexGraph } from "./graph-index";
import { Prose } from "./Prose";
import { ScenarioStatus } from "./ScenarioStatus";
import { TourCite } from "./TourCite";
import { fill, tourText } from "./tour-text";
import { useTour } from "./tour-state";
import { useScenarios } from "./useScenarios";
import { useSpotlight } from "./useSpotlight";

/** The open tour: chapter picker, the step's title and text, previous/next. */
export function TourPanel({ cy, elements }: { cy: cytoscape.Core | null; elements: readonly GraphElement[] }) {
  const tour = useTour(useShallow((s) => ({ at: s.chapter, stepAt: s.step, go: s.go, move: s.move, close: s.close })));
  const { topology, language, filter } = useNetdive((s) => ({
    topology: s.topology,
    language: s.language,
    filter: s.view.filter.trim(),
  }));
  const graph = useMemo(() => indexGraph(elements), [elements]);
  const chapter = CHAPTERS[tour.at] ?? (CHAPTERS[0] as (typeof CHAPTERS)[number]);
  const step = chapter.steps[tour.stepAt] ?? (chapter.steps[0] as (typeof chapter.steps)[number]);
  const result = useMemo(() => (topology ? step.show({ topology, graph }) : null), [step, topology, graph]);
  const drawn = useMemo(
    () => topology !== null && chapter.scenario !== null && scenarioDrawn({ topology, graph }, chapter.scenario),
    [chapter, topology, graph],
  );
  const panel = useRef<HTMLElement>(null);
  useSpotlight(cy, result, `${chapter.id}/${tour.stepAt}`, panel);
  // The lab's state is asked again only when a lab container comes, goes or changes state.
  const labKey = useMemo(
    () =>
      Object.values(topology?.containers ?? {})
        .filter((c) => c.labScenario !== null)
        .map((c) => `${c.id}:${c.state}`)
        .sort()
        .join(" "),
    [topology],
  );
  const scenarios = useScenarios(labKey);
  const w = tourText[language];
  const atStart = tour.at === 0 && tour.stepAt === 0;
  const atEnd = tour.at === CHAPTERS.length - 1 && tour.stepAt === chapter.steps.length - 1;

  return (
    <section className="tour" ref={panel} aria-label={w.tourTitle} data-testid="tour">
      <div className="tour-head">
        <strong>{w.tourTitle}</strong>
        <select
          aria-label={w.chapter}
          value={chapter.id}
          data-testid="tour-chapter"
          onChange={(e) => {
            const index = CHAPTERS.findIndex((c) => c.id === e.target.value);
            tour.go(Math.max(0, index));
            // Back to the page, so the presenter's keys work again at once.
            e.currentTarget.blur();
          }}
        >
          {CHAPTERS.map((c, i) => (
            <option key={c.id} value={c.id}>{`${i}. ${c.title[language]}`}</option>
          ))}
        </select>
        <ScenarioStatus chapter={chapter} drawn={drawn} scenarios={scenarios} language={language} />
        <button type="button" className="tour-close" onClick={tour.close} aria-label={w.close}>
          ×
        </button>
      </div>
      <h2 className="tour-title">
        <span data-testid="tour-step-title">{step.title[language]}</span>{" "}
        <small data-testid="tour-count">{fill(w.stepOf, { n: tour.stepAt + 1, total: chapter.steps.length })}</small>
      </h2>
      <p
        className={`tour-text${result?.kind === "missing" ? " tour-missing" : ""}`}
        aria-live="polite"
        data-testid="tour-text"
      >
        {result ? <Prose text={result.text[language]} /> : null}
      </p>
      {result?.kind === "focus" && result.cite && topology ? (
        <TourCite cite={result.cite} topology={topology} language={language} />
      ) : null}
      {result?.kind === "missing" && filter ? <p className="tour-note">{fill(w.filterHides, { filter })}</p> : null}
      <div className="tour-nav">
        <button type="button" onClick={() => tour.move(-1, STEP_COUNTS)} disabled={atStart} aria-label={w.previousStep}>
          ← {w.previous}
        </button>
        <button type="button" onClick={() => tour.move(1, STEP_COUNTS)} disabled={atEnd} aria-label={w.nextStep}>
          {w.next} →
        </button>
        <span className="tour-keys">{w.keys}</span>
      </div>
    </section>
  );
}
