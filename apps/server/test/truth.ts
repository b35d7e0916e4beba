import { hostname as osHostname } from "node:os";
import {
  dnsHooksOf,
  engineVersion,
  fileInContainer,
  hostDefaultRouteDevices,
  hostLinks,
  hostRoutes,
  inspectContainer,
  inspectNetwork,
  namespaceOf,
  netnsGateway,
  netnsLinks,
  publishedPorts,
  type DnsHook,
  type InspectedContainer,
  type InspectedNetwork,
  type IpLinkJson,
  type IpRouteJson,
  type LabObject,
  type ScenarioRun,
  utsHostname,
} from "@netdive/lab";
import { mapLimit } from "@netdive/model";

/** A container as the docker CLI, the kernel and the container itself show it: never through netdive. */
export interface ContainerTruth {
  lab: LabObject;
  inspect: InspectedContainer;
  /** The host name of the container's UTS namespace, as the kernel gives it. */
  hostname: string;
  /** `/proc/<pid>/ns/net` and `/proc/<pid>/ns/pid`. */
  netns: string;
  pidns: string;
  /** `ip -j -d addr show` in the network namespace the container's process is in. */
  links: IpLinkJson[];
  /** The default route's gateway in that namespace. */
  gateway: string | null;
  resolvConf: string;
  hostsFile: string;
  /** The embedded DNS's DNAT rules in that namespace: iptables' DOCKER_OUTPUT or nftables' docker-dns. */
  dnsHooks: DnsHook[];
  /** The firewall those rules were found in; null when there are none. */
  dnsFirewall: "iptables" | "nftables" | null;
  /** `docker port`. */
  ports: Awaited<ReturnType<typeof publishedPorts>>;
}

export interface HostTruth {
  hostname: string;
  netns: string;
  links: IpLinkJson[];
  /** The main routing table (each bridge's subnet route names the bridge's own address). */
  routes: IpRouteJson[];
  defaultRouteDevices: string[];
  engine: { version: string; apiVersion: string };
}

export interface World {
  host: HostTruth;
  /** By container name. */
  containers: Record<string, ContainerTruth>;
  /** By network name: the run's networks and the built-in bridge, host and none. */
  networks: Record<string, InspectedNetwork>;
}

export async function readContainerTruth(lab: LabObject): Promise<ContainerTruth> {
  const inspect = await inspectContainer(lab.id);
  const pid = inspect.State.Pid;
  const [hostname, netns, pidns, links, gateway, resolvConf, hostsFile, nat, ports] = await Promise.all([
    utsHostname(pid),
    namespaceOf(pid, "net"),
    namespaceOf(pid, "pid"),
    netnsLinks(pid),
    netnsGateway(pid),
    fileInContainer(lab.id, "/etc/resolv.conf"),
    fileInContainer(lab.id, "/etc/hosts"),
    dnsHooksOf(pid),
    publishedPorts(lab.id),
  ]);
  return {
    lab,
    inspect,
    hostname,
    netns,
    pidns,
    links,
    gateway,
    resolvConf,
    hostsFile,
    dnsHooks: nat.hooks,
    dnsFirewall: nat.firewall,
    ports,
  };
}

export async function readHostTruth(): Promise<HostTruth> {
  const [links, routes, defaultRouteDevices, netns, engine] = await Promise.all([
    hostLinks(),
    hostRoutes(),
    hostDefaultRouteDevices(),
    namespaceOf(process.pid, "net"),
    engineVersion(),
  ]);
  return { hostname: osHostname(), netns, links, routes, defaultRouteDevices, engine };
}

/** Everything the scenarios made, read independently, all at once. */
export async function readWorld(scenarios: readonly ScenarioRun[]): Promise<World> {
  const labContainers = scenarios.flatMap((s) => Object.values(s.containers));
  const networkNames = [
    "bridge",
    "host",
    "none",
    ...scenarios.flatMap((s) => Object.values(s.networks).map((n) => n.name)),
  ];
  const [host, containers, networks] = await Promise.all([
    readHostTruth(),
    mapLimit(labContainers, 6, readContainerTruth),
    Promise.all(networkNames.map(inspectNetwork)),
  ]);
  return {
    host,
    containers: Object.fromEntries(containers.map((c) => [c.lab.name, c])),
    networks: Object.fromEntries(networks.map((n) => [n.Name, n])),
  };
}

/** The container's `eth0` as its namespace shows it, or undefined. */
export function eth0(truth: ContainerTruth): IpLinkJson | undefined {
  return truth.links.find((l) => l.ifname === "eth0");
}

/** The host interface that holds `address` (no prefix), e.g. the bridge that is a network's gateway. */
export function hostLinkWithAddress(host: HostTruth, address: string): IpLinkJson | undefined {
  return host.links.find((l) => (l.addr_info ?? []).some((a) => a.local === address));
}
