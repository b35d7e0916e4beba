import { createContext, useContext } from "react";
import { useStore } from "zustand";
import { useShallow } from "zustand/react/shallow";
import { translator } from "@netdive/model";
import { messages, type MessageKey } from "../i18n";
import type { NetdiveStore, Store } from "./index";

export const StoreContext = createContext<NetdiveStore | null>(null);

/** The store itself, for code that hands it on (a loader that calls several actions). */
export function useStoreApi(): NetdiveStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("StoreContext is missing");
  return store;
}

/** Select narrowly: a component re-renders only when what it selected changed. */
export function useNetdive<T>(selector: (s: Store) => T): T {
  return useStore(useStoreApi(), useShallow(selector));
}

/** The translator for the page's current language. */
export function useT(): (key: MessageKey) => string {
  const language = useNetdive((s) => s.language);
  return translator(messages, language);
}
