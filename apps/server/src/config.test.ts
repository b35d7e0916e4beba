import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("listens on 127.0.0.1:3000 and reads the default socket unless told otherwise", () => {
    expect(parseConfig([], {})).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      dockerHost: "unix:///var/run/docker.sock",
    });
  });
  it("takes flags over NETDIVE_* variables over defaults", () => {
    expect(parseConfig(["--port", "4000"], { NETDIVE_PORT: "5000", NETDIVE_HOST: "::1" })).toMatchObject({
      port: 4000,
      host: "::1",
    });
    expect(parseConfig([], { NETDIVE_PORT: "5000", DOCKER_HOST: "tcp://127.0.0.1:2375" })).toMatchObject({
      port: 5000,
      dockerHost: "tcp://127.0.0.1:2375",
    });
  });
  it("refuses bad ports, unknown flags and odd docker hosts with a sentence", () => {
    expect(() => parseConfig(["--port", "70000"], {})).toThrow(
      new ConfigError('--port must be a port number from 1 to 65535, not "70000"'),
    );
    expect(() => parseConfig(["--prot", "1"], {})).toThrow(ConfigError);
    expect(() => parseConfig(["--docker-host", "/var/run/docker.sock"], {})).toThrow(/must look like unix:\/\//);
  });
});
