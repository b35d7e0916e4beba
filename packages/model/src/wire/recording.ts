import { Type, type Static } from "@sinclair/typebox";
import { PatchMessage, SnapshotMessage } from "../protocol";
import { ContainerDetails, Topology } from "../topology";

/**
 * The recording format: the stream contract on disk, one JSON object per line (NDJSON).
 *
 * A file is one or more sessions, each a header, then a snapshot, then patches and container
 * details in the order they happened. Every line after a header carries `t`, the server's clock
 * (ms since the Unix epoch) when it was written. Bump {@link RECORDING_FORMAT} when a reader of
 * the old format would misread a new file; adding an optional field is not such a change.
 */
export const RECORDING_FORMAT = 1;

/** The first line of a session: which format and stream protocol the lines after it speak. */
export const RecordingHeader = Type.Object({
  type: Type.Literal("netdive-recording"),
  /** The recording format ({@link RECORDING_FORMAT} of the netdive that wrote it). */
  format: Type.Integer({ minimum: 1 }),
  /** The stream protocol of the snapshot and patch lines (PROTOCOL_VERSION). */
  protocol: Type.Integer(),
  /** When the session started, ms since the Unix epoch. */
  t: Type.Number(),
});
export type RecordingHeader = Static<typeof RecordingHeader>;

const At = Type.Object({
  /** When the line was written, ms since the Unix epoch (the server's clock). */
  t: Type.Number(),
});

/** The stream's snapshot message, as it was sent, with its time. */
export const RecordedSnapshot = Type.Composite([SnapshotMessage, At]);
export type RecordedSnapshot = Static<typeof RecordedSnapshot>;

/** The stream's patch message, as it was sent, with its time. */
export const RecordedPatch = Type.Composite([PatchMessage, At]);
export type RecordedPatch = Static<typeof RecordedPatch>;

/**
 * What `GET /api/containers/:ref` answered for one container, read when the container first
 * appeared in the session and again after each change to it, written only when it differs from
 * the container's last details line. `revision`: the topology revision it was read at.
 */
export const RecordedDetails = Type.Object({
  type: Type.Literal("details"),
  t: Type.Number(),
  revision: Type.Integer(),
  details: ContainerDetails,
});
export type RecordedDetails = Static<typeof RecordedDetails>;

/** One line of a recording after its header. */
export const RecordingLine = Type.Union([RecordedSnapshot, RecordedPatch, RecordedDetails]);
export type RecordingLine = Static<typeof RecordingLine>;

/**
 * What an exported page (`GET /api/export.html`) holds: one moment's topology and the details of
 * its containers, embedded in the page as JSON. Nothing else: no environment, no command line.
 */
export const ExportedMoment = Type.Object({
  type: Type.Literal("netdive-moment"),
  /** {@link RECORDING_FORMAT} of the netdive that exported it. */
  format: Type.Integer({ minimum: 1 }),
  /** The moment shown, ms since the Unix epoch. */
  t: Type.Number(),
  topology: Topology,
  /** Container id -> what `GET /api/containers/:ref` answered at that moment. */
  details: Type.Record(Type.String(), ContainerDetails),
});
export type ExportedMoment = Static<typeof ExportedMoment>;

/**
 * `GET /api/recorder`, and the answer of `POST /api/recorder/start` and `/stop` (which exist only
 * when netdive runs with `--record FILE`): whether the session is being recorded now.
 */
export const RecorderState = Type.Object({
  /** The recording's file name (without its directory); null: this netdive records nothing. */
  file: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});
export type RecorderState = Static<typeof RecorderState>;
