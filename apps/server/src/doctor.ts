import { execFile } from "node:child_process";
import { LAB_IMAGE } from "@netdive/model";
import { access, constants } from "node:fs/promises";
import {
  connectDocker,
  connectProbeEngine,
  createLinuxKernel,
  type EngineIdentity,
  type EngineTls,
} from "@netdive/collector";
import { ownMissingCapabilities, withCapabilities } from "./capabilities";

/**
 * `pnpm start --check` (or `pnpm diagnose`, which skips building the page): one screen that says what netdive can see on this machine
 * and what to do about each missing piece. The reads sit behind {@link DoctorProbes} so the
 * verdicts and the wording are tested without an engine.
 */

/** What the doctor reads; each answer is a fact or the sentence saying why it could not be had. */
export interface DoctorProbes {
  /** Where the engine is, as the user wrote it. */
  readonly url: string;
  engine(): Promise<{ ok: true; identity: EngineIdentity } | { ok: false; reason: string }>;
  /** Why the host's interfaces, veths and DNS hooks cannot be read, or null when they can. */
  kernel(): Promise<string | null>;
  /** `iptables --version` on this machine ("iptables v1.8.9 (nf_tables)"), or null without iptables. */
  hostIptables(): Promise<string | null>;
  /** `nft --version` on this machine ("nftables v1.0.6 (Lester Gooch #5)"), or null without nft. */
  hostNft(): Promise<string | null>;
  /** Whether the lab image is on the engine. */
  labImage(): Promise<boolean>;
  /** The browser the end-to-end tests drive. */
  chromium(): Promise<{ path: string; version: string | null }>;
}

/** One line of the report. */
export interface Finding {
  /** "engine", "kernel", ... */
  topic: string;
  /** ok; missing and needed to run (exit 1); or missing but only for some uses. */
  status: "ok" | "needed" | "optional";
  text: string;
  /** What to do, when something is missing. */
  fix?: string;
}

/** The debian/ubuntu command that installs Chromium, as docker/ensure-chromium.sh runs it. */
const INSTALL_CHROMIUM = "apt-get install chromium (Debian) or chromium-browser (Ubuntu), or run `pnpm test` as root";

export async function diagnose(probes: DoctorProbes): Promise<Finding[]> {
  const [engine, kernel, iptables, nft, chromium] = await Promise.all([
    probes.engine(),
    probes.kernel(),
    probes.hostIptables(),
    probes.hostNft(),
    probes.chromium(),
  ]);
  const findings: Finding[] = [];
  if (engine.ok) {
    const { version, apiVersion } = engine.identity;
    findings.push({
      topic: "engine",
      status: "ok",
      text: `Docker ${version} (Engine API ${apiVersion}) at ${probes.url}`,
    });
  } else {
    findings.push({
      topic: "engine",
      status: "needed",
      text: engine.reason,
      fix: "as root on Debian/Ubuntu `pnpm engine` installs and starts one; elsewhere start Docker, or point DOCKER_HOST (or --docker-host) at an engine",
    });
  }
  findings.push(
    kernel === null
      ? {
          topic: "kernel",
          status: "ok",
          text: "host interfaces, veth pairs and DNS rules are visible (root on the Docker host, ip and nsenter present)",
        }
      : {
          topic: "kernel",
          status: "optional",
          text: `not visible: ${kernel}`,
          fix: "netdive still shows what the Engine API gives; the pieces above say what would show the rest",
        },
  );
  findings.push(firewall(engine.ok ? engine.identity : null, iptables, nft));
  if (engine.ok) {
    const present = await probes.labImage().catch(() => false);
    findings.push(
      present
        ? { topic: "lab image", status: "ok", text: `${LAB_IMAGE} is on the engine (pnpm lab, the tests, probes)` }
        : {
            topic: "lab image",
            status: "optional",
            text: `${LAB_IMAGE} is not on the engine: pnpm lab, the tests and the page's probes need it`,
            fix: "build it offline: pnpm engine (or bash docker/lab-image.sh)",
          },
    );
  } else {
    findings.push({ topic: "lab image", status: "optional", text: "unknown: no engine to ask" });
  }
  findings.push(
    chromium.version
      ? { topic: "chromium", status: "ok", text: `${chromium.path}: ${chromium.version} (pnpm e2e)` }
      : {
          topic: "chromium",
          status: "optional",
          text: `${chromium.path} is not there: the browser tests (pnpm e2e) need it`,
          fix: `${INSTALL_CHROMIUM}; or set NETDIVE_CHROMIUM to another Chromium`,
        },
  );
  return findings;
}

