import type { EngineInventory } from "@netdive/model";
import type { WatchLog } from "./engine-log";
import { describe, expect, it } from "vitest";
import { EngineLog } from "./engine-log";

const URL = "unix:///var/run/docker.sock";
const UP: EngineInventory = {
  engine: { id: "local", url: URL, reachable: true, version: "20.10.24", apiVersion: "1.41" },
  networks: [],
  containers: [],
  host: { ok: true, links: [], defaultRoutes: [] },
  netns: {},
};
const down = (error: string): EngineInventory => ({
  ...UP,
  engine: { id: "local", url: URL, reachable: false, error },
  host: { ok: false, reason: "The Docker engine is not reachable." },
});

function logged() {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      level !== "debug" && lines.push(`${level}: ${String(args.find((a) => typeof a === "string"))}`);
  const log = { debug: at("debug"), info: at("info"), warn: at("warn") } as unknown as WatchLog;
  let clock = 0;
  const engineLog = new EngineLog({ log, now: () => clock });
  return { lines, engineLog, advance: (ms: number) => (clock += ms) };
}

describe("EngineLog", () => {
  it("tells the engine it first reads, once", () => {
    const { lines, engineLog } = logged();
    engineLog.seen(UP);
    engineLog.seen(UP);
    expect(lines).toEqual([`info: engine: Docker 20.10.24 (Engine API 1.41) at ${URL}`]);
  });

  it("warns once when the engine is lost, reminds at most once a minute, and says once when it is back", () => {
    const { lines, engineLog, advance } = logged();
    engineLog.seen(UP);
    // A retry every 5 s for 3.5 minutes.
    for (let t = 0; t < 210_000; t += 5000) {
      engineLog.seen(down("cannot reach Docker: connection refused"));
      advance(5000);
    }
    engineLog.seen(UP);
    expect(lines).toEqual([
      `info: engine: Docker 20.10.24 (Engine API 1.41) at ${URL}`,
      "warn: cannot reach Docker: connection refused",
      "warn: cannot reach Docker: connection refused (for 60 s now; netdive keeps retrying)",
      "warn: cannot reach Docker: connection refused (for 2 min now; netdive keeps retrying)",
      "warn: cannot reach Docker: connection refused (for 3 min now; netdive keeps retrying)",
      `info: engine back after 4 min: Docker 20.10.24 (Engine API 1.41) at ${URL}`,
    ]);
  });

  it("says once that kernel facts are not visible, and why", () => {
    const { lines, engineLog } = logged();
    const noKernel = { ...UP, host: { ok: false as const, reason: "netdive is not running as root." } };
    engineLog.seen(noKernel);
    engineLog.seen(down("gone"));
    engineLog.seen(noKernel);
    expect(lines.filter((l) => l.includes("not visible"))).toEqual([
      "warn: host interfaces, veths and DNS rules are not visible from here: netdive is not running as root.",
    ]);
  });
});
