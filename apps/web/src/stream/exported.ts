import { ExportedMoment, fits } from "@netdive/model";
import type { NetdiveStore } from "../store";

/** The moment an exported page carries (its `#netdive-moment` JSON), checked against the contract. */
export function showExported(json: string, store: NetdiveStore): void {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  if (fits(ExportedMoment, value)) store.getState().showMoment(value);
  else store.getState().setConnection("incompatible", "this exported page's moment does not fit this page's contract");
}
