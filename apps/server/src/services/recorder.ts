import { closeSync, createWriteStream, openSync, type WriteStream } from "node:fs";
import { sessionStart, type Container, type RecordedDetails, type RecordedPatch } from "@netdive/model";
import type { FastifyBaseLogger } from "fastify";
import type { TopologyChange, TopologyService } from "./topology-service";

/** Most container detail reads at once while recording: they go to the engine the page reads. */
const DETAILS_AT_ONCE = 2;

/** A file `--record` cannot write; the message says which and why. */
export class RecordFileError extends Error {
  override name = "RecordFileError";
}

/**
 * Appends a session to a recording (see packages/model wire/recording.ts): a header, the
 * snapshot, then every change as the stream sends it, each with its time, and the details of each
 * container when it first appears and after each change to it (only when they differ from the
 * last written). One `write` per line, so a crash leaves whole lines and at most one cut short.
 * Detail reads run beside the stream, never in its way: a change is written before its details.
 */
export class Recorder {
  private readonly out: WriteStream;
  private readonly lastDetails = new Map<string, string>();
  private readonly queue = new Set<string>();
  private reading = 0;
  private idle: Array<() => void> = [];
  private closed = false;
  private failed = false;
  /** Whether changes are being written now (the page's Record button stops and starts it). */
  active = false;

  constructor(
    private readonly service: TopologyService,
    readonly file: string,
    private readonly log: FastifyBaseLogger,
  ) {
    let fd: number;
    try {
      fd = openSync(file, "a");
    } catch (err) {
      throw new RecordFileError(`cannot record to ${file}: ${(err as Error).message}`);
    }
    this.out = createWriteStream(file, { fd, flags: "a" });
    this.out.on("error", (err) => {
      if (this.failed) return;
      this.failed = true;
      this.log.error({ err }, `recording to ${file} stopped: ${err.message}; the live view goes on`);
    });
  }

  /** Starts a session: writes the header and the snapshot of now, then follows every change. */
  start(): void {
    if (this.active || this.closed) return;
    this.active = true;
    this.lastDetails.clear();
    const t = Date.now();
    const topology = this.service.current();
    const [header, snapshot] = sessionStart(topology, t);
    this.write(header);
    this.write(snapshot);
    this.service.on("change", this.onChange);
    for (const id of Object.keys(topology.containers)) this.queue.add(id);
    this.drain();
    this.log.info(`recording to ${this.file}`);
  }

  /** Ends the session: changes are no longer written (a later start appends a new session). */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.service.off("change", this.onChange);
    this.queue.clear();
    this.log.info(`recording to ${this.file} stopped`);
  }

  /** Stops following changes, waits for the detail reads under way, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stop();
    this.closed = true;
    if (this.reading > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await new Promise<void>((resolve) => this.out.end(resolve));
  }

  /** Resolves once every detail read asked for so far is written, and every line is in the file (tests). */
  async settled(): Promise<void> {
    while (this.reading > 0 || this.queue.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    if (this.failed || this.out.destroyed || this.out.writableEnded) return;
    // Writes complete in order: this one's callback comes after every line before it.
    await new Promise<void>((resolve) => this.out.write("", () => resolve()));
  }

  private readonly onChange = (change: TopologyChange): void => {
    const line: RecordedPatch = {
      type: "patch",
      from: change.from,
      revision: change.revision,
      ops: change.ops,
      touched: change.touched,
      t: Date.now(),
    };
    this.write(line);
    for (const id of change.touched.containers) if (change.topology.containers[id]) this.queue.add(id);
    this.drain();
  };

  private drain(): void {
    while (!this.closed && this.reading < DETAILS_AT_ONCE && this.queue.size > 0) {
      const id = this.queue.values().next().value as string;
      this.queue.delete(id);
      const container = this.service.current().containers[id];
      if (!container) continue;
      this.reading++;
      void this.readDetails(container).finally(() => {
        this.reading--;
        this.drain();
        if (this.reading === 0 && this.queue.size === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
    if (this.reading === 0 && this.queue.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private async readDetails(container: Container): Promise<void> {
    const revision = this.service.current().revision;
    try {
      const details = await this.service.details(container);
      if (this.closed || !this.active) return;
      const text = JSON.stringify(details);
      if (this.lastDetails.get(container.id) === text) return;
      this.lastDetails.set(container.id, text);
      const line: RecordedDetails = { type: "details", t: Date.now(), revision, details };
      this.write(line);
    } catch (err) {
      // Gone between the change and the read, or the engine away: the next change reads again.
      this.log.debug({ err, container: container.name }, "recording: a container's details could not be read");
    }
  }

  private write(line: object): void {
    if (this.failed || this.out.destroyed) return;
    this.out.write(`${JSON.stringify(line)}\n`);
  }
}

/** Whether FILE can be appended to, checked before the server starts (the message says why not). */
export function checkRecordFile(file: string): void {
  try {
    closeSync(openSync(file, "a"));
  } catch (err) {
    throw new RecordFileError(`cannot record to ${file}: ${(err as Error).message}`);
  }
}
