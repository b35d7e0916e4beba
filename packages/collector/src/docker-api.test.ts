import { describe, expect, it } from "vitest";
import { negotiateApiVersion } from "./docker-api";
import { describeDockerError } from "./errors";

describe("negotiateApiVersion", () => {
  it("speaks Docker 20.10's own version (1.41)", () => {
    expect(negotiateApiVersion("1.41", "1.12")).toBe("1.41");
  });
  it("speaks Docker 29's version, which refuses clients below 1.44", () => {
    expect(negotiateApiVersion("1.52", "1.44")).toBe("1.52");
  });
  it("caps a newer engine at the newest version netdive knows", () => {
    expect(negotiateApiVersion("1.60", "1.44")).toBe("1.52");
  });
  it("compares versions numerically, not as text (1.9 < 1.41)", () => {
    expect(() => negotiateApiVersion("1.9")).toThrow(/older than the 1.41/);
  });
  it("says to upgrade netdive when the engine's minimum is above what it speaks", () => {
    expect(() => negotiateApiVersion("1.70", "1.60")).toThrow(/upgrade netdive/);
  });
});

describe("describeDockerError", () => {
  const url = "unix:///var/run/docker.sock";
  it("says to run as root or join the docker group on permission denied", () => {
    expect(describeDockerError({ code: "EACCES" }, url)).toBe(
      "cannot reach Docker at unix:///var/run/docker.sock: permission denied — run as root or add yourself to the docker group",
    );
  });
  it("says to start the engine when the socket is missing or refuses", () => {
    expect(describeDockerError({ code: "ENOENT" }, url)).toMatch(/socket does not exist — start the Docker engine/);
    expect(describeDockerError({ code: "ECONNREFUSED" }, url)).toMatch(
      /connection refused — the Docker engine is not running/,
    );
  });
  it("passes the engine's own message on for HTTP errors", () => {
    expect(describeDockerError({ statusCode: 400, json: { message: "client version 1.41 is too old" } }, url)).toBe(
      "Docker at unix:///var/run/docker.sock answered 400: client version 1.41 is too old",
    );
  });
});
