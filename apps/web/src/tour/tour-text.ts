import type { Dictionary } from "@netdive/model";

/** The tour's own words (its steps speak for themselves in chapters/). */
const en = {
  tour: "Tour",
  tourTitle: "Guided tour",
  chapter: "Chapter",
  previous: "Previous",
  next: "Next",
  previousStep: "Previous step",
  nextStep: "Next step",
  stepOf: "step {n} of {total}",
  close: "Close the tour",
  keys: "← → or PageUp/PageDown to move, Esc to close",
  stateLabel: "Scenario",
  up: "running",
  partial: "partly running",
  down: "not running",
  drawn: "on the canvas",
  bringUp: "Bring this scenario up",
  bringingUp: "starting…",
  failed: "could not start it:",
  filterHides: "The filter “{filter}” may hide what this step needs.",
  citeResolv: "/etc/resolv.conf of {name}",
  citeDns: "Embedded DNS rules in {name}'s namespace",
  citeLoading: "reading…",
} as const;

export type TourTextKey = keyof typeof en;

const es: Record<TourTextKey, string> = {
  tour: "Recorrido",
  tourTitle: "Recorrido guiado",
  chapter: "Capítulo",
  previous: "Anterior",
  next: "Siguiente",
  previousStep: "Paso anterior",
  nextStep: "Paso siguiente",
  stepOf: "paso {n} de {total}",
  close: "Cerrar el recorrido",
  keys: "← → o RePág/AvPág para moverte, Esc para cerrar",
  stateLabel: "Escenario",
  up: "en marcha",
  partial: "en marcha en parte",
  down: "detenido",
  drawn: "en el lienzo",
  bringUp: "Levantar este escenario",
  bringingUp: "arrancando…",
  failed: "no se pudo arrancar:",
  filterHides: "El filtro “{filter}” puede ocultar lo que este paso necesita.",
  citeResolv: "/etc/resolv.conf de {name}",
  citeDns: "Reglas del DNS embebido en el namespace de {name}",
  citeLoading: "leyendo…",
};

/** The tour's words by language. */
export const tourText: Dictionary<TourTextKey> = { en, es };

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
