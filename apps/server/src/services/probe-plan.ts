import {
  netnsOwner,
  reachTargets,
  resolveRef,
  type Container,
  type ProbeKind,
  type ProbeRequest,
  type Topology,
} from "@netdive/model";

/** A validated `POST /api/probes` body (packages/model's ProbeRequest); ProbeKind: ping or dns. */
export type { ProbeKind, ProbeRequest };

/** A probe refused before anything ran; `statusCode` is the HTTP answer, the message says why. */
export class ProbeRefusal extends Error {
  override name = "ProbeRefusal";
  constructor(
    readonly statusCode: 400 | 409 | 429 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** Everything a probe needs, decided from the topology alone. */
export interface ProbePlan {
  kind: ProbeKind;
  from: Container;
  /** The container whose network namespace `from` lives in (itself unless it joined another's). */
  owner: Container;
  /** How the probe container joins that namespace: `container:<owner id>` or `host`. */
  networkMode: string;
  to: { id: string | null; name: string | null; address?: string };
  /** Ping: the addresses to try, in order (at most 4). DNS: the one name to look up. */
  targets: string[];
  /** Set when there is nothing to try: a sentence saying why. */
  nothingToTry?: string;
}

/** At most this many addresses are pinged, one after the other, until one answers. */
export const MAX_PING_TARGETS = 4;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LOOKS_LIKE_IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** 127.0.0.0/8: an address that never leaves the network namespace it is used in. */
export function isLoopbackIpv4(address: string): boolean {
  return isIpv4(address) && address.startsWith("127.");
}

function resolveContainer(topology: Topology, ref: string, role: "from" | "to"): Container {
  const match = resolveRef(topology.containers, ref);
  if (match.kind === "found") return topology.containers[match.id] as Container;
  if (match.kind === "ambiguous") {
    throw new ProbeRefusal(
      400,
      `"${ref}" (${role}) matches ${match.ids.length} containers — give more of the id, or the full name`,
    );
  }
  throw new ProbeRefusal(400, `no container "${ref}" (${role}) on the engine — list them with GET /api/topology`);
}

/** Every IPv4 address on this engine's networks: container endpoints and gateways. */
function engineAddresses(topology: Topology): Map<string, Container | null> {
  const found = new Map<string, Container | null>();
  for (const network of Object.values(topology.networks)) {
    for (const s of network.subnets) if (s.gateway) found.set(s.gateway, null);
  }
  for (const c of Object.values(topology.containers)) {
    for (const e of Object.values(c.endpoints)) {
      if (e.gateway && !found.has(e.gateway)) found.set(e.gateway, null);
      if (e.ipv4) found.set(e.ipv4, c);
    }
  }
  return found;
}

/** The names Docker's DNS may know `c` by: its name and its aliases on every network. */
function namesOf(c: Container): string[] {
  return [...new Set([c.name, ...Object.values(c.endpoints).flatMap((e) => e.aliases)])];
}

/**
 * Decides what a probe will run, from the topology alone, or refuses: 400 for an unknown or
 * ambiguous container, an address off this engine, a name the target does not have; 409 when
 * `from` is not running. Nothing is started here.
 */
export function planProbe(topology: Topology, request: ProbeRequest): ProbePlan {
  const from = resolveContainer(topology, request.from, "from");
  const addressed = LOOKS_LIKE_IPV4.test(request.to);
  if (addressed && request.kind === "dns") {
    throw new ProbeRefusal(
      400,
      `a DNS probe looks up a container's name — give "to" as a container name or id, not the address ${request.to}`,
    );
  }
  if (request.name !== undefined && request.kind !== "dns") {
    throw new ProbeRefusal(400, `"name" is for DNS probes only; a ping goes to "to"`);
  }
  let to: Container | null = null;
  let address: string | undefined;
  if (addressed) {
    const known = engineAddresses(topology);
    if (!isIpv4(request.to) || (request.to !== "127.0.0.1" && !known.has(request.to))) {
      throw new ProbeRefusal(
        400,
        `${request.to} is not an address on this engine's networks — netdive probes only between this engine's containers`,
      );
    }
    address = request.to;
    to = known.get(request.to) ?? null;
  } else {
    to = resolveContainer(topology, request.to, "to");
  }
  if (to && to.engineId !== from.engineId) {
    throw new ProbeRefusal(400, `${from.name} and ${to.name} run on different engines — a probe stays on one engine`);
  }
  if (from.state !== "running") {
    throw new ProbeRefusal(
      409,
      `${from.name} is ${from.state}: a stopped container has no network namespace to probe from — start it, then try again`,
    );
  }
  const owner = netnsOwner(topology, from);
  if (owner.state !== "running") {
    throw new ProbeRefusal(
      409,
      `${from.name} uses the network namespace of ${owner.name}, which is ${owner.state} — start it, then try again`,
    );
  }
  const networkMode = owner.networkMode === "host" ? "host" : `container:${owner.id}`;
  const target = to ? { id: to.id, name: to.name } : { id: null, name: null };

  if (request.kind === "dns") {
    const container = to as Container;
    const name = request.name ?? container.name;
    if (!namesOf(container).includes(name)) {
      throw new ProbeRefusal(
        400,
        `${container.name} is not known as "${name}" — its names are ${namesOf(container).join(", ")}`,
      );
    }
    return { kind: "dns", from, owner, networkMode, to: target, targets: [name] };
  }

  if (address !== undefined) {
    return { kind: "ping", from, owner, networkMode, to: { ...target, address }, targets: [address] };
  }
  const targets = reachTargets(topology, from.id, (to as Container).id).slice(0, MAX_PING_TARGETS);
  const plan: ProbePlan = { kind: "ping", from, owner, networkMode, to: target, targets };
  if (targets.length === 0) {
    const state = (to as Container).state;
    plan.nothingToTry =
      state === "running"
        ? `${target.name} has no IPv4 address ${from.name} could try (network "${(to as Container).networkMode}") — nothing ran.`
        : `${target.name} is ${state}: it has no address to ping — nothing ran.`;
  }
  return plan;
}

/** Whether a lookup may be sent, and if not, the sentence that says why. */
export type DnsSafety = { safe: true; nameservers: string[] } | { safe: false; reason: string };

/** The `nameserver` lines of a resolv.conf, in order. */
export function nameserversOf(resolvConf: string): string[] {
  return resolvConf
    .split("\n")
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((ns): ns is string => ns !== undefined);
}

const NOT_SENT = "netdive sends no lookup off this machine — the explainer's answer stands.";

/**
 * A lookup goes to `from`'s resolver; it may be sent only when it cannot leave this machine:
 * every nameserver in resolv.conf is a loopback address, and when one is Docker's embedded DNS
 * (127.0.0.11), the upstream servers it forwards unknown names to (`HostConfig.Dns` of the
 * namespace's owner) are set and all loopback too. A host-mode container uses the host's own
 * resolver, which may ask anyone: never.
 */
export function dnsSafety(
  fromName: string,
  hostMode: boolean,
  resolvConf: string | null,
  upstream: readonly string[],
): DnsSafety {
  if (hostMode) {
    return {
      safe: false,
      reason: `${fromName} uses the host's resolver, which may ask servers outside this machine; ${NOT_SENT}`,
    };
  }
  if (resolvConf === null) {
    return {
      safe: false,
      reason: `${fromName}'s /etc/resolv.conf could not be read, so where a lookup would go is unknown; ${NOT_SENT}`,
    };
  }
  const nameservers = nameserversOf(resolvConf);
  if (nameservers.length === 0) {
    return { safe: false, reason: `${fromName}'s /etc/resolv.conf names no nameserver; ${NOT_SENT}` };
  }
  const outside = nameservers.filter((ns) => !isLoopbackIpv4(ns));
  if (outside.length > 0) {
    return {
      safe: false,
      reason: `${fromName} asks ${outside.join(", ")}, outside this engine; ${NOT_SENT}`,
    };
  }
  if (nameservers.includes("127.0.0.11")) {
    if (upstream.length === 0) {
      return {
        safe: false,
        reason: `${fromName} asks Docker's embedded DNS (127.0.0.11), which forwards names it does not know to the host's resolvers, outside this engine; ${NOT_SENT}`,
      };
    }
    const far = upstream.filter((ns) => !isLoopbackIpv4(ns));
    if (far.length > 0) {
      return {
        safe: false,
        reason: `${fromName} asks Docker's embedded DNS (127.0.0.11), which forwards names it does not know to ${far.join(", ")}, outside this engine; ${NOT_SENT}`,
      };
    }
  }
  return { safe: true, nameservers };
}

/**
 * The IPv4 addresses busybox `nslookup` printed for `name`: the `Address:` lines after a
 * `Name:` line for that name (or the name with a search domain appended). The server's own
 * `Address: 127.0.0.11:53` header comes before any `Name:` line and is not counted.
 */
export function parseNslookup(output: string, name: string): string[] {
  const addresses: string[] = [];
  let inAnswer = false;
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    const named = /^Name:\s*(\S+)$/.exec(line);
    if (named) {
      const answered = (named[1] as string).replace(/\.$/, "").toLowerCase();
      inAnswer = answered === name.toLowerCase() || answered.startsWith(`${name.toLowerCase()}.`);
      continue;
    }
    const address = /^Address(?:\s+\d+)?:\s*(\S+)$/.exec(line)?.[1];
    if (inAnswer && address && isIpv4(address) && !addresses.includes(address)) addresses.push(address);
    else if (line === "") inAnswer = false;
  }
  return addresses;
}

/** Whether busybox `ping -c 1` saw its one reply. */
export function pingAnswered(exitCode: number | null, output: string): boolean {
  return exitCode === 0 || /(^|\s)1 packets received/m.test(output);
}
