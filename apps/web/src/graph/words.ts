import type { MessageKey } from "../i18n";

/** The words the diagram itself uses, in the page's language (the `g…` messages). */
export type GraphWords = Pick<Record<MessageKey, string>, Extract<MessageKey, `g${string}`>>;

/** A container's state as Docker names it (running, exited, …), in the page's words; an unknown one as it is. */
export function stateWord(w: GraphWords, state: string): string {
  const key = `gState${state.charAt(0).toUpperCase()}${state.slice(1)}`;
  return key in w ? w[key as keyof GraphWords] : state;
}