function firewall(identity: EngineIdentity | null, iptables: string | null, nft: string | null): Finding {
  const backend = identity?.firewallBackend;
  if (backend?.split("+")[0] === "nftables") {
    return nft
      ? { topic: "firewall", status: "ok", text: `nftables (the engine says); DNS hooks read with ${nft}` }
      : {
          topic: "firewall",
          status: "optional",
          text: "the engine's firewall backend is nftables and this machine has no nft: the embedded DNS hooks show as unavailable",
          fix: "apt-get install nftables",
        };
  }
  const host = iptables ? `this machine has ${iptables}` : "this machine has no iptables";
  if (!identity) return { topic: "firewall", status: "optional", text: `unknown: no engine to ask; ${host}` };
  const source = backend ? "the engine says" : "engines before Docker 28 use only this one";
  return { topic: "firewall", status: "ok", text: `iptables (${source}); ${host}` };
}

/** The report as a person reads it, and whether everything needed to run is there. */
export function report(findings: readonly Finding[], url: string): { text: string; ok: boolean } {
  const ok = findings.every((f) => f.status !== "needed");
  const mark = { ok: "ok     ", needed: "MISSING", optional: "note   " } as const;
  const lines = ["netdive --check: what netdive can see from here", ""];
  for (const f of findings) {
    lines.push(`  ${mark[f.status]}  ${f.topic.padEnd(9)}  ${f.text}`);
    if (f.fix) lines.push(`  ${" ".repeat(7)}  ${" ".repeat(9)}  → ${f.fix}`);
  }
  lines.push("");
  lines.push(
    ok
      ? `netdive can run here against ${url}: pnpm start, then open http://localhost:3000`
      : "netdive cannot show anything here yet: do what the MISSING lines say, then check again (pnpm diagnose)",
  );
  return { text: lines.join("\n"), ok };
}

/** The browser the end-to-end tests drive (e2e/support/chromium.ts reads the same variable). */
const CHROMIUM_PATH = process.env.NETDIVE_CHROMIUM ?? "/usr/bin/chromium";

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { timeout: 10_000 }, (err, stdout) => (err ? reject(err) : resolve(String(stdout)))),
  );
}

/** The real reads, against the engine at `dockerHost` (over TLS with `tls`) and this machine. */
export function machineProbes(dockerHost: string, tls?: EngineTls): DoctorProbes {
  const connect = () => connectDocker({ host: dockerHost, timeoutMs: 5_000, ...(tls ? { tls } : {}) });
  const kernel = withCapabilities(
    createLinuxKernel({ monitor: null, engineUrl: dockerHost }),
    ownMissingCapabilities(),
  );
  return {
    url: dockerHost,
    async engine() {
      try {
        const api = await connect();
        return { ok: true, identity: await api.identify() };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },
    kernel: () => kernel.unavailableReason(dockerHost),
    hostIptables: () =>
      run("iptables", ["--version"]).then(
        (out) => out.trim(),
        () => null,
      ),
    hostNft: () =>
      run("nft", ["--version"]).then(
        (out) => out.trim(),
        () => null,
      ),
    labImage: () =>
      connectProbeEngine({ host: dockerHost, client: async () => (await connect()).client! }).hasImage(LAB_IMAGE),
    async chromium() {
      try {
        await access(CHROMIUM_PATH, constants.X_OK);
        const out = await run(CHROMIUM_PATH, ["--version"]);
        return { path: CHROMIUM_PATH, version: out.trim().split("\n").at(-1) ?? "present" };
      } catch {
        return { path: CHROMIUM_PATH, version: null };
      }
    },
  };
}
