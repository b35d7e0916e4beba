import { useCallback, useEffect, useRef, useState } from "react";
import { useNetdive } from "../store/hooks";
import { bringUp, fetchScenarios, type ScenariosAnswer } from "./scenarios-api";

/** How long after a topology change the scenarios are asked for again. */
const SETTLE_MS = 600;

/** What the tour knows of the lab's scenarios, and a way to bring one up. */
export interface Scenarios {
  /** null while unknown, or for good when the server has no `/api/scenarios`. */
  answer: ScenariosAnswer | null;
  /** The scenario being brought up, if any. */
  busy: string | null;
  /** Why the last bring-up failed, for the scenario it was about. */
  error: { name: string; message: string } | null;
  up: (name: string) => void;
}

/**
 * Asks `GET /api/scenarios` when the tour opens and again shortly after `labKey` changes (a
 * scenario's state follows its lab containers; other changes do not ask). A server without the
 * route is asked once.
 */
export function useScenarios(labKey: string): Scenarios {
  const [answer, setAnswer] = useState<ScenariosAnswer | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Scenarios["error"]>(null);
  const absent = useRef(false);
  // An exported page has no server to ask: the tour reads what is drawn.
  const exported = useNetdive((s) => s.source === "moment");

  const refresh = useCallback((signal?: AbortSignal) => {
    fetchScenarios(signal)
      .then((a) => {
        absent.current = a === null;
        setAnswer(a);
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (absent.current || exported) return;
    const abort = new AbortController();
    const timer = setTimeout(() => refresh(abort.signal), SETTLE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [labKey, refresh, exported]);

  const up = useCallback(
    (name: string) => {
      setBusy(name);
      setError(null);
      bringUp(name)
        .catch((err: unknown) => setError({ name, message: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          setBusy(null);
          refresh();
        });
    },
    [refresh],
  );

  return { answer, busy, error, up };
}
