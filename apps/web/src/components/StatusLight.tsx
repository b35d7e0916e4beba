import { useNetdive, useT } from "../store/hooks";

/** Connected / reconnecting / engine down, with the reason the server gave. */
export function StatusLight() {
  const t = useT();
  const { connection, problem } = useNetdive((s) => ({ connection: s.connection, problem: s.problem }));
  const state = connection === "live" && problem ? "down" : connection;
  const text = {
    connecting: t("connecting"),
    live: t("live"),
    reconnecting: t("reconnecting"),
    incompatible: t("incompatible"),
    down: t("engineDown"),
  }[state];
  return (
    <div className={`status status-${state}`} role="status" aria-live="polite" data-testid="status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{text}</span>
      {problem ? <span className="status-reason">{problem}</span> : null}
    </div>
  );
}
