import { Value } from "@sinclair/typebox/value";
import { applyPatchCopy, type Json } from "./json-patch";
import { PROTOCOL_VERSION, REPLAYABLE_PROTOCOLS, type ContainerDetails, type Topology } from "./topology";
import {
  RECORDING_FORMAT,
  RecordingHeader,
  RecordingLine,
  type RecordedDetails,
  type RecordedPatch,
  type RecordedSnapshot,
} from "./wire/recording";

/** The lines of a recording that the reader kept, and what it had to leave out. */
export interface Recording {
  /** The first session's header. */
  header: RecordingHeader;
  /** Every line after the headers, in file order. */
  lines: Array<RecordedSnapshot | RecordedPatch | RecordedDetails>;
  /**
   * Why the reader stopped before the end, in a sentence (a line cut short by a crash, a line
   * that is not of this format); null when it read the whole file.
   */
  stoppedEarly: string | null;
}

/** A file this netdive cannot replay at all; the message says why and what to do. */
export class RecordingError extends Error {
  override name = "RecordingError";
}

/**
 * Reads a recording (NDJSON text). A file cut short, by a crash or a copy, replays up to its
 * last whole line; a file of a newer format, or one that is not a recording, is refused with
 * a sentence that says so.
 */
export function parseRecording(text: string, source = "the recording"): Recording {
  const raw = text.split("\n");
  let header: RecordingHeader | null = null;
  const lines: Recording["lines"] = [];
  let stoppedEarly: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i] as string;
    if (line.trim() === "") continue;
    const last = i === raw.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (header === null) throw new RecordingError(`${source} is not a netdive recording: its first line is not JSON`);
      stoppedEarly = last
        ? `${source} ends in the middle of line ${i + 1} (cut short while it was written); replayed up to line ${i}`
        : `line ${i + 1} of ${source} is not JSON; replayed up to line ${i}`;
      break;
    }
    if (Value.Check(RecordingHeader, value)) {
      if (value.format > RECORDING_FORMAT)
        throw new RecordingError(
          `${source} is recording format ${value.format}, written by a newer netdive; this netdive reads format ${RECORDING_FORMAT} — update netdive to replay it`,
        );
      if (!REPLAYABLE_PROTOCOLS.includes(value.protocol))
        throw new RecordingError(
          `${source} speaks stream protocol ${value.protocol}, and this netdive replays ${REPLAYABLE_PROTOCOLS.join(" and ")} — replay it with the netdive that recorded it`,
        );
      header ??= value;
      continue;
    }
    if (header === null)
      throw new RecordingError(
        `${source} is not a netdive recording: its first line is not a {"type":"netdive-recording"} header`,
      );
    if (!Value.Check(RecordingLine, value)) {
      stoppedEarly = `line ${i + 1} of ${source} is not a line of recording format ${RECORDING_FORMAT}; replayed up to line ${i}`;
      break;
    }
    if (lines.length === 0 && value.type !== "snapshot") {
      throw new RecordingError(`${source} has no snapshot after its header: there is nothing to replay`);
    }
    lines.push(value);
  }
  if (header === null) throw new RecordingError(`${source} is empty: it holds no netdive recording`);
  if (lines.length === 0)
    throw new RecordingError(`${source} has no snapshot after its header: there is nothing to replay`);
  return { header, lines, stoppedEarly };
}

/** One moment of a recording a person can step to: a snapshot or a patch. */
export interface Moment {
  /** When it happened, ms since the Unix epoch. */
  t: number;
  /** The line that made it. */
  line: RecordedSnapshot | RecordedPatch;
  topology: Topology;
}

/**
 * A recording as moments to step through: the topology after each snapshot and patch (patches
 * copy only what they touch, so the moments share everything else), and the container details as
 * they stood at each.
 */
export class RecordingTimeline {
  readonly moments: Moment[] = [];
  /** For each moment, the index in `recording.lines` of the next moment's line (or the end). */
  private readonly ends: number[] = [];
  /** Container id -> its details lines, as indices in `recording.lines`. */
  private readonly detailsLines = new Map<string, number[]>();

  /** Why the moments end before the recording does (a patch that did not fit), or null. */
  readonly brokenAt: string | null = null;

  constructor(readonly recording: Recording) {
    let topology: Topology | null = null;
    recording.lines.forEach((line, index) => {
      if (this.brokenAt !== null) return;
      if (line.type === "details") {
        const list = this.detailsLines.get(line.details.id) ?? [];
        list.push(index);
        this.detailsLines.set(line.details.id, list);
        return;
      }
      if (line.type === "snapshot") topology = line.topology;
      else if (topology !== null) {
        // A patch that does not fit stops the replay there: what came before still stands.
        try {
          topology = applyPatchCopy(topology as unknown as Json, line.ops) as unknown as Topology;
        } catch (err) {
          (this as { brokenAt: string | null }).brokenAt =
            `the patch to revision ${line.revision} does not fit the revision before it (${(err as Error).message}); replayed up to it`;
          this.ends.push(index);
          return;
        }
      }
      if (this.moments.length > 0) this.ends.push(index);
      this.moments.push({ t: line.t, line, topology: topology as Topology });
    });
    if (this.ends.length < this.moments.length) this.ends.push(recording.lines.length);
  }

  /** The topology after moment `i`. */
  topologyAt(i: number): Topology {
    const moment = this.moments[Math.max(0, Math.min(i, this.moments.length - 1))];
    if (!moment) throw new RecordingError("the recording has no moments");
    return moment.topology;
  }

  /**
   * A container's details as they stood at moment `i`: its last details line written before
   * the next moment, or, for a container whose first read came later, that first read.
   */
  detailsAt(i: number, containerId: string): ContainerDetails | null {
    const indices = this.detailsLines.get(containerId);
    if (!indices || indices.length === 0) return null;
    const end = this.ends[Math.max(0, Math.min(i, this.ends.length - 1))] ?? 0;
    const before = indices.filter((index) => index < end);
    const index = before.length > 0 ? before[before.length - 1] : indices[0];
    const line = this.recording.lines[index as number];
    return line?.type === "details" ? line.details : null;
  }

  /** Every container's details at moment `i`, for the containers of that moment's topology. */
  allDetailsAt(i: number): Record<string, ContainerDetails> {
    const out: Record<string, ContainerDetails> = {};
    for (const id of Object.keys(this.topologyAt(i).containers)) {
      const d = this.detailsAt(i, id);
      if (d) out[id] = d;
    }
    return out;
  }
}

/** The first two lines of a recording session: its header and the snapshot of `topology` at `t`. */
export function sessionStart(topology: Topology, t: number): [RecordingHeader, RecordedSnapshot] {
  return [
    { type: "netdive-recording", format: RECORDING_FORMAT, protocol: PROTOCOL_VERSION, t },
    { type: "snapshot", protocol: PROTOCOL_VERSION, revision: topology.revision, topology, t },
  ];
}

/**
 * One moment as a recording (NDJSON text): a header and a snapshot of `topology`, which
 * `--replay` shows with no engine (a generated host, say, to look at a shape no lab has).
 */
export function momentRecording(topology: Topology, t = 0): string {
  return sessionStart(topology, t)
    .map((line) => `${JSON.stringify(line)}\n`)
    .join("");
}
