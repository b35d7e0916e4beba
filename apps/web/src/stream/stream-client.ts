import { fits, PROTOCOL_VERSION, ServerMessage, type ClientMessage } from "@netdive/model";
import type { NetdiveStore } from "../store";
import { loadRecording } from "./load-recording";

/**
 * The WebSocket client, outside React: it feeds the store. Every frame is checked against the
 * wire contract (packages/model) before the store sees it. On a frame that does not fit, a
 * revision gap or a patch that does not apply it asks for a snapshot; when the connection drops it reconnects with backoff and
 * the new snapshot replaces the picture, without a reload.
 */
export class StreamClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** A resync was asked for: patches until the snapshot arrives are ignored, not re-asked. */
  private resyncing = false;
  /** The connection flows were asked on (once per connection, after its first snapshot: a live server). */
  private flowsAskedOn: WebSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly store: NetdiveStore,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, "page closed");
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.resyncing = false;
      send(socket, { type: "hello", protocol: PROTOCOL_VERSION });
    };
    socket.onmessage = (event) => this.onFrame(String(event.data));
    socket.onclose = () => {
      if (this.stopped || this.store.getState().connection === "incompatible") return;
      if (this.store.getState().source !== "live") return this.stop();
      this.store.getState().setConnection("reconnecting", "the connection to netdive was lost; retrying");
      const delay = Math.min(5000, 250 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  /**
   * With --flows on the server (its snapshot says so), asks this connection for flows, once: an
   * older server, or one without flows, is never sent the request.
   */
  private watchFlows(socket: WebSocket | null, offered: boolean): void {
    if (!offered || !socket || this.flowsAskedOn === socket) return;
    this.flowsAskedOn = socket;
    if (socket.readyState === WebSocket.OPEN) send(socket, { type: "watch-flows", watch: true });
  }

  /** A frame from the server: a message of the contract, or a reason to ask for a fresh snapshot. */
  private onFrame(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      message = undefined;
    }
    if (fits(ServerMessage, message)) return this.onMessage(message);
    // Said, never silent: the picture on screen may be behind until a snapshot that fits comes.
    const state = this.store.getState();
    state.setConnection(state.connection, "a message from netdive did not fit this page; asked for a fresh picture");
    this.resync();
  }

  private resync(): void {
    if (this.resyncing) return;
    this.resyncing = true;
    if (this.socket) send(this.socket, { type: "resync" });
  }

  private onMessage(message: ServerMessage): void {
    const state = this.store.getState();
    // The page replays a recording (the built-in demo, chosen on the page): live frames would undo it.
    if (state.source !== "live") return this.stop();
    switch (message.type) {
      case "snapshot":
        this.resyncing = false;
        performance.mark("netdive:snapshot");
        state.setSnapshot(message.topology);
        this.watchFlows(this.socket, message.flows === true);
        break;
      case "patch":
        if (!this.resyncing && !state.applyPatch(message)) this.resync();
        break;
      case "flows":
        state.setFlows(message);
        break;
      case "incompatible":
        state.setConnection("incompatible", message.reason);
        break;
      case "replay":
        // A server replaying a recording (--replay): the stream ends here, the recording is fetched.
        this.stop();
        // Only from this server's API: a frame is not trusted to send the page elsewhere.
        if (!message.recording.startsWith("/api/"))
          state.setConnection("incompatible", "the server named a recording outside its API");
        else void loadRecording(message.recording, "server", this.store);
        break;
    }
  }
}

/** A frame to the server, in the contract's one shape for what the page sends (the server checks it against the same). */
function send(socket: WebSocket, message: ClientMessage): void {
  socket.send(JSON.stringify(message));
}
