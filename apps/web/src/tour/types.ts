import type { LabScenario, Localized, Topology } from "@netdive/model";
import type { Ref } from "../graph/to-elements";
import type { TourGraph } from "./graph-index";

/** A sentence in every language the page speaks (packages/model's one type for it). */
export type { Localized };

/** The lab's scenarios (packages/model): the chapters' names. */
export type { LabScenario };

/** What a step looks at: the live topology and what the canvas shows of it now. */
export interface TourContext {
  topology: Topology;
  /** The canvas's elements (the view's filter applies): a step lights only what is drawn. */
  graph: TourGraph;
}

/** A step that found what it talks about: the elements to light and the sentences naming them. */
export interface Focus {
  kind: "focus";
  /** Canvas element ids to spotlight. */
  spots: string[];
  /**
   * What the details panel should show while the step is on screen. Only where it shows what the
   * canvas cannot (a file, the DNS rules): a selection draws a border of its own over the spotlight.
   */
  select?: Ref;
  /** A file or rules the text cites, shown in the tour's own panel (the details may be closed). */
  cite?: Cite;
  /** Elements not drawn while the step is on: what would contradict its words (a line that looks like a cable). */
  aside?: string[];
  text: Localized;
}

/** What a step cites of a container's details: the lines of its resolv.conf, its embedded DNS rules. */
export interface Cite {
  container: string;
  show: ReadonlyArray<"resolvConf" | "dnsRules">;
}

/** A step with nothing on the canvas to show: its text says what to run. */
export interface Missing {
  kind: "missing";
  text: Localized;
}

export type StepResult = Focus | Missing;

/** One step of a chapter: a title, and a function of the live topology for the rest. */
export interface TourStep {
  title: Localized;
  show: (ctx: TourContext) => StepResult;
}

/** A chapter: one lab scenario (or the introduction), told in a few steps. */
export interface Chapter {
  /** Stable id, used in test ids and as the `<select>` value. */
  id: string;
  /** The lab scenario that makes what the chapter shows; null for the introduction. */
  scenario: LabScenario | null;
  title: Localized;
  steps: TourStep[];
}
