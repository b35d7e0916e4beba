import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";
import { refuseSameEngine } from "./same-engine";
import { slugOf } from "./engine-targets";

const home = mkdtempSync(join(tmpdir(), "netdive-contexts-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Writes a context as `docker context create` does: meta.json under the sha256 of its name, TLS files beside. */
function context(name: string, endpoint: Record<string, unknown>, tls: Record<string, string> = {}): void {
  const digest = createHash("sha256").update(name).digest("hex");
  const meta = join(home, ".docker", "contexts", "meta", digest);
  mkdirSync(meta, { recursive: true });
  writeFileSync(join(meta, "meta.json"), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: endpoint } }));
  if (Object.keys(tls).length === 0) return;
  const dir = join(home, ".docker", "contexts", "tls", digest, "docker");
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(tls)) writeFileSync(join(dir, file), text);
}

context(
  "staging",
  { Host: "tcp://10.1.2.3:2376", SkipTLSVerify: false },
  {
    "ca.pem": "CA",
    "cert.pem": "CERT",
    "key.pem": "KEY",
  },
);
context("lab", { Host: "tcp://lab.example:2376", SkipTLSVerify: true }, {});
context("rootless", { Host: "unix:///run/user/1000/docker.sock", SkipTLSVerify: false });

const env = { HOME: home };
const engines = (argv: string[], more: NodeJS.ProcessEnv = {}) => {
  const config = parseConfig(argv, { ...env, ...more });
  if (config === "help") throw new Error("help");
  return config.engines.map(({ id, url, tls, from }) => ({ id, url, from, ...(tls ? { tls } : {}) }));
};

