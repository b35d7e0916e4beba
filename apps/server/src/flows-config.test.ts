import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("--flows", () => {
  it("is off by default and on with the flag or NETDIVE_FLOWS, with a 10 s window", () => {
    expect(parseConfig([], {})).toMatchObject({ flows: null });
    expect(parseConfig(["--flows"], {})).toMatchObject({ flows: { addresses: false, windowSeconds: 10 } });
    expect(parseConfig([], { NETDIVE_FLOWS: "1" })).toMatchObject({ flows: { addresses: false } });
    expect(parseConfig([], { NETDIVE_FLOWS: "0" })).toMatchObject({ flows: null });
  });
  it("names remote addresses only when asked with --flows=addresses", () => {
    expect(parseConfig(["--flows=addresses"], {})).toMatchObject({ flows: { addresses: true } });
    expect(parseConfig([], { NETDIVE_FLOWS: "addresses" })).toMatchObject({ flows: { addresses: true } });
  });
  it("takes a window from 2 to 120 seconds, and refuses one without --flows", () => {
    expect(parseConfig(["--flows", "--flows-window", "30"], {})).toMatchObject({ flows: { windowSeconds: 30 } });
    expect(() => parseConfig(["--flows", "--flows-window", "600"], {})).toThrow(/from 2 to 120/);
    expect(() => parseConfig(["--flows-window", "5"], {})).toThrow(new ConfigError("--flows-window needs --flows"));
    expect(() => parseConfig([], { NETDIVE_FLOWS: "yes" })).toThrow(/NETDIVE_FLOWS must be 1, addresses or 0/);
    expect(parseConfig(["--flows"], { NETDIVE_FLOWS_SOCKETS: "always" })).toMatchObject({
      flows: { sockets: "always" },
    });
    expect(parseConfig(["--flows"], {})).toMatchObject({ flows: { sockets: "auto" } });
    expect(() => parseConfig(["--flows"], { NETDIVE_FLOWS_SOCKETS: "yes" })).toThrow(/auto or always/);
    expect(() => parseConfig(["--flows", "--replay", "x.ndjson"], {})).toThrow(/no kernel to read flows/);
  });
});
