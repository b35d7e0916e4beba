import type cytoscape from "cytoscape";
import { exportJson, exportPng, exportSvg } from "../export";
import { drawerInset } from "../drawers";
import { isCompact } from "../store/ui-slice";
import { fitAll } from "../graph/fit";
import { useNetdive, useT } from "../store/hooks";
import { TourButton } from "../tour/TourButton";
import { RecordButton } from "./RecordButton";
import { StatusLight } from "./StatusLight";

/** Filter, what to show, zoom, projector mode, the tour, language and exports. */
export function Toolbar({ cy }: { cy: cytoscape.Core | null }) {
  const t = useT();
  const s = useNetdive((x) => ({
    view: x.view,
    setView: x.setView,
    language: x.language,
    setLanguage: x.setLanguage,
    projector: x.projector,
    setProjector: x.setProjector,
    topology: x.topology,
    drawers: x.drawers,
    setDrawer: x.setDrawer,
    compact: isCompact(x),
    source: x.source,
    origin: x.recordingOrigin,
    at: x.at,
  }));
  // The server writes the file (page code, the moment, its details): live now, or the moment replayed.
  const exportHref =
    s.source === "live" ? "/api/export.html" : `/api/export.html?${s.origin === "demo" ? "demo=1&" : ""}moment=${s.at}`;
  const zoom = (factor: number) => {
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };
  const showing = (
    <>
      <label>
        <input
          type="checkbox"
          checked={s.view.showSystem}
          onChange={(e) => s.setView({ showSystem: e.target.checked })}
        />
        {t("showSystem")}
      </label>
      <label>
        <input
          type="checkbox"
          checked={s.view.showStopped}
          onChange={(e) => s.setView({ showStopped: e.target.checked })}
        />
        {t("showStopped")}
      </label>
    </>
  );
  const exports = (
    <span className="group exports">
      <button type="button" onClick={() => cy && exportPng(cy)} data-testid="export-png">
        {t("exportPng")}
      </button>
      <button type="button" onClick={() => cy && exportSvg(cy)} data-testid="export-svg">
        {t("exportSvg")}
      </button>
      <button type="button" onClick={() => s.topology && exportJson(s.topology)} data-testid="export-json">
        {t("exportJson")}
      </button>
      <RecordButton />
      {s.source === "moment" ? null : (
        <a className="button" href={exportHref} download data-testid="export-html">
          {t("exportHtml")}
        </a>
      )}
    </span>
  );
  return (
    <div className="toolbar" role="toolbar" aria-label="view">
      <input
        type="search"
        placeholder={t("search")}
        aria-label={t("search")}
        value={s.view.filter}
        onChange={(e) => s.setView({ filter: e.target.value })}
        data-testid="filter"
      />
      <span className="group">
        <button type="button" onClick={() => cy && fitAll(cy, drawerInset(s.compact, s.drawers))}>
          {t("fit")}
        </button>
        <button type="button" onClick={() => zoom(1.25)} aria-label={t("zoomIn")}>
          +
        </button>
        <button type="button" onClick={() => zoom(0.8)} aria-label={t("zoomOut")}>
          −
        </button>
      </span>
      <span className="group">
        <button type="button" aria-pressed={s.projector} onClick={() => s.setProjector(!s.projector)}>
          {t("projector")}
        </button>
        <TourButton />
        <button type="button" onClick={() => s.setLanguage(s.language === "en" ? "es" : "en")} data-testid="language">
          {t("language")}
        </button>
      </span>
      {s.compact ? (
        <>
          <span className="group drawer-toggles">
            <button type="button" aria-pressed={s.drawers.list} onClick={() => s.setDrawer("list", !s.drawers.list)}>
              {t("listDrawer")}
            </button>
            <button
              type="button"
              aria-pressed={s.drawers.details}
              onClick={() => s.setDrawer("details", !s.drawers.details)}
            >
              {t("detailsDrawer")}
            </button>
          </span>
          {/* The rest of the toolbar, behind one button: the canvas keeps the screen's height. */}
          <details className="toolbar-menu" data-testid="toolbar-menu">
            <summary>{t("moreTools")}</summary>
            <div className="toolbar-menu-items">
              {showing}
              {exports}
            </div>
          </details>
        </>
      ) : (
        <>
          {showing}
          {exports}
        </>
      )}
      {s.compact ? <StatusLight /> : null}
    </div>
  );
}
