import type { Container, HostInterface, Network, Topology } from "@netdive/model";
import { messages, type MessageKey } from "../i18n";

/** The words the diagram itself uses, in the page's language. */
export type GraphWords = Pick<Record<MessageKey, string>, Extract<MessageKey, `g${string}`>>;

/** What the user chose to see. */
export interface View {
  /** Show host-mode and none-mode containers (the "system" networks). */
  showSystem: boolean;
  /** Show containers that are not running. */
  showStopped: boolean;
  /** Keep only what matches: a container or network name, an id prefix, an IP or a compose project. */
  filter: string;
}

export const DEFAULT_VIEW: View = { showSystem: true, showStopped: true, filter: "" };

export type NodeKind =
  "host" | "nic" | "bridge" | "dns" | "veth" | "netns" | "iface" | "joined" | "hostmode" | "compose";

export type EdgeKind = "master" | "pair" | "nat" | "pid" | "dns" | "unverified";

/** What a node or edge stands for, so a click can open the right details. */
export type Ref =
  | { type: "container"; id: string }
  | { type: "network"; id: string }
  | { type: "hostInterface"; engineId: string; name: string };

export interface NodeData {
  id: string;
  kind: NodeKind;
  label: string;
  parent?: string;
  ref?: Ref;
  /** Layout anchor: the band (bridge) a container or veth belongs to, and its order in it. */
  band?: string;
  /** Container state, for styling stopped ones. */
  state?: string;
}

export interface EdgeData {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  label?: string;
}

export type GraphElement = { group: "nodes"; data: NodeData } | { group: "edges"; data: EdgeData };

/** Element ids, stable across renders: the layout and the highlighting key on them. */
export const ids = {
  host: (engineId: string) => `host:${engineId}`,
  nic: (engineId: string, name: string) => `nic:${engineId}:${name}`,
  bridge: (networkId: string) => `bridge:${networkId}`,
  dns: (networkId: string) => `dns:${networkId}`,
  veth: (engineId: string, name: string) => `veth:${engineId}:${name}`,
  container: (id: string) => `ctr:${id}`,
  iface: (containerId: string, name: string) => `if:${containerId}:${name}`,
  /** The interface drawn from the API alone when the kernel is not visible. */
  apiIface: (containerId: string, networkId: string) => `if:${containerId}:api:${networkId.slice(0, 12)}`,
  pairEdge: (containerId: string, ifname: string) => `e:pair:${containerId}:${ifname}`,
  masterEdge: (engineId: string, veth: string) => `e:master:${engineId}:${veth}`,
  apiEdge: (containerId: string, networkId: string) => `e:api:${containerId}:${networkId}`,
  compose: (engineId: string, project: string) => `compose:${engineId}:${project}`,
  /** Containers that attach to nothing (none mode, stopped) share one band per engine. */
  isolatedBand: (engineId: string) => `isolated:${engineId}`,
};

/** The bridge's own address: from the kernel when visible, else from the network's gateway. */
function bridgeAddress(network: Network, hostIfaces: HostInterface[]): string {
  const iface = hostIfaces.find((i) => i.name === network.bridge);
  const v4 = iface?.addresses.find((a) => !a.includes(":"));
  if (v4) return v4;
  const subnet = network.subnets.find((s) => !s.subnet.includes(":"));
  if (subnet?.gateway) return `${subnet.gateway}/${subnet.subnet.split("/")[1]}`;
  return subnet ? subnet.subnet : "";
}

/** Whether a container matches the filter: its name, id prefix, compose project, an IP or a network name. */
export function matchesFilter(filter: string, container: Container, topology: Topology): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  const eps = Object.entries(container.endpoints);
  return (
    container.name.toLowerCase().includes(f) ||
    container.id.startsWith(f) ||
    (container.composeProject ?? "").toLowerCase().includes(f) ||
    eps.some(
      ([netId, ep]) => ep.ipv4?.startsWith(f) || (topology.networks[netId]?.name ?? "").toLowerCase().includes(f),
    ) ||
    container.interfaces.some((i) => i.addresses.some((a) => a.startsWith(f)))
  );
}

function portsLabel(container: Container, w: GraphWords): string {
  const published = container.ports.filter((p) => p.hostPort !== undefined);
  if (published.length === 0) return "";
  const seen = new Set<string>();
  for (const p of published) {
    const hostIp = p.hostIp && p.hostIp !== "0.0.0.0" && p.hostIp !== "::" ? `${p.hostIp}:` : "";
    seen.add(`${hostIp}${p.hostPort} → ${p.containerPort}/${p.protocol}`);
  }
  return `\n${w.gPorts} ${[...seen].join(", ")}`;
}

