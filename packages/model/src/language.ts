/**
 * netdive's languages, and its one way to hold words in them: the page's messages, the tour's,
 * the reach explanations and the lab's scenario texts all use these types.
 */
export const LANGUAGES = ["en", "es"] as const;

export type Language = (typeof LANGUAGES)[number];

/** One text in every language netdive speaks (a tour step, a scenario's title). */
export type Localized = Record<Language, string>;

/** A table of texts by key, in every language netdive speaks (the page's messages, the tour's words). */
export type Dictionary<K extends string> = Record<Language, Record<K, string>>;

/** The words of a dictionary in one language, by key. */
export function translator<K extends string>(dictionary: Dictionary<K>, language: Language): (key: K) => string {
  const words = dictionary[language];
  return (key) => words[key];
}

/**
 * The language a reader prefers, from a browser's `navigator.languages` or an Accept-Language
 * header's first entry: Spanish when it is Spanish, English otherwise.
 */
export function preferredLanguage(preferences: readonly string[]): Language {
  return preferences[0]?.trim().toLowerCase().startsWith("es") ? "es" : "en";
}
