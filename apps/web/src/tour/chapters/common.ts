import type { Ref } from "../../graph/to-elements";
import type { Cite, Focus, LabScenario, Localized, Missing } from "../types";

/** What to type to make a scenario: the lab's command first, then plain docker. */
const RUN: Record<LabScenario, string> = {
  "default-bridge": "docker run -d --name web netdive/lab sleep 3600",
  "user-bridge": "docker network create mynet && docker run -d --name web --network mynet netdive/lab sleep 3600",
  compose: "docker-compose -f docker/compose/simpleweb/docker-compose.yml up -d",
  isolation: "docker network create left && docker network create right",
  host: "docker run -d --network host netdive/lab sleep 3600",
  none: "docker run -d --network none netdive/lab sleep 3600",
  "join-network":
    "docker run -d --name mysql netdive/lab sleep 3600 && docker run -d --network container:mysql netdive/lab sleep 3600",
  "join-pid":
    "docker run -d --name app netdive/lab sleep 3600 && docker run -d --pid container:app netdive/lab sleep 3600",
  "join-both":
    "docker run -d --name app netdive/lab sleep 3600 && docker run -d --network container:app --pid container:app netdive/lab sleep 3600",
};

/**
 * A step that found its elements. `cite`: a container's files or rules its text quotes, shown in
 * the panel; `aside`: elements not drawn while the step is on.
 */
export function focus(
  spots: Array<string | undefined>,
  text: Localized,
  select?: Ref,
  cite?: Cite,
  aside?: string[],
): Focus {
  const lit = spots.filter((s): s is string => s !== undefined);
  return {
    kind: "focus",
    spots: lit,
    text,
    ...(select ? { select } : {}),
    ...(cite ? { cite } : {}),
    ...(aside?.length ? { aside } : {}),
  };
}

/** A step with nothing to show: says what is missing and what to run (`command` overrides the usual one). */
export function missing(scenario: LabScenario, what: Localized, command: string = RUN[scenario]): Missing {
  return {
    kind: "missing",
    text: {
      en: `${what.en} Run \`pnpm lab up ${scenario}\`, or \`${command}\`, and watch it appear.`,
      es: `${what.es} Ejecuta \`pnpm lab up ${scenario}\`, o \`${command}\`, y míralo aparecer.`,
    },
  };
}

/** "a (1.2.3.4), b (5.6.7.8) and c" in each language. */
export function list(items: readonly string[]): Localized {
  const join = (and: string) =>
    items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`;
  return { en: join("and"), es: join("y") };
}
