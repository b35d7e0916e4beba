import type { EngineCollector } from "@netdive/collector";
import { describe, expect, it } from "vitest";
import { EnginePlatforms, isDockerDesktop, ownContainerId } from "./runtime";

const ID = "58e68668c8367ee1dc8c21f66cb5b022c4549292fc086e14609c4045460f2170";

/** A collector whose engine answers `/info` with `os` (or fails), counting the questions. */
function engine(engineId: string, os: string | Error) {
  const asked = { count: 0 };
  const collector = {
    engineId,
    client: async () => ({
      info: async () => {
        asked.count++;
        if (os instanceof Error) throw os;
        return { OperatingSystem: os };
      },
    }),
  } as unknown as EngineCollector;
  return { collector, asked };
}

describe("where netdive runs", () => {
  it("finds its container id in the files the engine bind-mounts (Docker 20.10's mountinfo)", () => {
    const mountinfo = [
      "731 700 0:52 / / rw,relatime master:300 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X",
      `763 731 254:0 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw`,
      `764 731 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
    ].join("\n");
    expect(ownContainerId(mountinfo)).toBe(ID);
  });

  it("on a host there is no container id", () => {
    expect(ownContainerId("22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n")).toBeNull();
  });

  it("Docker Desktop is told by /info OperatingSystem, other engines are not Desktop", () => {
    expect(isDockerDesktop("Docker Desktop")).toBe(true);
    expect(isDockerDesktop("Debian GNU/Linux 12 (bookworm)")).toBe(false);
    expect(isDockerDesktop(null)).toBe(false);
  });

  it("asks each engine once, and again after a failure", async () => {
    const desktop = engine("desk", "Docker Desktop");
    const failing = engine("away", new Error("connect ENOENT"));
    const platforms = new EnginePlatforms([desktop.collector, failing.collector]);
    expect(await platforms.operatingSystem("desk")).toBe("Docker Desktop");
    expect(await platforms.operatingSystem("desk")).toBe("Docker Desktop");
    expect(desktop.asked.count).toBe(1);
    expect(await platforms.operatingSystem("away")).toBeNull();
    expect(await platforms.operatingSystem("away")).toBeNull();
    expect(failing.asked.count).toBe(2);
    expect(await platforms.operatingSystem("unknown")).toBeNull();
  });
});
