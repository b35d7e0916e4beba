import { fits, RecorderState } from "@netdive/model";
import { useEffect, useState } from "react";
import { useNetdive, useT } from "../store/hooks";

/** `GET /api/recorder`, or `POST …/start|stop`; null when the server answers oddly. */
async function recorder(action?: "start" | "stop"): Promise<RecorderState | null> {
  const res = await fetch(action ? `/api/recorder/${action}` : "/api/recorder", {
    method: action ? "POST" : "GET",
    credentials: "same-origin",
  });
  const body: unknown = res.ok ? await res.json() : null;
  return fits(RecorderState, body) ? body : null;
}

/**
 * Record / Stop recording, only when the server runs with `--record FILE` and the page is live:
 * each start appends a new session to that file.
 */
export function RecordButton() {
  const t = useT();
  const live = useNetdive((s) => s.source === "live");
  const [state, setState] = useState<RecorderState | null>(null);
  useEffect(() => {
    if (!live) return;
    let mounted = true;
    recorder()
      .then((s) => mounted && setState(s))
      .catch(() => undefined);
    return () => {
      mounted = false;
    };
  }, [live]);
  if (!live || state?.file == null) return null;
  const toggle = () =>
    void recorder(state.active ? "stop" : "start")
      .then((s) => s && setState(s))
      .catch(() => undefined);
  return (
    <button
      type="button"
      className={state.active ? "recording" : undefined}
      aria-pressed={state.active}
      onClick={toggle}
      title={state.file}
      data-testid="record"
    >
      {state.active ? t("stopRecording") : t("record")}
    </button>
  );
}
