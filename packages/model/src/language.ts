/** The languages netdive speaks: the page's, the reach explanations', the lab's scenario texts. */
export const LANGUAGES = ["en", "es"] as const;

export type Language = (typeof LANGUAGES)[number];

/** A text in every language netdive speaks. */
export type Localized = Record<Language, string>;

/** A localized text in one language. */
export function localize(text: Localized, language: Language): string {
  return text[language];
}