describe("engines from flags", () => {
  it("keeps one engine named local by default, at DOCKER_HOST or the default socket", () => {
    expect(engines([])).toEqual([{ id: "local", url: "unix:///var/run/docker.sock", from: "the default socket" }]);
    expect(engines([], { DOCKER_HOST: "unix:///tmp/d.sock" })).toEqual([
      { id: "local", url: "unix:///tmp/d.sock", from: "DOCKER_HOST" },
    ]);
  });

  it("reads --docker-host again for each engine, in order, named by NAME= or a slug of the host", () => {
    const list = engines([
      "--docker-host",
      "unix:///var/run/docker.sock",
      "--docker-host",
      "unix:///tmp/issue-15-engines-eng/docker.sock",
      "--docker-host",
      "edge=tcp://192.168.1.20:2375",
      "--docker-host",
      "ssh://me@build.example",
    ]);
    expect(list.map((e) => [e.id, e.url])).toEqual([
      ["local", "unix:///var/run/docker.sock"],
      ["issue-15-engines-eng", "unix:///tmp/issue-15-engines-eng/docker.sock"],
      ["edge", "tcp://192.168.1.20:2375"],
      ["build.example", "ssh://me@build.example"],
    ]);
  });

  it("makes slugs unique and says which two flags name the same url", () => {
    const list = engines([
      "--docker-host",
      "unix:///a/x/docker.sock",
      "--docker-host",
      "unix:///b/x/docker.sock",
      "--docker-host",
      "unix:///c/x/docker.sock",
    ]);
    expect(list.map((e) => e.id)).toEqual(["local", "x", "x-2"]);
    expect(() => engines(["--docker-host", "tcp://h:1", "--docker-host", "tcp://h:1"])).toThrow(
      new ConfigError(
        "--docker-host tcp://h:1 and --docker-host tcp://h:1 are the same engine (tcp://h:1) — give it once",
      ),
    );
    expect(() => engines(["--docker-host", "a=tcp://h:1", "--docker-host", "a=tcp://h:2"])).toThrow(
      /two engines are named "a"/,
    );
  });

  it("reads a context's endpoint and TLS material, named by the context", () => {
    expect(engines(["--docker-host", "unix:///var/run/docker.sock", "--context", "staging"])).toEqual([
      { id: "local", url: "unix:///var/run/docker.sock", from: "--docker-host unix:///var/run/docker.sock" },
      {
        id: "staging",
        url: "tcp://10.1.2.3:2376",
        from: "--context staging",
        tls: { verify: true, ca: "CA", cert: "CERT", key: "KEY" },
      },
    ]);
    expect(engines(["--context", "lab"])).toEqual([
      { id: "lab", url: "tcp://lab.example:2376", from: "--context lab", tls: { verify: false } },
    ]);
    expect(engines(["--context", "rootless"])[0]).toEqual({
      id: "rootless",
      url: "unix:///run/user/1000/docker.sock",
      from: "--context rootless",
    });
    expect(engines(["--context", "default"])[0]).toMatchObject({ id: "local", url: "unix:///var/run/docker.sock" });
  });

  it("uses the current context when nothing else is given, as the docker CLI does (DOCKER_HOST first)", () => {
    expect(engines([], { DOCKER_CONTEXT: "rootless" })[0]).toMatchObject({
      id: "local",
      url: "unix:///run/user/1000/docker.sock",
    });
    mkdirSync(join(home, "cfg"), { recursive: true });
    writeFileSync(join(home, "cfg", "config.json"), JSON.stringify({ currentContext: "staging" }));
    const cfg = { DOCKER_CONFIG: join(home, "cfg") };
    expect(() => engines([], cfg)).toThrow(/no Docker context "staging"/);
    writeFileSync(join(home, "cfg", "config.json"), JSON.stringify({ currentContext: "default" }));
    expect(engines([], cfg)[0]?.url).toBe("unix:///var/run/docker.sock");
    expect(engines([], { DOCKER_CONTEXT: "rootless", DOCKER_HOST: "tcp://h:2375" })[0]?.url).toBe("tcp://h:2375");
  });

  it("speaks TLS to tcp engines with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH", () => {
    const certs = join(home, "certs");
    mkdirSync(certs, { recursive: true });
    for (const f of ["ca", "cert", "key"]) writeFileSync(join(certs, `${f}.pem`), f.toUpperCase());
    const tlsEnv = { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs };
    expect(engines(["--docker-host", "tcp://127.0.0.1:2376"], tlsEnv)[0]?.tls).toEqual({
      verify: true,
      ca: "CA",
      cert: "CERT",
      key: "KEY",
    });
    // A socket never speaks TLS.
    expect(engines([], tlsEnv)[0]?.tls).toBeUndefined();
    expect(() =>
      engines(["--docker-host", "tcp://h:2376"], { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: home }),
    ).toThrow(/DOCKER_TLS_VERIFY is set but there is no .*ca\.pem — set DOCKER_CERT_PATH/);
  });

  it("refuses a missing context, a bad name and a bad url with what to do", () => {
    expect(() => engines(["--context", "nope"])).toThrow(/there is no Docker context "nope" .* `docker context ls`/);
    expect(() => engines(["--docker-host", "Bad Name=tcp://h:1"])).toThrow(/cannot name an engine/);
    expect(() => engines(["--docker-host", "http://h"])).toThrow(
      /must look like unix:\/\/\/var\/run\/docker.sock, tcp:\/\/host:2376 or ssh:\/\/user@host/,
    );
    expect(() => parseConfig(["--context", "staging"], {})).toThrow(/neither HOME nor DOCKER_CONFIG is set/);
  });

  it("slugs a socket by its directory and a host by its name and port", () => {
    expect(slugOf("unix:///tmp/eng/docker.sock")).toBe("eng");
    expect(slugOf("unix:///run/podman.sock")).toBe("podman");
    expect(slugOf("tcp://Build.Example:2376")).toBe("build.example-2376");
  });
});

describe("the same engine given twice", () => {
  const a = { id: "local", url: "unix:///var/run/docker.sock", from: "--docker-host unix:///var/run/docker.sock" };
  const b = { id: "tls", url: "tcp://127.0.0.1:2376", from: "--context tls" };
  it("is refused by its /info ID with both flags named", async () => {
    await expect(refuseSameEngine([a, b], async () => "ABCD:1234 in /var/lib/docker")).rejects.toThrow(
      new ConfigError(
        "--context tls and --docker-host unix:///var/run/docker.sock reach the same Docker engine (ABCD:1234 in /var/lib/docker) — give it once, or its containers would be drawn twice",
      ),
    );
  });
  it("passes two engines, or one that does not answer yet", async () => {
    await expect(refuseSameEngine([a, b], async (t) => t.id)).resolves.toBeUndefined();
    await expect(refuseSameEngine([a, b], async (t) => (t.id === "tls" ? null : "X"))).resolves.toBeUndefined();
  });
});
