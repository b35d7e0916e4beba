import type { ContainerDetails, ExportedMoment, RecordingTimeline } from "@netdive/model";
import type { StateCreator } from "zustand";
import { changedKeys, type TopologySlice } from "./topology-slice";

/** Where the picture comes from: the live stream, a recording, or one exported moment (a file). */
export type Source = "live" | "replay" | "moment";
export type Speed = 1 | 4 | 16;

/** Which recording is replayed: the server's `--replay` file, or the built-in demo it offers. */
export type RecordingOrigin = "server" | "demo";

export interface ReplaySlice {
  source: Source;
  timeline: RecordingTimeline | null;
  recordingOrigin: RecordingOrigin | null;
  /** The moment shown (an index into the timeline's moments). */
  at: number;
  playing: boolean;
  speed: Speed;
  /** What the page has to say about the recording (cut short, a patch that did not fit), or null. */
  replayNote: string | null;
  /**
   * How the moment shown was reached: one step from the one before (`jump` false), or a seek
   * (the canvas follows a step's change, and frames the whole host again after a jump).
   */
  move: { at: number; jump: boolean } | null;
  /** An exported moment's details, by container id. */
  momentDetails: Record<string, ContainerDetails>;
  /** Replays `timeline` from its first moment, paused: the instructor starts it. */
  loadTimeline: (timeline: RecordingTimeline, origin: RecordingOrigin) => void;
  /** Shows one exported moment, for good (no stream, no timeline). */
  showMoment: (moment: ExportedMoment) => void;
  /** Shows moment `i`; what that moment's patch changed glows, as it does live. */
  seek: (i: number) => void;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: Speed) => void;
}

/**
 * The replay: the timeline and the moment shown. Seeking sets the topology slice's picture (the
 * graph, details, reach explainer and tour read it as they read the live one).
 */
export const createReplaySlice: StateCreator<TopologySlice & ReplaySlice, [], [], ReplaySlice> = (set, get) => ({
  source: "live",
  timeline: null,
  recordingOrigin: null,
  at: 0,
  playing: false,
  speed: 1,
  replayNote: null,
  move: null,
  momentDetails: {},
  loadTimeline: (timeline, origin) => {
    set({
      source: "replay",
      timeline,
      recordingOrigin: origin,
      playing: false,
      move: null,
      replayNote: timeline.recording.stoppedEarly ?? timeline.brokenAt,
      connection: "live",
      problem: null,
    });
    get().seek(0);
  },
  showMoment: (moment) =>
    set({
      source: "moment",
      topology: moment.topology,
      momentDetails: moment.details,
      connection: "live",
      problem: null,
      playing: false,
    }),
  seek: (i) => {
    const { timeline } = get();
    if (!timeline) return;
    const at = Math.max(0, Math.min(i, timeline.moments.length - 1));
    const moment = timeline.moments[at];
    if (!moment) return;
    const before = get().move ? get().at : null;
    set({
      at,
      move: { at, jump: before === null || Math.abs(at - before) !== 1 },
      topology: moment.topology,
      changes: moment.line.type === "patch" ? changedKeys(moment.line) : {},
      playing: get().playing && at < timeline.moments.length - 1,
    });
  },
  setPlaying: (playing) => {
    const { timeline, at } = get();
    // Play from the end starts over.
    if (playing && timeline && at >= timeline.moments.length - 1) get().seek(0);
    set({ playing });
  },
  setSpeed: (speed) => set({ speed }),
});

/** A container's details as the recording or the exported moment holds them; undefined when live (ask the server). */
export function recordedDetails(
  state: Pick<ReplaySlice, "source" | "timeline" | "at" | "momentDetails">,
  containerId: string,
): ContainerDetails | null | undefined {
  if (state.source === "moment") return state.momentDetails[containerId] ?? null;
  if (state.source === "replay" && state.timeline) return state.timeline.detailsAt(state.at, containerId);
  return undefined;
}
