import { dnatRules, masqueradeRules, type Ruleset } from "./firewall";
import { toEvidence } from "./reach-evidence";
import type { Container, Topology } from "./topology";
import type { PublishedPath, ProxyProcess } from "./wire/ports";

/**
 * A `docker-proxy` command line (`/proc/PID/cmdline` split at NULs) as the proxy it runs, or null
 * when it is not one: `docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 8080 -container-ip
 * 172.18.0.2 -container-port 80 [-use-listen-fd]` (Docker 20.10 and 28.5 alike).
 */
export function parseProxyArgs(pid: number, argv: readonly string[]): ProxyProcess | null {
  if (!/(^|\/)docker-proxy$/.test(argv[0] ?? "")) return null;
  const arg = (name: string) => {
    const i = argv.indexOf(`-${name}`);
    return i >= 0 ? (argv[i + 1] ?? "") : "";
  };
  const hostPort = Number(arg("host-port"));
  const containerPort = Number(arg("container-port"));
  if (!Number.isInteger(hostPort) || !Number.isInteger(containerPort)) return null;
  return {
    pid,
    proto: arg("proto") || "tcp",
    hostIp: arg("host-ip"),
    hostPort,
    containerIp: arg("container-ip"),
    containerPort,
    command: argv.join(" "),
  };
}

/**
 * Each published port of `container` as a path, with what carries it: the DNAT rule of the
 * host's nat table (or nft's), the userland proxy, or both. `rules` and `proxies` are null when
 * they could not be read; a path then says only what the engine said.
 */
export function publishedPaths(
  topology: Topology,
  container: Container,
  rules: Ruleset | null,
  proxies: ProxyProcess[] | null,
): PublishedPath[] {
  const addresses = Object.entries(container.endpoints).flatMap(([networkId, e]) =>
    e.ipv4 ? [{ networkId, ip: e.ipv4 }] : [],
  );
  const paths: PublishedPath[] = [];
  for (const p of container.ports) {
    if (p.hostPort === undefined) continue;
    const hostIp = p.hostIp || "0.0.0.0";
    const proxy = (proxies ?? []).filter(
      (x) =>
        x.hostPort === p.hostPort &&
        x.proto === p.protocol &&
        x.hostIp === hostIp &&
        x.containerPort === p.containerPort &&
        addresses.some((a) => a.ip === x.containerIp),
    );
    const dnat = rules
      ? addresses.flatMap((a) =>
          dnatRules(rules, a.ip, p.containerPort, p.protocol)
            .filter(
              (r) =>
                r.dport === p.hostPort &&
                (hostIp === "0.0.0.0" || hostIp === "::" || r.dst?.value.split("/")[0] === hostIp),
            )
            .map((r) => ({ rule: r, address: a })),
        )
      : [];
    const carried = dnat[0]?.address ?? addresses.find((a) => proxy.some((x) => x.containerIp === a.ip)) ?? null;
    const subnet = carried ? topology.networks[carried.networkId]?.subnets[0]?.subnet : undefined;
    const masquerade = rules && subnet ? masqueradeRules(rules, subnet) : [];
    paths.push({
      protocol: p.protocol,
      hostIp,
      hostPort: p.hostPort,
      containerIp: carried?.ip ?? null,
      containerPort: p.containerPort,
      mechanism: dnat.length && proxy.length ? "both" : dnat.length ? "dnat" : proxy.length ? "proxy" : "none",
      rules: [...dnat.map((d) => toEvidence(d.rule, "dnat")), ...masquerade.map((r) => toEvidence(r, "masquerade"))],
      proxies: proxy,
    });
  }
  return paths;
}

/**
 * One published port as a person reads it: a host port and protocol bound on one or more host
 * addresses (`-p 8080:80` binds both 0.0.0.0 and ::), sent to one container port.
 */
export interface PublishedPort {
  hostPort: number;
  containerPort: number;
  protocol: string;
  /** Every host address it is bound on, IPv4 first ("0.0.0.0", "::", "127.0.0.1"). */
  hostIps: string[];
}

/** The address a binding with no host address listens on. */
const ANY_V4 = "0.0.0.0";

/**
 * A container's published ports, the address families merged: `-p 8080:80` is one port on
 * 0.0.0.0 and ::, not two. Unpublished (exposed only) ports are left out. Ordered by host port,
 * then protocol.
 */
export function publishedPorts(container: Container): PublishedPort[] {
  const byKey = new Map<string, PublishedPort>();
  for (const p of container.ports) {
    if (p.hostPort === undefined) continue;
    const key = `${p.hostPort}/${p.protocol}>${p.containerPort}`;
    const hostIp = p.hostIp || ANY_V4;
    const entry = byKey.get(key);
    if (!entry) {
      byKey.set(key, { hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, hostIps: [hostIp] });
    } else if (!entry.hostIps.includes(hostIp)) {
      entry.hostIps.push(hostIp);
    }
  }
  const v6Last = (ip: string) => Number(ip.includes(":"));
  return [...byKey.values()]
    .map((p) => ({ ...p, hostIps: p.hostIps.sort((a, b) => v6Last(a) - v6Last(b) || a.localeCompare(b)) }))
    .sort((a, b) => a.hostPort - b.hostPort || a.protocol.localeCompare(b.protocol));
}

/** Whether a port listens on every address of the host (0.0.0.0 and/or ::), not on one address. */
export function onEveryAddress(port: PublishedPort): boolean {
  return port.hostIps.every((ip) => ip === ANY_V4 || ip === "::");
}
