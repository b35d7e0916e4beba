import { Value } from "@sinclair/typebox/value";
import {
  type FlowsAnswer,
  CLOSE_INCOMPATIBLE,
  CLOSE_TOO_SLOW,
  ClientMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "@netdive/model";
import type { FastifyBaseLogger } from "fastify";
import type { RawData, WebSocket } from "ws";
import type { TopologyChange, TopologyService } from "./topology-service";

export interface HubOptions {
  log: FastifyBaseLogger;
  /** Most stream clients at once; one more is closed with 1013 (try again later). */
  maxClients?: number;
  /** Bytes queued for one client past which its patches are dropped until it drains. */
  highWaterBytes?: number;
  /** How long a client may stay behind before it is closed. */
  maxLagMs?: number;
  /** Ping interval; a client that has not answered the previous ping is dropped. */
  pingMs?: number;
  /** Most messages a client may send per second. */
  maxMessagesPerSecond?: number;
}

interface Client {
  socket: WebSocket;
  /** Behind: patches are not queued for it; a snapshot goes out once it has drained. */
  laggingSince: number | null;
  alive: boolean;
  windowStart: number;
  messagesInWindow: number;
  /** Set while the client watches flows (`watch-flows`): stops its watch. */
  unwatchFlows?: () => void;
}

/** Where flows come from (`--flows`): a listener is called with each read while it watches. */
export interface FlowFeed {
  watch(listener: (answer: FlowsAnswer) => void): () => void;
}

/**
 * Fans the topology out to WebSocket clients: a snapshot first, then each change diffed once
 * and sent as the same string to everyone. A slow client never holds the others back or grows
 * memory without bound: past the high-water mark its patches are dropped and it gets a fresh
 * snapshot when it drains, or it is closed when it stays behind.
 */
export class TopologyHub {
  private readonly clients = new Set<Client>();
  private readonly timer: NodeJS.Timeout;
  private readonly pinger: NodeJS.Timeout;
  private snapshotCache: { revision: number; text: string } | null = null;
  private readonly opts: Required<HubOptions>;
  private flows: FlowFeed | null = null;

  constructor(
    private readonly service: TopologyService,
    options: HubOptions,
  ) {
    this.opts = {
      maxClients: 100,
      highWaterBytes: 1024 * 1024,
      maxLagMs: 30_000,
      pingMs: 15_000,
      maxMessagesPerSecond: 20,
      ...options,
    };
    service.on("change", this.onChange);
    this.timer = setInterval(() => this.checkLagging(), 100);
    this.pinger = setInterval(() => this.ping(), this.opts.pingMs);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.timer);
    clearInterval(this.pinger);
    this.service.off("change", this.onChange);
    for (const client of this.clients) {
      client.unwatchFlows?.();
      client.socket.close(1001, "server shutting down");
    }
    this.clients.clear();
  }

  /** With `--flows`: clients that send `watch-flows` get a `flows` message after each read. */
  offerFlows(feed: FlowFeed): void {
    this.flows = feed;
    this.snapshotCache = null;
  }

  join(socket: WebSocket): void {
    if (this.clients.size >= this.opts.maxClients) {
      socket.close(1013, "too many stream clients; try again later");
      return;
    }
    const client: Client = { socket, laggingSince: null, alive: true, windowStart: Date.now(), messagesInWindow: 0 };
    this.clients.add(client);
    socket.on("message", (data, isBinary) => this.onMessage(client, data, isBinary));
    socket.on("pong", () => {
      client.alive = true;
    });
    socket.on("close", () => this.leave(client));
    socket.on("error", (err) => {
      this.opts.log.debug({ err }, "stream client error");
      this.leave(client);
    });
    socket.send(this.snapshot());
  }

  private leave(client: Client): void {
    client.unwatchFlows?.();
    this.clients.delete(client);
  }

  /** Flows go only to clients that asked: an older page never sees a message it does not know. */
  private watchFlows(client: Client, watch: boolean): void {
    client.unwatchFlows?.();
    delete client.unwatchFlows;
    if (!watch || !this.flows) return;
    client.unwatchFlows = this.flows.watch((answer) => {
      // A client behind gets no flows until it drains: the next read replaces this one anyway.
      if (client.laggingSince !== null || client.socket.readyState !== client.socket.OPEN) return;
      if (client.socket.bufferedAmount > this.opts.highWaterBytes) return;
      const message: ServerMessage = { type: "flows", ...answer };
      client.socket.send(JSON.stringify(message));
    });
  }

  private snapshot(): string {
    const topology = this.service.current();
    if (this.snapshotCache?.revision !== topology.revision) {
      const message: ServerMessage = {
        type: "snapshot",
        protocol: PROTOCOL_VERSION,
        revision: topology.revision,
        topology,
        // Says that flows may be asked for, so a page never probes a server that has none.
        ...(this.flows ? { flows: true } : {}),
      };
      this.snapshotCache = { revision: topology.revision, text: JSON.stringify(message) };
    }
    return this.snapshotCache.text;
  }

  private readonly onChange = (change: TopologyChange): void => {
    const message: ServerMessage = {
      type: "patch",
      from: change.from,
      revision: change.revision,
      ops: change.ops,
      touched: change.touched,
    };
    this.broadcast(JSON.stringify(message));
  };

  private broadcast(text: string): void {
    for (const client of this.clients) {
      if (client.laggingSince !== null || client.socket.readyState !== client.socket.OPEN) continue;
      if (client.socket.bufferedAmount > this.opts.highWaterBytes) {
        client.laggingSince = Date.now();
        continue;
      }
      client.socket.send(text);
    }
  }

  /** Lagging clients get a snapshot once drained, or are closed when they stay behind too long. */
  private checkLagging(): void {
    const now = Date.now();
    for (const client of this.clients) {
      if (client.laggingSince === null) continue;
      if (client.socket.bufferedAmount < this.opts.highWaterBytes / 4) {
        client.laggingSince = null;
        client.socket.send(this.snapshot());
      } else if (now - client.laggingSince > this.opts.maxLagMs) {
        this.opts.log.info("closing a stream client that stayed behind");
        client.socket.close(CLOSE_TOO_SLOW, "too slow: reconnect to get a snapshot");
        client.socket.terminate();
        this.leave(client);
      }
    }
  }

  private ping(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.leave(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  private onMessage(client: Client, data: RawData, isBinary: boolean): void {
    const now = Date.now();
    if (now - client.windowStart > 1000) {
      client.windowStart = now;
      client.messagesInWindow = 0;
    }
    if (++client.messagesInWindow > this.opts.maxMessagesPerSecond) {
      client.socket.close(1008, "too many messages");
      return;
    }
    if (isBinary) {
      client.socket.close(1003, "binary frames are not accepted");
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      client.socket.close(1007, "messages must be JSON");
      return;
    }
    if (!Value.Check(ClientMessage, parsed)) {
      client.socket.close(
        1008,
        `unknown message: send {"type":"resync"}, {"type":"hello","protocol":${PROTOCOL_VERSION}} or {"type":"watch-flows","watch":true}`,
      );
      return;
    }
    const message = parsed;
    if (message.type === "hello" && message.protocol !== PROTOCOL_VERSION) {
      const reply: ServerMessage = {
        type: "incompatible",
        protocol: PROTOCOL_VERSION,
        reason: `this server speaks stream protocol ${PROTOCOL_VERSION}, not ${message.protocol}: reload the page`,
      };
      client.socket.send(JSON.stringify(reply));
      client.socket.close(CLOSE_INCOMPATIBLE, "incompatible protocol");
      return;
    }
    if (message.type === "watch-flows") return this.watchFlows(client, message.watch);
    if (message.type === "resync") {
      client.laggingSince = null;
      client.socket.send(this.snapshot());
    }
  }
}
