import { useEffect } from "react";
import type { Speed } from "../store/replay-slice";
import { useNetdive, useT } from "../store/hooks";

const SPEEDS: Speed[] = [1, 4, 16];
/** Longest wait between two moments at 1x: a recording's quiet minutes are not replayed as such. */
const MAX_GAP_MS = 2000;
/** Shortest wait, so a burst of changes is still seen one by one. */
const MIN_GAP_MS = 60;

/**
 * The replay's controls: play/pause, speed, the previous or next change, and a scrubber over the
 * recording's time with a mark for each change. Shown only while a recording is replayed.
 */
export function Timeline() {
  const t = useT();
  const s = useNetdive((x) => ({
    source: x.source,
    timeline: x.timeline,
    at: x.at,
    playing: x.playing,
    speed: x.speed,
    note: x.replayNote,
    origin: x.recordingOrigin,
    seek: x.seek,
    setPlaying: x.setPlaying,
    setSpeed: x.setSpeed,
  }));
  const moments = s.timeline?.moments ?? [];
  const last = moments.length - 1;

  // The player: one timer for the next moment, as far ahead as the recording's own gap.
  useEffect(() => {
    if (!s.playing || s.at >= last) return;
    const gap = (moments[s.at + 1]?.t ?? 0) - (moments[s.at]?.t ?? 0);
    const wait = Math.max(MIN_GAP_MS, Math.min(MAX_GAP_MS, gap) / s.speed);
    const timer = setTimeout(() => s.seek(s.at + 1), wait);
    return () => clearTimeout(timer);
  }, [s.playing, s.at, s.speed, last, moments, s.seek]);

  useReplayKeys(s.source === "replay" && moments.length > 0, s.at, last, s.seek, () => s.setPlaying(!s.playing));

  if (s.source !== "replay" || moments.length === 0) return null;
  const start = moments[0]?.t ?? 0;
  const span = Math.max(1, (moments[last]?.t ?? start) - start);
  const now = moments[s.at]?.t ?? start;
  const place = (time: number) => `${(((time - start) / span) * 100).toFixed(3)}%`;
  // The scrubber moves through time; it lands on the last change at or before where it is let go.
  const onScrub = (time: number) => {
    let i = 0;
    while (i < last && (moments[i + 1]?.t ?? Infinity) <= time) i++;
    s.seek(i);
  };
  return (
    <div className="timeline" role="group" aria-label={t("timeline")} data-testid="timeline">
      <span className="timeline-kind">{s.origin === "demo" ? t("replayDemo") : t("replayRecording")}</span>
      <button
        type="button"
        onClick={() => s.setPlaying(!s.playing)}
        data-testid="timeline-play"
        aria-pressed={s.playing}
      >
        {s.playing ? t("pause") : t("play")}
      </button>
      <span className="group">
        {SPEEDS.map((speed) => (
          <button
            type="button"
            key={speed}
            aria-pressed={s.speed === speed}
            onClick={() => s.setSpeed(speed)}
            data-testid={`timeline-speed-${speed}`}
          >
            {speed}x
          </button>
        ))}
      </span>
      <button
        type="button"
        onClick={() => s.seek(s.at - 1)}
        disabled={s.at === 0}
        aria-label={t("previousChange")}
        data-testid="timeline-prev"
      >
        ◀
      </button>
      <button
        type="button"
        onClick={() => s.seek(s.at + 1)}
        disabled={s.at === last}
        aria-label={t("nextChange")}
        data-testid="timeline-next"
      >
        ▶
      </button>
      <div className="scrubber">
        <div className="marks" aria-hidden="true">
          {moments.map((m, i) => (
            <span key={i} className={`mark${i === s.at ? " current" : ""}`} style={{ left: place(m.t) }} />
          ))}
        </div>
        <input
          type="range"
          min={start}
          max={start + span}
          step={1}
          value={now}
          onChange={(e) => onScrub(Number(e.target.value))}
          aria-label={t("scrubber")}
          aria-valuetext={`${s.at + 1}/${moments.length}`}
          title={t("scrubberKeys")}
          data-testid="timeline-scrubber"
        />
      </div>
      <span className="timeline-at mono" data-testid="timeline-at">
        {`${s.at + 1}/${moments.length} · ${clock(now)}`}
      </span>
      {s.note ? (
        <span className="timeline-note" role="note">
          {s.note}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The replay's keys, wherever the focus is but in a field: Left and Right step one change, Home and
 * End jump to the ends, Space plays or pauses. On the scrubber too, where the browser's own keys
 * would move it by a millisecond.
 */
function useReplayKeys(active: boolean, at: number, last: number, seek: (i: number) => void, toggle: () => void) {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const scrubber = target?.closest('[data-testid="timeline-scrubber"]');
      if (!scrubber && target?.closest("input, textarea, select, [contenteditable]")) return;
      // On the diagram the arrows move between boxes (GraphCanvas).
      if (event.key.startsWith("Arrow") && target?.closest(".graph")) return;
      const to: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: last };
      if (event.key in to) {
        event.preventDefault();
        seek(to[event.key]!);
      } else if (event.key === " " && !target?.closest("button")) {
        event.preventDefault();
        toggle();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [active, at, last, seek, toggle]);
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
