import type { Language } from "../i18n";
import type { Chapter } from "./types";
import { tourText } from "./tour-text";
import type { Scenarios } from "./useScenarios";

/**
 * Whether the chapter's scenario is there: on the canvas already (the lab's containers for it are
 * drawn), or else as the server sees it (when it has `/api/scenarios`), with a button to bring it
 * up when it is not fully running and the server allows actions.
 */
export function ScenarioStatus({
  chapter,
  drawn,
  scenarios,
  language,
}: {
  chapter: Chapter;
  /** Whether the lab's containers for the chapter's scenario are on the canvas. */
  drawn: boolean;
  scenarios: Scenarios;
  language: Language;
}) {
  const w = tourText[language];
  if (chapter.scenario === null) return null;
  if (drawn) {
    return (
      <span className="tour-scenario">
        <span className="tour-state tour-state-up" data-testid="tour-state">
          {w.stateLabel} {chapter.scenario}: {w.drawn}
        </span>
      </span>
    );
  }
  const info = scenarios.answer?.scenarios.find((s) => s.name === chapter.scenario);
  if (!info) return null;
  const busy = scenarios.busy === info.name;
  return (
    <span className="tour-scenario">
      <span className={`tour-state tour-state-${info.state}`} data-testid="tour-state">
        {w.stateLabel} {info.name}: {w[info.state]}
      </span>
      {scenarios.answer?.actions && info.state !== "up" ? (
        <button type="button" onClick={() => scenarios.up(info.name)} disabled={busy} data-testid="tour-bring-up">
          {busy ? w.bringingUp : w.bringUp}
        </button>
      ) : null}
      {scenarios.error?.name === info.name ? (
        <span className="error" role="alert">{`${w.failed} ${scenarios.error.message}`}</span>
      ) : null}
    </span>
  );
}
