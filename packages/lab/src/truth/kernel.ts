import { readlink } from "node:fs/promises";
import { execArgv } from "../exec";

/** One element of `ip -j -d addr show`, the fields the tests read. */
export interface IpLinkJson {
  ifindex: number;
  ifname: string;
  link_index?: number;
  link_netnsid?: number;
  mtu: number;
  operstate?: string;
  master?: string;
  link_type?: string;
  address?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

/** `ip -j -d addr show` in the network namespace of `pid`. */
export async function netnsLinks(pid: number): Promise<IpLinkJson[]> {
  return JSON.parse(await nsenterNet(pid, ["ip", "-j", "-d", "addr", "show"])) as IpLinkJson[];
}

/** The default route's gateway as the namespace of `pid` routes it, or null. */
export async function netnsGateway(pid: number): Promise<string | null> {
  const routes = JSON.parse((await nsenterNet(pid, ["ip", "-j", "route", "show", "default"])) || "[]") as Array<{
    gateway?: string;
  }>;
  return routes[0]?.gateway ?? null;
}

/** `ip -j -d addr show` in this process's namespace: the host's, when the tests run on the Docker host. */
export async function hostLinks(): Promise<IpLinkJson[]> {
  return JSON.parse(await execArgv("ip", ["-j", "-d", "addr", "show"])) as IpLinkJson[];
}

/** One element of `ip -j route show table main`, the fields the tests read. */
export interface IpRouteJson {
  /** "default" or a CIDR, e.g. "172.17.0.0/16". */
  dst: string;
  dev?: string;
  gateway?: string;
  /** "kernel" for the route the kernel adds for an address's own subnet. */
  protocol?: string;
  /** The address the host sends from on that route: a bridge's own address in its subnet. */
  prefsrc?: string;
}

/** The host's main routing table. */
export async function hostRoutes(): Promise<IpRouteJson[]> {
  return JSON.parse((await execArgv("ip", ["-j", "route", "show", "table", "main"])) || "[]") as IpRouteJson[];
}

/**
 * The address the host holds on `dev` in `subnet`, from the route the kernel made for it
 * (`172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1`), or null. This is a
 * bridge network's gateway as the kernel has it, whether or not Docker's IPAM config names one.
 */
export function kernelSource(routes: readonly IpRouteJson[], dev: string, subnet: string): string | null {
  return routes.find((r) => r.dev === dev && r.dst === subnet && r.protocol === "kernel")?.prefsrc ?? null;
}

/** The interfaces that carry the host's default routes. */
export async function hostDefaultRouteDevices(): Promise<string[]> {
  const routes = JSON.parse((await execArgv("ip", ["-j", "route", "show", "default"])) || "[]") as Array<{
    dev?: string;
  }>;
  return [...new Set(routes.flatMap((r) => (r.dev ? [r.dev] : [])))];
}

/** The host name the kernel gives the UTS namespace of `pid` (`nsenter -u hostname`). */
export async function utsHostname(pid: number): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process to enter (pid ${pid})`);
  return (await execArgv("nsenter", ["-t", String(pid), "-u", "hostname"])).trim();
}

/** The namespace a process is in, e.g. "net:[4026532476]": equal strings, same namespace. */
export function namespaceOf(pid: number, kind: "net" | "pid" | "uts"): Promise<string> {
  return readlink(`/proc/${pid}/ns/${kind}`);
}

/** Addresses of a link as CIDR, in the kernel's order. */
export function cidrs(link: IpLinkJson): string[] {
  return (link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

export function nsenterNet(pid: number, argv: readonly string[]): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process to enter (pid ${pid})`);
  return execArgv("nsenter", ["-t", String(pid), "-n", ...argv]);
}
