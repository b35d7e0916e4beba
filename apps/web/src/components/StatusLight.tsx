import { loadRecording } from "../stream/load-recording";
import { useNetdive, useStoreApi, useT } from "../store/hooks";

/**
 * Connected / reconnecting / engine down, with the reason the server gave; replaying or showing an
 * exported moment. When no engine answers, the built-in demo is offered beside the reason.
 */
export function StatusLight() {
  const t = useT();
  const { connection, problem, source } = useNetdive((s) => ({
    connection: s.connection,
    problem: s.problem,
    source: s.source,
  }));
  const state = source !== "live" ? "replay" : connection === "live" && problem ? "down" : connection;
  const text = {
    connecting: t("connecting"),
    live: t("live"),
    reconnecting: t("reconnecting"),
    incompatible: t("incompatible"),
    down: t("engineDown"),
    replay: source === "moment" ? t("exported") : t("replaying"),
  }[state];
  return (
    <div className={`status status-${state}`} role="status" aria-live="polite" data-testid="status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{text}</span>
      {problem ? <span className="status-reason">{problem}</span> : null}
      {state === "down" ? <DemoOffer /> : null}
    </div>
  );
}

/** "Show the built-in demo": the workshop lab, recorded, replayed here without an engine. */
function DemoOffer() {
  const t = useT();
  const store = useStoreApi();
  return (
    <button
      type="button"
      className="demo-offer"
      onClick={() => void loadRecording("/api/demo.ndjson", "demo", store)}
      data-testid="show-demo"
    >
      {t("showDemo")}
    </button>
  );
}
