import { applyPatch, type Json, type ServerMessage, type Topology } from "@netdive/model";
import WebSocket from "ws";

/** A stream client that keeps the topology and notes when each message arrived. */
export class BenchClient {
  topology: Topology | null = null;
  snapshotBytes = 0;
  readonly log: Array<{ at: number; bytes: number; message: ServerMessage }> = [];
  private readonly socket: WebSocket;
  private waiters: Array<{ test: (t: Topology) => boolean; resolve: (at: number) => void }> = [];
  readonly ready: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.socket.on("error", reject);
      this.socket.on("message", (data: Buffer) => {
        const at = performance.timeOrigin + performance.now();
        const message = JSON.parse(data.toString("utf8")) as ServerMessage;
        this.log.push({ at, bytes: data.length, message });
        if (message.type === "snapshot") {
          this.topology = message.topology;
          this.snapshotBytes = data.length;
          resolve();
        } else if (message.type === "patch" && this.topology) {
          this.topology = applyPatch(this.topology as unknown as Json, message.ops) as unknown as Topology;
          const topology = this.topology;
          this.waiters = this.waiters.filter((w) => (w.test(topology) ? (w.resolve(at), false) : true));
        }
      });
    });
  }

  /**
   * Resolves with the arrival time (epoch ms) of the first patch after which `test` holds.
   * Register before causing the change.
   */
  waitFor(test: (t: Topology) => boolean, timeoutMs = 20_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the stream")), timeoutMs);
      this.waiters.push({
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  /** Bytes of the patches received in [from, to]. */
  patchBytes(from: number, to: number): number {
    return this.log
      .filter((m) => m.message.type === "patch" && m.at >= from && m.at <= to)
      .reduce((s, m) => s + m.bytes, 0);
  }

  close(): void {
    this.socket.terminate();
  }
}

/**
 * A client that only receives: it stands for the other 49 viewers in the fan-out figure, so
 * their cost in the bench's own process does not count against the server.
 */
export class SilentClient {
  private readonly socket: WebSocket;
  readonly ready: Promise<void>;
  bytes = 0;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.socket.on("error", reject);
      this.socket.once("message", () => resolve());
      this.socket.on("message", (data: Buffer) => {
        this.bytes += data.length;
      });
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
