import { PROTOCOL_VERSION, type Topology } from "@netdive/model";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { scenario } from "../graph/scenarios.test-support";
import { createNetdiveStore } from "../store/index";
import { StreamClient } from "./stream-client";

/** A WebSocket the test drives: it records what the client sends and delivers what the test says. */
class FakeSocket {
  static all: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.onclose?.();
  }
  open() {
    this.onopen?.();
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
  }
}

const latest = () => FakeSocket.all.at(-1) as FakeSocket;

function connected() {
  const store = createNetdiveStore("en");
  const client = new StreamClient("ws://netdive/api/stream", store);
  client.start();
  latest().open();
  return { store, client, socket: latest() };
}

const snapshot = (topology: Topology) => ({ type: "snapshot", protocol: 1, revision: topology.revision, topology });

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the stream client", () => {
  it("says hello with its protocol, and a snapshot makes the picture live", () => {
    const { store, socket } = connected();
    expect(socket.sent).toEqual([{ type: "hello", protocol: PROTOCOL_VERSION }]);
    const topology = scenario("user-bridge");
    socket.deliver(snapshot(topology));
    expect(store.getState()).toMatchObject({ connection: "live", topology });
  });

  it.each([
    ["a frame that is not JSON", "{not json"],
    ["a message of an unknown type", { type: "explode" }],
    ["a snapshot whose topology lacks its containers", { type: "snapshot", protocol: 1, revision: 1, topology: {} }],
    ["a patch with a revision in words", { type: "patch", from: 1, revision: "two", ops: [] }],
    [
      "a patch with an operation RFC 6902 netdive does not send",
      { type: "patch", from: 1, revision: 2, ops: [{ op: "move", path: "/a", from: "/b" }] },
    ],
  ])("%s: no crash, the picture stays, and one resync is asked", (_what, frame) => {
    const { store, socket } = connected();
    const topology = scenario("user-bridge");
    socket.deliver(snapshot(topology));
    socket.sent = [];
    expect(() => socket.deliver(frame)).not.toThrow();
    expect(() => socket.deliver(frame)).not.toThrow();
    expect(store.getState().topology).toEqual(topology);
    expect(store.getState()).toMatchObject({ connection: "live", problem: expect.stringMatching(/did not fit/) });
    expect(socket.sent).toEqual([{ type: "resync" }]);
    socket.deliver(snapshot(topology));
    expect(store.getState().problem).toBeNull();
  });

  it("a revision gap asks for a snapshot once; patches until it comes are ignored; the snapshot ends the wait", () => {
    const { store, socket } = connected();
    const topology = scenario("user-bridge");
    socket.deliver(snapshot(topology));
    socket.sent = [];
    const ahead = { type: "patch", from: topology.revision + 5, revision: topology.revision + 6, ops: [] };
    socket.deliver(ahead);
    socket.deliver(ahead);
    expect(socket.sent).toEqual([{ type: "resync" }]);
    const next = { ...topology, revision: topology.revision + 6 };
    socket.deliver(snapshot(next));
    expect(store.getState().topology).toEqual(next);
    socket.deliver(ahead);
    expect(socket.sent).toEqual([{ type: "resync" }, { type: "resync" }]);
  });

  it("an incompatible server is said once and not retried", () => {
    vi.useFakeTimers();
    const { store, socket } = connected();
    socket.deliver({ type: "incompatible", protocol: 2, reason: "this server speaks stream protocol 2" });
    socket.close();
    vi.advanceTimersByTime(10_000);
    expect(store.getState()).toMatchObject({
      connection: "incompatible",
      problem: "this server speaks stream protocol 2",
    });
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("a dropped connection is retried, and the new snapshot replaces the picture", () => {
    vi.useFakeTimers();
    const { store, socket } = connected();
    socket.deliver(snapshot(scenario("user-bridge")));
    socket.close();
    expect(store.getState().connection).toBe("reconnecting");
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    latest().open();
    const other = scenario("none");
    latest().deliver(snapshot(other));
    expect(store.getState()).toMatchObject({ connection: "live", topology: other });
  });

  it("stop closes the socket and does not reconnect", () => {
    vi.useFakeTimers();
    const { client } = connected();
    client.stop();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe("the stream client beside a replay", () => {
  it("once the page replays a recording, a live snapshot no longer replaces the picture, and the stream stops", () => {
    const { store, socket } = connected();
    socket.deliver(snapshot(scenario("user-bridge")));
    const replayed = { ...scenario("default-bridge"), revision: 7 };
    // What loadTimeline leaves: a replayed picture that the live stream must not overwrite.
    store.setState({ source: "replay", topology: replayed });
    socket.deliver(snapshot({ ...scenario("user-bridge"), revision: 8 }));
    expect(store.getState().topology).toBe(replayed);
    const sockets = FakeSocket.all.length;
    socket.close();
    vi.useFakeTimers();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all.length, "no reconnect").toBe(sockets);
  });

  it("a server that replays says so, and the page loads the recording it names instead of reconnecting", async () => {
    const fetched: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      fetched.push(url);
      return new Response("not a recording", { status: 200 });
    });
    const { store, socket } = connected();
    socket.deliver({ type: "replay", protocol: 1, recording: "/api/recording" });
    await vi.waitFor(() => expect(store.getState().connection).toBe("incompatible"));
    expect(fetched).toEqual(["/api/recording"]);
    expect(store.getState().problem).toMatch(/not a netdive recording/);
  });
});