/** The network a container is drawn next to: its first bridge network, by name. */
export function homeNetwork(container: Container, topology: Topology): Network | undefined {
  return Object.keys(container.endpoints)
    .map((id) => topology.networks[id])
    .filter((n): n is Network => n !== undefined && n.bridge !== null)
    .sort((a, b) => a.name.localeCompare(b.name))[0];
}

/**
 * The topology as Cytoscape elements, drawn the way the document draws it: the host box with its
 * NIC, each bridge with its address and (on user-defined networks) the embedded DNS, a host veth
 * per attached interface, each container's network-namespace box holding its interfaces.
 * Pure: the same topology and view always give the same elements.
 */
export function toElements(topology: Topology, view: View = DEFAULT_VIEW, w: GraphWords = messages.en): GraphElement[] {
  const nodes: NodeData[] = [];
  const edges: EdgeData[] = [];
  const containers = Object.values(topology.containers);
  const visible = new Set(
    containers
      .filter((c) => view.showStopped || c.state === "running" || c.state === "paused" || c.state === "restarting")
      .filter((c) => view.showSystem || (c.networkMode !== "host" && c.networkMode !== "none"))
      .filter((c) => matchesFilter(view.filter, c, topology))
      .map((c) => c.id),
  );
  // A joined container is drawn inside its owner's box, so the owner shows whenever it does.
  for (const c of containers) {
    if (visible.has(c.id) && c.netnsOwnerId && topology.containers[c.netnsOwnerId]) visible.add(c.netnsOwnerId);
  }

  for (const [engineId, host] of Object.entries(topology.hosts)) {
    const engine = topology.engines[engineId];
    const hostId = ids.host(engineId);
    const reason = host.kernel.visible ? "" : `\n${w.gNotVisible}`;
    nodes.push({ id: hostId, kind: "host", label: `${w.gHost} ${host.hostname || engine?.name || engineId}${reason}` });
    for (const nic of host.interfaces.filter((i) => i.defaultRoute)) {
      nodes.push({
        id: ids.nic(engineId, nic.name),
        kind: "nic",
        parent: hostId,
        label: `${nic.name}\n${nic.addresses.filter((a) => !a.includes(":")).join("\n")}`,
        ref: { type: "hostInterface", engineId, name: nic.name },
      });
    }
  }

  const shownNetworks = new Set<string>();
  for (const network of Object.values(topology.networks)) {
    if (!network.bridge || !topology.hosts[network.engineId]) continue;
    const members = network.containerIds.filter((id) => visible.has(id));
    const f = view.filter.trim().toLowerCase();
    if (f && members.length === 0 && !network.name.toLowerCase().includes(f)) continue;
    shownNetworks.add(network.id);
    const host = topology.hosts[network.engineId];
    const hostId = ids.host(network.engineId);
    const flags = [network.internal ? w.gInternal : "", network.icc ? "" : w.gNoIcc].filter(Boolean).join(", ");
    nodes.push({
      id: ids.bridge(network.id),
      kind: "bridge",
      parent: hostId,
      band: ids.bridge(network.id),
      label: `${network.bridge}  ${bridgeAddress(network, host?.interfaces ?? [])}\n${w.gNetwork} ${network.name}${flags ? ` (${flags})` : ""}`,
      ref: { type: "network", id: network.id },
    });
    if (network.embeddedDns) {
      nodes.push({
        id: ids.dns(network.id),
        kind: "dns",
        parent: hostId,
        band: ids.bridge(network.id),
        label: `${w.gEmbeddedDns}\n127.0.0.11`,
        ref: { type: "network", id: network.id },
      });
      edges.push({
        id: `e:dns:${network.id}`,
        kind: "dns",
        source: ids.dns(network.id),
        target: ids.bridge(network.id),
        label: w.gNames,
      });
    }
    const nic = host?.interfaces.find((i) => i.defaultRoute);
    if (nic && !network.internal) {
      edges.push({
        id: `e:nat:${network.id}`,
        kind: "nat",
        source: ids.bridge(network.id),
        target: ids.nic(network.engineId, nic.name),
        label: "NAT",
      });
    }
  }

  const composeBoxes = new Set<string>();
  for (const c of containers) {
    if (!visible.has(c.id)) continue;
    const hostId = ids.host(c.engineId);
    const boxId = ids.container(c.id);
    const title = `${c.name}\n${c.image} · ${c.state}`;

    if (c.netnsOwnerId && visible.has(c.netnsOwnerId)) {
      nodes.push({
        id: boxId,
        kind: "joined",
        parent: ids.container(c.netnsOwnerId),
        label: `${c.name}\n${c.pidnsOwnerId === c.netnsOwnerId ? w.gJoinedBoth : w.gJoined}`,
        ref: { type: "container", id: c.id },
        state: c.state,
      });
    } else if (c.networkMode === "host") {
      nodes.push({
        id: boxId,
        kind: "hostmode",
        parent: hostId,
        label: `${c.name}\n${w.gHostMode}${portsLabel(c, w)}`,
        ref: { type: "container", id: c.id },
        state: c.state,
      });
    } else {
      const home = homeNetwork(c, topology);
      const band = home && shownNetworks.has(home.id) ? ids.bridge(home.id) : ids.isolatedBand(c.engineId);
      let parent: string | undefined;
      if (c.composeProject) {
        parent = ids.compose(c.engineId, c.composeProject);
        if (!composeBoxes.has(parent)) {
          composeBoxes.add(parent);
          nodes.push({ id: parent, kind: "compose", label: `${w.gCompose} ${c.composeProject}` });
        }
      }
      nodes.push({
        id: boxId,
        kind: "netns",
        ...(parent ? { parent } : {}),
        band,
        label: `${title}${portsLabel(c, w)}`,
        ref: { type: "container", id: c.id },
        state: c.state,
      });
      addInterfaces(c, topology, shownNetworks, band, nodes, edges, w);
    }
    // Inside its owner's box already, a container that also shares the owner's PIDs says so in its label.
    const insideOwner = c.netnsOwnerId !== null && c.netnsOwnerId === c.pidnsOwnerId;
    if (c.pidnsOwnerId && visible.has(c.pidnsOwnerId) && !insideOwner) {
      edges.push({
        id: `e:pid:${c.id}`,
        kind: "pid",
        source: boxId,
        target: ids.container(c.pidnsOwnerId),
        label: w.gPid,
      });
    }
  }
  return [
    ...orderedNodes(nodes).map((data) => ({ group: "nodes" as const, data })),
    ...edges.map((data) => ({ group: "edges" as const, data })),
  ];
}

