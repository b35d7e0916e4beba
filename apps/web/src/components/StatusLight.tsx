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
      {source === "live" && connection === "live" ? <EngineLights /> : null}
    </div>
  );
}

/** With several engines, one light each: its id, and the reason when it cannot be read. */
function EngineLights() {
  const t = useT();
  const engines = useNetdive((s) => s.topology?.engines ?? null);
  const list = Object.values(engines ?? {});
  if (list.length < 2) return null;
  return (
    <ul className="engine-lights" aria-label={t("engines")}>
      {list.map((e) => (
        <li
          key={e.id}
          className={`engine-light ${e.reachable ? "engine-up" : "engine-down"}`}
          data-testid={`status-engine-${e.id}`}
          title={e.reachable ? `${e.name} (${e.url})` : (e.error ?? t("engineDown"))}
        >
          <span className="status-dot" aria-hidden="true" />
          {e.id}
          {e.reachable ? null : <span className="engine-light-reason"> — {t("engineDown")}</span>}
        </li>
      ))}
    </ul>
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
