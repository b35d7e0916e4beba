import { describe, expect, it } from "vitest";
import { parseScenarios } from "./scenarios-api";
import { advance } from "./tour-state";

describe("advance", () => {
  const counts = [3, 1, 2];
  it("moves within a chapter, then into the next one's first step", () => {
    expect(advance({ chapter: 0, step: 1 }, 1, counts)).toEqual({ chapter: 0, step: 2 });
    expect(advance({ chapter: 0, step: 2 }, 1, counts)).toEqual({ chapter: 1, step: 0 });
  });
  it("goes back into the previous chapter's last step", () => {
    expect(advance({ chapter: 2, step: 0 }, -1, counts)).toEqual({ chapter: 1, step: 0 });
    expect(advance({ chapter: 1, step: 0 }, -1, counts)).toEqual({ chapter: 0, step: 2 });
  });
  it("stays put at either end of the tour", () => {
    expect(advance({ chapter: 0, step: 0 }, -1, counts)).toEqual({ chapter: 0, step: 0 });
    expect(advance({ chapter: 2, step: 1 }, 1, counts)).toEqual({ chapter: 2, step: 1 });
  });
});

describe("parseScenarios", () => {
  it("takes an answer that fits the contract, and refuses one with any item that does not", () => {
    const good = {
      name: "host",
      title: { en: "", es: "" },
      summary: { en: "", es: "" },
      state: "down",
      containers: [],
    };
    expect(parseScenarios({ actions: true, scenarios: [good] })).toEqual({ actions: true, scenarios: [good] });
    expect(parseScenarios({ actions: true, scenarios: [good, { ...good, state: "sideways" }] })).toBeNull();
    expect(parseScenarios({ statusCode: 404 })).toBeNull();
    expect(parseScenarios(null)).toBeNull();
  });
});
