import type { MessageKey } from "../i18n";

/** The words the diagram itself uses, in the page's language (the `g…` messages). */
export type GraphWords = Pick<Record<MessageKey, string>, Extract<MessageKey, `g${string}`>>;
