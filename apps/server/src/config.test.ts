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

describe("parseConfig safe defaults", () => {
  it("refuses to listen beyond loopback without a token, and says how to make one", () => {
    expect(() => parseConfig(["--host", "0.0.0.0"], {})).toThrow(
      /refusing to listen on 0.0.0.0 without a token.*openssl rand -hex 16/,
    );
    expect(() => parseConfig([], { NETDIVE_HOST: "192.168.1.5" })).toThrow(/without a token/);
    expect(parseConfig(["--host", "0.0.0.0", "--token", "0123456789abcdef"], {})).toMatchObject({
      token: "0123456789abcdef",
    });
    expect(parseConfig(["--host", "::1"], {})).toMatchObject({ host: "::1", token: null });
  });
  it("refuses tokens too short to resist guessing", () => {
    expect(() => parseConfig(["--token", "abc"], {})).toThrow(/at least 16 characters/);
  });
  it("keeps actions off unless --allow-actions is given", () => {
    expect(parseConfig([], {}).valueOf()).toMatchObject({ allowActions: false });
    expect(parseConfig(["--allow-actions"], {})).toMatchObject({ allowActions: true });
  });
  it("logs short human lines on a terminal and JSON into a pipe, unless told", () => {
    expect(parseConfig([], {}, true)).toMatchObject({ logFormat: "human" });
    expect(parseConfig([], {}, false)).toMatchObject({ logFormat: "json" });
    expect(parseConfig(["--log-format", "json"], {}, true)).toMatchObject({ logFormat: "json" });
    expect(parseConfig([], { NETDIVE_LOG_FORMAT: "human" }, false)).toMatchObject({ logFormat: "human" });
    expect(() => parseConfig(["--log-format", "pretty"], {})).toThrow(/--log-format must be human or json/);
  });
  it("takes --check with the engine to check", () => {
    expect(parseConfig(["--check", "--docker-host", "tcp://10.0.0.5:2375"], {})).toMatchObject({
      check: true,
      dockerHost: "tcp://10.0.0.5:2375",
    });
  });
  it("--kernel-helper is off unless asked (flag or NETDIVE_KERNEL_HELPER=1), with netdive:latest as its image", () => {
    expect(parseConfig([], {})).toMatchObject({ kernelHelper: false, kernelHelperImage: "netdive:latest" });
    expect(parseConfig(["--kernel-helper"], {})).toMatchObject({ kernelHelper: true });
    expect(parseConfig([], { NETDIVE_KERNEL_HELPER: "1" })).toMatchObject({ kernelHelper: true });
    expect(parseConfig([], { NETDIVE_KERNEL_HELPER: "0" })).toMatchObject({ kernelHelper: false });
    expect(
      parseConfig(["--kernel-helper", "--kernel-helper-image", "registry.local/netdive:0.1"], {
        NETDIVE_KERNEL_HELPER_IMAGE: "other",
      }),
    ).toMatchObject({ kernelHelper: true, kernelHelperImage: "registry.local/netdive:0.1" });
    expect(parseConfig(["--kernel-helper"], { NETDIVE_KERNEL_HELPER_IMAGE: "other:1" })).toMatchObject({
      kernelHelperImage: "other:1",
    });
  });
  it("refuses --kernel-helper-image without --kernel-helper, saying so", () => {
    expect(() => parseConfig(["--kernel-helper-image", "x"], {})).toThrow(
      new ConfigError("--kernel-helper-image names the helper's image: it needs --kernel-helper"),
    );
  });
});
