import { describe, expect, it } from "vitest";
import { preferredLanguage, translator, type Dictionary } from "./language";

describe("one way to speak en and es", () => {
  it("prefers Spanish only when the first preference is Spanish, from a browser or an Accept-Language header", () => {
    expect(preferredLanguage(["es-AR", "en"])).toBe("es");
    expect(preferredLanguage(" es;q=0.9, en;q=0.8".split(","))).toBe("es");
    expect(preferredLanguage(["en-GB", "es"])).toBe("en");
    expect(preferredLanguage([])).toBe("en");
  });

  it("a dictionary answers in the language asked", () => {
    const words: Dictionary<"hello"> = { en: { hello: "hello" }, es: { hello: "hola" } };
    expect(translator(words, "es")("hello")).toBe("hola");
  });
});
