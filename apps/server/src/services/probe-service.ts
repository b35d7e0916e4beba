import { ProbeError, type ProbeEngine, type ProbeRun } from "@netdive/collector";
import { LAB_IMAGE, type ProbeAnswer, type ProbeAttempt } from "@netdive/model";
import {
  dnsSafety,
  type DnsSafety,
  parseNslookup,
  pingAnswered,
  planProbe,
  ProbeRefusal,
  type ProbePlan,
  type ProbeRequest,
} from "./probe-plan";
import type { TopologyService } from "./topology-service";

/** The image probes run: busybox `ping` and `nslookup`, built offline by docker/lab-image.sh. */
export const PROBE_IMAGE = LAB_IMAGE;

/** At most this many probes run at once; more are answered 429. */
export const MAX_PROBES_IN_FLIGHT = 2;

/** Every attempt of one probe, from the first create to the last removal, fits in about this long. */
export const PROBE_BUDGET_MS = 5000;
/** Below this much time left, no further attempt starts. */
const LEAST_ATTEMPT_MS = 700;
/** At most this much of an attempt's output is answered. */
const MAX_OUTPUT_CHARS = 2048;

export type { ProbeAnswer, ProbeAttempt };

function trimOutput(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_OUTPUT_CHARS ? `${trimmed.slice(0, MAX_OUTPUT_CHARS - 1)}…` : trimmed;
}

/** The first line that says what went wrong, for a reason sentence. */
function firstComplaint(output: string): string | null {
  const line = output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /timed out|refused|can't find|NXDOMAIN|SERVFAIL|unreachable|bad address/i.test(l));
  return line ? line.replace(/^[;\s*]+/, "") : null;
}

/**
 * Runs probes: plans them from the topology (refusing what is unknown, off this engine or
 * unsafe), then runs one short-lived container per attempt through the probe engine.
 */
export class ProbeService {
  private inFlight = 0;
  /** The ping running in each network namespace (by network mode), which the next one waits for. */
  private readonly pingTurns = new Map<string, Promise<unknown>>();

  /** `engine`: the one probe engine, or the probe engine of each engine id (several engines). */
  constructor(
    private readonly topology: TopologyService,
    private readonly engine: ProbeEngine | ((engineId: string) => ProbeEngine),
  ) {}

  /** The probe engine of the engine `plan.from` runs on: a probe runs beside its container. */
  private engineOf(plan: ProbePlan): ProbeEngine {
    return typeof this.engine === "function" ? this.engine(plan.from.engineId) : this.engine;
  }

  /** Runs one probe; throws ProbeRefusal (with an HTTP status) when it is refused. */
  async probe(request: ProbeRequest): Promise<ProbeAnswer> {
    if (this.inFlight >= MAX_PROBES_IN_FLIGHT) {
      throw new ProbeRefusal(
        429,
        `${MAX_PROBES_IN_FLIGHT} probes are already running — wait for one to finish, then try again`,
      );
    }
    this.inFlight++;
    try {
      return await this.probeNow(request, Date.now());
    } catch (err) {
      if (err instanceof ProbeError) {
        throw new ProbeRefusal(err.kind === "unreachable" ? 503 : 409, err.message);
      }
      throw err;
    } finally {
      this.inFlight--;
    }
  }

  private async probeNow(request: ProbeRequest, started: number): Promise<ProbeAnswer> {
    const topology = this.topology.current();
    // An engine that cannot be read lists no containers: say so rather than "no container". With
    // several engines, only the engine of the container asked about matters.
    const engines = Object.values(topology.engines);
    const down = (e: (typeof engines)[number] | undefined) =>
      e && !e.reachable
        ? new ProbeRefusal(503, e.error ?? `the engine at ${e.url} cannot be reached — check \`docker info\``)
        : null;
    const away = engines.length === 1 ? down(engines[0]) : null;
    if (away) throw away;
    const plan = planProbe(topology, request);
    const own = down(topology.engines[plan.from.engineId]);
    if (own) throw own;
    const base = {
      kind: plan.kind,
      from: { id: plan.from.id, name: plan.from.name },
      to: plan.to,
    };
    const nothing = (reason: string): ProbeAnswer => ({
      ...base,
      ran: false,
      ok: false,
      attempts: [],
      ...(plan.kind === "dns" ? { addresses: [] } : {}),
      reason,
      durationMs: Date.now() - started,
    });
    if (plan.nothingToTry) return nothing(plan.nothingToTry);
    let nameservers: string[] = [];
    if (plan.kind === "dns") {
      const safety = await this.lookupSafety(plan);
      if (!safety.safe) return nothing(safety.reason);
      nameservers = safety.nameservers;
    }
    if (!(await this.engineOf(plan).hasImage(PROBE_IMAGE))) {
      throw new ProbeRefusal(
        409,
        `the lab image ${PROBE_IMAGE} is missing — run \`bash docker/lab-image.sh\`, then try again`,
      );
    }
    const outcome = plan.kind === "ping" ? await this.pingInTurn(plan) : await this.lookup(plan, nameservers);
    return { ...base, ...outcome, durationMs: Date.now() - started };
  }

