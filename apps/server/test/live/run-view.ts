import { RUN_LABEL, type Run } from "@netdive/lab";
import type { Topology } from "@netdive/model";
import { dockerOn } from "./lab-cli";

/**
 * What a run's own objects look like, keyed by name so a mismatch reads well: the facts the
 * churn test holds netdive to. The default `bridge` network is included (members restricted to
 * the run's containers) because some of the run's containers sit on it.
 */
export interface RunView {
  containers: Record<string, { id: string; state: string; endpoints: Record<string, Endpoint> }>;
  networks: Record<string, { id: string; members: string[] }>;
}

interface Endpoint {
  ipv4: string | null;
  mac: string | null;
}

const DEFAULT_BRIDGE = "bridge";

/** The run's objects as a topology (netdive's, or a client's copy) shows them. */
export function viewOfTopology(topology: Topology, run: Run): RunView {
  const mine = Object.values(topology.containers).filter((c) => c.name.startsWith(run.prefix));
  const nameOf = new Map(mine.map((c) => [c.id, c.name]));
  const view: RunView = { containers: {}, networks: {} };
  for (const c of mine) {
    const endpoints: Record<string, Endpoint> = {};
    for (const ep of Object.values(c.endpoints)) endpoints[ep.networkName] = { ipv4: ep.ipv4, mac: ep.mac };
    view.containers[c.name] = { id: c.id, state: c.state, endpoints };
  }
  for (const n of Object.values(topology.networks)) {
    if (!n.name.startsWith(run.prefix) && n.name !== DEFAULT_BRIDGE) continue;
    const members = n.containerIds.flatMap((id) => nameOf.get(id) ?? []).sort();
    view.networks[n.name] = { id: n.id, members };
  }
  return view;
}

interface CliContainer {
  Id: string;
  Name: string;
  State: { Status: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string; MacAddress: string }> | null };
}

interface CliNetwork {
  Id: string;
  Name: string;
  Containers: Record<string, unknown> | null;
}

/** The run's objects as the docker CLI shows them: independent of netdive's code. */
export async function viewOfEngine(run: Run, host?: string): Promise<RunView> {
  const cli = dockerOn(host);
  const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");
  const label = `label=${RUN_LABEL}=${run.id}`;
  const ids = lines(await cli(["ps", "-aq", "--no-trunc", "--filter", label]));
  const netIds = lines(await cli(["network", "ls", "-q", "--no-trunc", "--filter", label]));
  const bridge = lines(await cli(["network", "ls", "-q", "--no-trunc", "--filter", `name=^${DEFAULT_BRIDGE}$`]));
  const containers = ids.length
    ? (JSON.parse(await cli(["inspect", "--type", "container", ...ids])) as CliContainer[])
    : [];
  const netRefs = [...netIds, ...bridge];
  const networks = netRefs.length ? (JSON.parse(await cli(["network", "inspect", ...netRefs])) as CliNetwork[]) : [];

  const nameOf = new Map(containers.map((c) => [c.Id, c.Name.replace(/^\//, "")]));
  const view: RunView = { containers: {}, networks: {} };
  for (const c of containers) {
    const endpoints: Record<string, Endpoint> = {};
    for (const [name, ep] of Object.entries(c.NetworkSettings.Networks ?? {})) {
      endpoints[name] = { ipv4: ep.IPAddress || null, mac: ep.MacAddress ? ep.MacAddress.toLowerCase() : null };
    }
    view.containers[nameOf.get(c.Id) as string] = { id: c.Id, state: c.State.Status, endpoints };
  }
  for (const n of networks) {
    const members = Object.keys(n.Containers ?? {})
      .flatMap((id) => nameOf.get(id) ?? [])
      .sort();
    view.networks[n.Name] = { id: n.Id, members };
  }
  return view;
}
