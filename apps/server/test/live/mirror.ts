import { applyPatch, type Json, type ServerMessage, type Topology } from "@netdive/model";
import WebSocket from "ws";

/** One message as this client received it. */
export interface Received {
  message: ServerMessage;
  /** `performance.now()` when it arrived. */
  at: number;
  /** Size of the frame's payload in bytes. */
  bytes: number;
}

/**
 * A stream client that keeps its own copy of the topology by applying every patch it receives,
 * the way the page does: it counts revision gaps (a patch whose `from` is not its revision),
 * remembers its copy at every revision (to compare with a collection at that same revision while
 * other tests keep the shared engine busy), and notes when each container was first seen running.
 */
export class Mirror {
  readonly socket: WebSocket;
  readonly received: Received[] = [];
  topology: Topology | null = null;
  gaps = 0;
  patchErrors: string[] = [];
  lastMessageAt = performance.now();
  /**
   * Every change of an engine's reachability as the topology carried it (the snapshot's, then
   * each patch that changed it): the one way reachability travels.
   */
  readonly reachability: Array<{ at: number; engineId: string; reachable: boolean; error?: string }> = [];
  /** Container id -> `performance.now()` of the message after which it was first "running". */
  readonly runningAt = new Map<string, number>();
  readonly opened: Promise<void>;
  private readonly history = new Map<number, string>();
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.on("message", (data: Buffer) => this.onMessage(data));
  }

  get snapshots(): number {
    return this.received.filter((r) => r.message.type === "snapshot").length;
  }

  messagesOf<T extends ServerMessage["type"]>(
    type: T,
  ): Array<Received & { message: Extract<ServerMessage, { type: T }> }> {
    return this.received.filter((r) => r.message.type === type) as Array<
      Received & { message: Extract<ServerMessage, { type: T }> }
    >;
  }

  /** This client's copy as it was at `revision` (undefined when it never held that revision). */
  at(revision: number): Topology | undefined {
    const text = this.history.get(revision);
    return text === undefined ? undefined : (JSON.parse(text) as Topology);
  }

  async until(test: (m: Mirror) => boolean, timeoutMs = 5000, what = "a condition"): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!test(this)) {
      if (performance.now() > deadline) {
        const last = JSON.stringify(this.received.slice(-3).map((r) => r.message)).slice(0, 600);
        throw new Error(`stream client: timed out after ${timeoutMs} ms waiting for ${what}; last messages: ${last}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.socket.terminate();
  }

  private onMessage(data: Buffer): void {
    const at = performance.now();
    this.lastMessageAt = at;
    const message = JSON.parse(data.toString()) as ServerMessage;
    this.received.push({ message, at, bytes: data.byteLength });
    if (message.type === "snapshot") {
      // Its own copy: the recorded message stays as it arrived while patches change the copy.
      this.topology = structuredClone(message.topology);
      this.remember();
    } else if (message.type === "patch" && this.topology) {
      if (message.from !== this.topology.revision) {
        // A real client resyncs; the count is what the tests assert on.
        this.gaps++;
        this.socket.send(JSON.stringify({ type: "resync" }));
        return;
      }
      try {
        this.topology = applyPatch(this.topology as unknown as Json, message.ops) as unknown as Topology;
      } catch (err) {
        this.patchErrors.push(`${message.from}->${message.revision}: ${(err as Error).message}`);
        this.socket.send(JSON.stringify({ type: "resync" }));
        return;
      }
      this.remember();
    }
    for (const w of this.waiters.splice(0)) w();
  }

  private remember(): void {
    const t = this.topology as Topology;
    for (const e of Object.values(t.engines)) {
      const last = this.reachability.filter((r) => r.engineId === e.id).at(-1);
      if (last?.reachable === e.reachable && last.error === e.error) continue;
      this.reachability.push({
        at: this.lastMessageAt,
        engineId: e.id,
        reachable: e.reachable,
        ...(e.error ? { error: e.error } : {}),
      });
    }
    this.history.set(t.revision, JSON.stringify(t));
    for (const c of Object.values(t.containers)) {
      if (c.state === "running" && !this.runningAt.has(c.id)) this.runningAt.set(c.id, this.lastMessageAt);
    }
  }
}

/**
 * Resolves once none of the clients has received anything for `quietMs`, or after `maxMs` (other
 * tests may keep a shared engine busy); says which.
 */
export async function quiet(mirrors: readonly Mirror[], quietMs = 1000, maxMs = 20_000): Promise<boolean> {
  const started = performance.now();
  for (;;) {
    const last = Math.max(...mirrors.map((m) => m.lastMessageAt));
    const now = performance.now();
    if (now - last >= quietMs) return true;
    if (now - started > maxMs) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, quietMs - (now - last) + 5)));
  }
}
