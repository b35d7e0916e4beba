import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import type { EngineInventory } from "./inventory";
import { diff, type Json } from "./json-patch";
import { parseRecording, RecordingError, RecordingTimeline } from "./recording";
import { PROTOCOL_VERSION, type ContainerDetails, type Topology } from "./topology";
import { RECORDING_FORMAT } from "./wire/recording";

const FIXTURES = new URL("../test/fixtures/", import.meta.url);
const built = (file: string, revision: number): Topology => {
  const t = buildTopology([JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as EngineInventory]);
  return { ...t, revision };
};
const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));

/** A recording of the fixtures one after another, the way the server writes one. */
function recordingOf(topologies: Topology[], details: Array<{ after: number; details: ContainerDetails }> = []) {
  const header = { type: "netdive-recording", format: RECORDING_FORMAT, protocol: PROTOCOL_VERSION, t: 1000 };
  const lines: object[] = [header];
  topologies.forEach((topology, i) => {
    if (i === 0) lines.push({ type: "snapshot", protocol: PROTOCOL_VERSION, revision: 0, topology, t: 1000 });
    else {
      const prev = topologies[i - 1] as Topology;
      const ops = diff(prev as unknown as Json, topology as unknown as Json);
      lines.push({ type: "patch", from: prev.revision, revision: topology.revision, ops, t: 1000 + i * 100 });
    }
    for (const d of details.filter((x) => x.after === i))
      lines.push({ type: "details", t: 1000 + i * 100 + 50, revision: topology.revision, details: d.details });
  });
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

const topologies = files.slice(0, 4).map((f, i) => built(f, i));

function detailsOf(t: Topology, resolvConf: string): ContainerDetails {
  const c = Object.values(t.containers)[0];
  if (!c) throw new Error("a fixture with no container");
  return { ...c, resolvConf, hostsFile: null, dnsRules: null, unavailable: { hostsFile: "test", dnsRules: "test" } };
}

describe("recordings", () => {
  it("stepping through the moments gives back every topology that was recorded", () => {
    const timeline = new RecordingTimeline(parseRecording(recordingOf(topologies)));
    expect(timeline.moments.map((m) => m.topology)).toEqual(topologies);
    expect(timeline.brokenAt).toBeNull();
  });

  it("a file cut in the middle of a line replays up to its last whole line, and says so", () => {
    const text = recordingOf(topologies);
    const cut = text.slice(0, text.lastIndexOf("\n", text.length - 2) + 40);
    const recording = parseRecording(cut, "cut.ndjson");
    expect(recording.stoppedEarly).toMatch(/^cut\.ndjson ends in the middle of line 5/);
    expect(new RecordingTimeline(recording).moments.map((m) => m.topology)).toEqual(topologies.slice(0, 3));
  });

  it("a newer format is refused with a sentence that says so", () => {
    const text = recordingOf(topologies).replace(`"format":${RECORDING_FORMAT}`, `"format":${RECORDING_FORMAT + 1}`);
    expect(() => parseRecording(text, "new.ndjson")).toThrow(
      new RecordingError(
        `new.ndjson is recording format ${RECORDING_FORMAT + 1}, written by a newer netdive; this netdive reads format ${RECORDING_FORMAT} — update netdive to replay it`,
      ),
    );
  });

  it("a file that is not a recording is refused, not replayed as empty", () => {
    expect(() => parseRecording('{"revision":1}\n')).toThrow(/not a netdive recording/);
    expect(() => parseRecording("<!doctype html>")).toThrow(/not a netdive recording/);
    expect(() => parseRecording("")).toThrow(/is empty/);
  });

  it("details stand at the moment they were read until a later read of the same container", () => {
    const first = topologies[0] as Topology;
    const one = detailsOf(first, "nameserver 1.1.1.1\n");
    const two = detailsOf(first, "nameserver 2.2.2.2\n");
    const timeline = new RecordingTimeline(
      parseRecording(
        recordingOf(topologies, [
          { after: 1, details: one },
          { after: 3, details: two },
        ]),
      ),
    );
    // Read after moment 1: moment 0 shows that first read (it is all there is).
    expect(timeline.detailsAt(0, one.id)?.resolvConf).toBe(one.resolvConf);
    expect(timeline.detailsAt(2, one.id)?.resolvConf).toBe(one.resolvConf);
    expect(timeline.detailsAt(3, one.id)?.resolvConf).toBe(two.resolvConf);
    expect(timeline.detailsAt(3, "nope")).toBeNull();
  });
});
