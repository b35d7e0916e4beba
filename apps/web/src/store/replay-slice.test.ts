import {
  diff,
  parseRecording,
  PROTOCOL_VERSION,
  RECORDING_FORMAT,
  RecordingTimeline,
  type ContainerDetails,
  type Json,
  type Topology,
} from "@netdive/model";
import { describe, expect, it } from "vitest";
import { scenario } from "../graph/scenarios.test-support";
import { createNetdiveStore } from "./index";
import { recordedDetails } from "./replay-slice";

/** Three moments: a scenario, the same with its first container exited, then a second scenario's picture. */
function timeline(): { timeline: RecordingTimeline; topologies: Topology[]; details: ContainerDetails } {
  const first = { ...scenario("user-bridge"), revision: 1 };
  const c = Object.values(first.containers)[0];
  if (!c) throw new Error("no container");
  const second = structuredClone(first);
  second.revision = 2;
  (second.containers[c.id] as { state: string }).state = "exited";
  const third = { ...scenario("default-bridge"), revision: 3 };
  const topologies = [first, second, third];
  const details: ContainerDetails = {
    ...c,
    resolvConf: "nameserver 127.0.0.11\n",
    hostsFile: null,
    dnsRules: null,
    unavailable: { hostsFile: "t", dnsRules: "t" },
  };
  const lines: object[] = [
    { type: "netdive-recording", format: RECORDING_FORMAT, protocol: PROTOCOL_VERSION, t: 0 },
    { type: "snapshot", protocol: PROTOCOL_VERSION, revision: 1, topology: first, t: 0 },
    { type: "details", revision: 1, details, t: 10 },
    ...topologies.slice(1).map((t, i) => ({
      type: "patch",
      from: t.revision - 1,
      revision: t.revision,
      ops: diff(topologies[i] as unknown as Json, t as unknown as Json),
      t: 1000 * (i + 1),
    })),
  ];
  const text = lines.map((l) => JSON.stringify(l)).join("\n");
  return { timeline: new RecordingTimeline(parseRecording(text)), topologies, details };
}

describe("the replay slice", () => {
  it("a loaded recording opens paused at its first moment, and seeking shows each moment's topology", () => {
    const store = createNetdiveStore("en");
    const { timeline: t, topologies } = timeline();
    store.getState().loadTimeline(t, "demo");
    expect(store.getState()).toMatchObject({ source: "replay", at: 0, playing: false, topology: topologies[0] });
    store.getState().setPlaying(true);
    store.getState().seek(2);
    expect(store.getState().topology).toEqual(topologies[2]);
    // The end stops the player.
    expect(store.getState().playing).toBe(false);
    store.getState().seek(1);
    expect(store.getState().topology).toEqual(topologies[1]);
  });

  it("says whether a moment was reached by one step or by a jump (the canvas follows a step's change)", () => {
    const store = createNetdiveStore("en");
    const { timeline: t } = timeline();
    store.getState().loadTimeline(t, "demo");
    expect(store.getState().move).toEqual({ at: 0, jump: true });
    store.getState().seek(1);
    expect(store.getState().move).toEqual({ at: 1, jump: false });
    store.getState().seek(2);
    expect(store.getState().move).toEqual({ at: 2, jump: false });
    store.getState().seek(0);
    expect(store.getState().move).toEqual({ at: 0, jump: true });
    store.getState().seek(1);
    expect(store.getState().move).toEqual({ at: 1, jump: false });
    // Past the end stays at the end: nothing moved, but the moment is shown again.
    store.getState().seek(99);
    expect(store.getState().move).toEqual({ at: 2, jump: false });
  });

  it("what a moment's patch changed glows, as it does live", () => {
    const store = createNetdiveStore("en");
    const { timeline: t, topologies } = timeline();
    store.getState().loadTimeline(t, "server");
    store.getState().seek(1);
    const exited = Object.values(topologies[1]?.containers ?? {}).find((c) => c.state === "exited");
    expect(store.getState().changes[`containers/${exited?.id}`]?.kind).toBe("changed");
    store.getState().seek(0);
    expect(store.getState().changes).toEqual({});
  });

  it("details come from the recording at the moment shown, and a live page asks the server", () => {
    const store = createNetdiveStore("en");
    expect(recordedDetails(store.getState(), "x")).toBeUndefined();
    const { timeline: t, details } = timeline();
    store.getState().loadTimeline(t, "demo");
    expect(recordedDetails(store.getState(), details.id)?.resolvConf).toBe(details.resolvConf);
    expect(recordedDetails(store.getState(), "not-there")).toBeNull();
  });
});
