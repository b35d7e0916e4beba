import { docker } from "../exec";

/** The parts of `docker inspect <container>` the tests read (the CLI's JSON, field for field). */
export interface InspectedContainer {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Pid: number };
  Config: { Image: string; Hostname: string; Labels: Record<string, string> | null };
  HostConfig: {
    NetworkMode: string;
    PidMode: string;
    Privileged: boolean;
    Binds: string[] | null;
    /** Bytes; 0 when unlimited. */
    Memory?: number;
    /** null or 0 when unlimited. */
    PidsLimit?: number | null;
    /** `--dns` servers; empty or null when none were given. */
    Dns?: string[] | null;
  };
  /** Volumes and bind mounts, as the engine reports them. */
  Mounts?: Array<{ Type: string; Source: string; Destination: string }>;
  NetworkSettings: {
    Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
    Networks: Record<
      string,
      {
        NetworkID: string;
        EndpointID: string;
        IPAddress: string;
        IPPrefixLen: number;
        MacAddress: string;
        Gateway: string;
        Aliases: string[] | null;
        DNSNames?: string[] | null;
      }
    >;
  };
}

/** The parts of `docker network inspect <network>` the tests read. */
export interface InspectedNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  IPAM: { Config: Array<{ Subnet?: string; Gateway?: string }> | null };
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
  Containers: Record<string, { Name: string; MacAddress: string; IPv4Address: string }> | null;
}

/** `docker inspect --type container`. */
export async function inspectContainer(ref: string): Promise<InspectedContainer> {
  return one<InspectedContainer>(await docker(["inspect", "--type", "container", ref]), ref);
}

/** `docker network inspect`. */
export async function inspectNetwork(ref: string): Promise<InspectedNetwork> {
  return one<InspectedNetwork>(await docker(["network", "inspect", ref]), ref);
}

/** `docker version`: the server's version and API version, as the CLI reports them. */
export async function engineVersion(): Promise<{ version: string; apiVersion: string }> {
  const out = await docker(["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}"]);
  const [version = "", apiVersion = ""] = out.trim().split(" ");
  return { version, apiVersion };
}

/** `docker port <container>` parsed: "80/tcp -> 127.0.0.1:8080" lines. */
export async function publishedPorts(
  ref: string,
): Promise<Array<{ containerPort: number; protocol: string; hostIp: string; hostPort: number }>> {
  const out = await docker(["port", ref]);
  return out
    .split("\n")
    .map((l) => /^(\d+)\/(\w+) -> (.+):(\d+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      containerPort: Number(m[1]),
      protocol: m[2] as string,
      hostIp: (m[3] as string).replace(/^\[|\]$/g, ""),
      hostPort: Number(m[4]),
    }));
}

function one<T>(json: string, ref: string): T {
  const list = JSON.parse(json) as T[];
  if (list.length !== 1 || !list[0]) throw new Error(`docker inspect ${ref} gave ${list.length} objects`);
  return list[0];
}