  /** Whether `from`'s resolver keeps a lookup on this machine (see dnsSafety). */
  private async lookupSafety(plan: ProbePlan): Promise<DnsSafety> {
    if (plan.networkMode === "host") return dnsSafety(plan.from.name, true, null, []);
    const details = await this.topology.details(plan.from);
    const upstream = await this.engineOf(plan).dnsServers(plan.owner.id);
    if (upstream === null) {
      throw new ProbeRefusal(409, `${plan.owner.name} is gone from the engine — reload the page, then try again`);
    }
    return dnsSafety(plan.from.name, false, details.resolvConf, upstream);
  }

  /** One probe container within what is left of the budget; null when no time is left or it could not start in time. */
  private async attempt(plan: ProbePlan, argv: string[], budgetFrom: number): Promise<ProbeRun | null> {
    const left = PROBE_BUDGET_MS - (Date.now() - budgetFrom);
    if (left < LEAST_ATTEMPT_MS) return null;
    const run = await this.engineOf(plan).run({
      image: PROBE_IMAGE,
      networkMode: plan.networkMode,
      argv,
      timeoutMs: left,
    });
    return run.started ? run : null;
  }

  /**
   * Pings into one network namespace take turns. busybox ping takes any echo reply in its
   * namespace whose ICMP id is its pid, from any address, and every probe's ping is pid 1 of a
   * PID namespace of its own: two at once in the same namespace would each take the other's
   * replies, and an unreachable target would be reported answered. (The reach integration
   * test met the same thing between two containers sharing a namespace.)
   */
  private async pingInTurn(plan: ProbePlan): Promise<Outcome> {
    const key = plan.networkMode;
    const before = this.pingTurns.get(key) ?? Promise.resolve();
    const mine = before.then(
      () => this.ping(plan),
      () => this.ping(plan),
    );
    const settled = mine.catch(() => undefined);
    this.pingTurns.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.pingTurns.get(key) === settled) this.pingTurns.delete(key);
    }
  }

  private async ping(plan: ProbePlan): Promise<Outcome> {
    const budgetFrom = Date.now();
    const attempts: ProbeAttempt[] = [];
    for (const target of plan.targets) {
      const run = await this.attempt(plan, ["ping", "-c", "1", "-W", "1", target], budgetFrom);
      if (!run) break;
      const ok = pingAnswered(run.exitCode, run.output);
      attempts.push({ target, ok, output: trimOutput(run.output) });
      if (ok) {
        return {
          to: { ...plan.to, address: target },
          ran: true,
          ok: true,
          attempts,
          reason: `${plan.from.name} pinged ${describeTarget(plan, target)}: one packet out, one reply back.`,
        };
      }
    }
    if (attempts.length === 0) return { to: plan.to, ran: false, ok: false, attempts, reason: tooSlow(plan) };
    const untried = plan.targets.length - attempts.length;
    return {
      to: plan.to,
      ran: true,
      ok: false,
      attempts,
      reason:
        `${plan.from.name} pinged ${plan.to.name ?? "the address"} at ${attempts.map((a) => a.target).join(", ")}: no reply` +
        (untried > 0 ? ` (netdive ran out of time before the other ${untried})` : "") +
        ".",
    };
  }

  private async lookup(plan: ProbePlan, nameservers: string[]): Promise<Outcome> {
    const name = plan.targets[0] as string;
    const run = await this.attempt(plan, ["nslookup", "-timeout=1", "-retry=1", name], Date.now());
    if (!run) return { to: plan.to, ran: false, ok: false, attempts: [], addresses: [], reason: tooSlow(plan) };
    const addresses = parseNslookup(run.output, name);
    const ok = addresses.length > 0;
    const why = firstComplaint(run.output);
    const asked = nameservers
      .map((ns) => (ns === "127.0.0.11" ? "Docker's embedded DNS (127.0.0.11)" : ns))
      .join(" and ");
    return {
      to: plan.to,
      ran: true,
      ok,
      attempts: [{ target: name, ok, output: trimOutput(run.output) }],
      addresses,
      reason: ok
        ? `${plan.from.name} asked ${asked} for "${name}" and got ${addresses.join(", ")}.`
        : `${plan.from.name} asked ${asked} for "${name}" and got no address${why ? ` (${why})` : ""}.`,
    };
  }
}

/** What a run of attempts found (the rest of the answer is the plan's). */
type Outcome = Omit<ProbeAnswer, "kind" | "from" | "durationMs">;

function tooSlow(plan: ProbePlan): string {
  return `the engine did not start the probe beside ${plan.from.name} within ${PROBE_BUDGET_MS / 1000} s (it may be busy) — nothing ran; try again.`;
}

function describeTarget(plan: ProbePlan, address: string): string {
  return plan.to.name ? `${plan.to.name} at ${address}` : address;
}