/** Unique by id, parents before their children (Cytoscape adds a child only to an existing parent). */
function orderedNodes(nodes: NodeData[]): NodeData[] {
  const byId = new Map<string, NodeData>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const depth = (n: NodeData): number => {
    let d = 0;
    for (let p = n.parent; p !== undefined && d < 8; p = byId.get(p)?.parent) d++;
    return d;
  };
  return [...byId.values()]
    .map((n, i) => ({ n, i, d: depth(n) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.n);
}

function addInterfaces(
  c: Container,
  topology: Topology,
  shownNetworks: Set<string>,
  band: string,
  nodes: NodeData[],
  edges: EdgeData[],
  w: GraphWords,
): void {
  const boxId = ids.container(c.id);
  if (c.interfaces.length > 0) {
    for (const iface of c.interfaces) {
      const ifId = ids.iface(c.id, iface.name);
      const v4 = iface.addresses.filter((a) => !a.includes(":"));
      const mac = iface.name === "lo" ? "" : `\n${iface.mac}`;
      nodes.push({
        id: ifId,
        kind: "iface",
        parent: boxId,
        band,
        label: `${iface.name}  ${v4.join(" ")}${mac}`,
        // A click anywhere in the box opens the container: its details list every interface.
        ref: { type: "container", id: c.id },
      });
      const peer = iface.hostPeer;
      if (!peer) continue;
      const vethId = ids.veth(c.engineId, peer.name);
      nodes.push({
        id: vethId,
        kind: "veth",
        parent: ids.host(c.engineId),
        band,
        label: peer.name,
        ref: { type: "hostInterface", engineId: c.engineId, name: peer.name },
      });
      edges.push({
        id: ids.pairEdge(c.id, iface.name),
        kind: "pair",
        source: ifId,
        target: vethId,
        label: w.gVethPair,
      });
      const network = Object.values(topology.networks).find(
        (n) => n.engineId === c.engineId && n.bridge === peer.bridge,
      );
      if (network && shownNetworks.has(network.id)) {
        edges.push({
          id: ids.masterEdge(c.engineId, peer.name),
          kind: "master",
          source: vethId,
          target: ids.bridge(network.id),
        });
      }
    }
    return;
  }
  // Kernel facts not visible: draw what the API says, marked as not verified.
  for (const [netId, ep] of Object.entries(c.endpoints)) {
    if (!ep.ipv4 || !shownNetworks.has(netId)) continue;
    const ifId = ids.apiIface(c.id, netId);
    nodes.push({
      id: ifId,
      kind: "iface",
      parent: boxId,
      band,
      label: `${ep.networkName}  ${ep.ipv4}/${ep.prefixLen ?? ""}\n${ep.mac ?? ""}`,
      ref: { type: "container", id: c.id },
    });
    edges.push({
      id: ids.apiEdge(c.id, netId),
      kind: "unverified",
      source: ifId,
      target: ids.bridge(netId),
      label: w.gAttached,
    });
  }
}
