import {
  bridgeAddress,
  homeNetwork,
  ipOf,
  subnetOf,
  type Container,
  type HostInterface,
  type Network,
  type Topology,
} from "@netdive/model";
import { ids, type EdgeData, type NodeData } from "./elements";
import type { GraphWords } from "./words";
import type { View } from "./view-filter";

/** What every room's builder needs to know of the whole view. */
export interface BuildContext {
  topology: Topology;
  view: View;
  /** Ids of the containers drawn. */
  visible: ReadonlySet<string>;
  /** Ids of the networks whose rooms are drawn. */
  shown: ReadonlySet<string>;
  w: GraphWords;
}

/**
 * One room of the drawing: a bridge network as the document draws one (the bridge, its veths,
 * the namespaces of the containers that live there), or an engine's room for containers attached
 * to no drawn bridge (none mode).
 */
export interface RoomPlan {
  id: string;
  engineId: string;
  network: Network | null;
  /** Containers with a namespace box in this room, in drawing order (compose projects together, then by name). */
  boxes: Container[];
  /** Containers drawn inside another's box (`--network container:X`), by owner id. */
  joined: Map<string, Container[]>;
}

/** Which room each drawn container lives in; host-mode containers live in their host's box. */
export function planRooms(ctx: BuildContext): { rooms: RoomPlan[]; hostMode: Map<string, Container[]> } {
  const { topology, visible, shown } = ctx;
  const rooms = new Map<string, RoomPlan>();
  // docker0's room first (the document starts there), then in the engine's order: a new network appends.
  const networks = Object.values(topology.networks).sort(
    (a, b) => Number(b.isDefaultBridge) - Number(a.isDefaultBridge),
  );
  for (const n of networks) {
    if (shown.has(n.id)) {
      rooms.set(ids.room(n.id), { id: ids.room(n.id), engineId: n.engineId, network: n, boxes: [], joined: new Map() });
    }
  }
  const unattached = new Map<string, RoomPlan>();
  const hostMode = new Map<string, Container[]>();
  const joined = new Map<string, Container[]>();
  const homes = new Map<string, RoomPlan>();
  const byName = Object.values(topology.containers)
    .filter((c) => visible.has(c.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const c of byName) {
    if (c.netnsOwnerId && visible.has(c.netnsOwnerId)) {
      joined.set(c.netnsOwnerId, [...(joined.get(c.netnsOwnerId) ?? []), c]);
      continue;
    }
    if (c.networkMode === "host") {
      hostMode.set(c.engineId, [...(hostMode.get(c.engineId) ?? []), c]);
      continue;
    }
    const home = homeNetwork(c, topology, (n) => shown.has(n.id));
    let room = home ? rooms.get(ids.room(home.id)) : undefined;
    if (!room) {
      room = unattached.get(c.engineId);
      if (!room) {
        const id = ids.unattachedRoom(c.engineId);
        room = { id, engineId: c.engineId, network: null, boxes: [], joined: new Map() };
        unattached.set(c.engineId, room);
      }
    }
    room.boxes.push(c);
    homes.set(c.id, room);
  }
  for (const [owner, list] of joined) homes.get(owner)?.joined.set(owner, list);
  const project = (c: Container) => c.composeProject ?? "\uffff";
  const all = [...rooms.values(), ...unattached.values()];
  for (const room of all)
    room.boxes.sort((a, b) => project(a).localeCompare(project(b)) || a.name.localeCompare(b.name));
  return { rooms: all, hostMode };
}

/** Breaks a long name after its separators (-, _, .) into lines of at most `max` characters. */
export function wrapName(name: string, max: number): string {
  if (name.length <= max) return name;
  const parts = name.split(/(?<=[-_.])/);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (line && (line + part).length > max) {
      lines.push(line);
      line = "";
    }
    line += part;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

/** Characters per line of a container's card (what its box says from afar). */
export const CARD_CHARS = 15;

/** A container's card: its name, then its address on the room's network (or how it is networked). */
function containerCard(c: Container, network: Network | null, joined: readonly Container[], w: GraphWords): string {
  const where = network ? ipOf(c, network) || c.state : c.networkMode === "none" ? w.gNoneMode : c.state;
  const lines = [wrapName(c.name, CARD_CHARS), where];
  for (const j of joined) lines.push(wrapName(`+ ${j.name}`, CARD_CHARS));
  return lines.join("\n");
}

function portsLabel(container: Container, w: GraphWords): string {
  const seen = new Set<string>();
  for (const p of container.ports) {
    if (p.hostPort === undefined) continue;
    const hostIp = p.hostIp && p.hostIp !== "0.0.0.0" && p.hostIp !== "::" ? `${p.hostIp}:` : "";
    seen.add(`${hostIp}${p.hostPort} → ${p.containerPort}/${p.protocol}`);
  }
  return seen.size === 0 ? "" : `\n${w.gPorts} ${[...seen].join(", ")}`;
}

/** The host box, its NIC(s) and its host-mode containers. */
export function buildHost(
  engineId: string,
  hostMode: readonly Container[],
  joined: ReadonlyMap<string, readonly Container[]>,
  ctx: BuildContext,
): { nodes: NodeData[]; edges: EdgeData[] } {
  const { topology, w } = ctx;
  const host = topology.hosts[engineId];
  if (!host) return { nodes: [], edges: [] };
  const hostId = ids.host(engineId);
  const name = host.hostname || topology.engines[engineId]?.name || engineId;
  const reason = host.kernel.visible ? "" : ` ${w.gNotVisible}`;
  const nodes: NodeData[] = [{ id: hostId, kind: "host", label: `${w.gHost} ${name}${reason}` }];
  const edges: EdgeData[] = [];
  for (const nic of host.interfaces.filter((i) => i.defaultRoute)) {
    const v4 = nic.addresses.filter((a) => !a.includes(":"));
    nodes.push({
      id: ids.nic(engineId, nic.name),
      kind: "nic",
      parent: hostId,
      label: `${nic.name}\n${v4.join("\n")}`,
      card: `${nic.name}\n${v4[0] ?? ""}`,
      short: nic.name,
      ref: { type: "hostInterface", engineId, name: nic.name },
    });
  }
  for (const c of hostMode) {
    const inside = joined.get(c.id) ?? [];
    nodes.push({
      id: ids.container(c.id),
      kind: "hostmode",
      parent: hostId,
      label: `${c.name}\n${w.gHostMode}${portsLabel(c, w)}`,
      card: [wrapName(c.name, CARD_CHARS), w.gHostNet, ...inside.map((j) => wrapName(`+ ${j.name}`, CARD_CHARS))].join(
        "\n",
      ),
      short: wrapName(c.name, CARD_CHARS),
      ref: { type: "container", id: c.id },
      state: c.state,
    });
    for (const j of inside) pushJoined(j, c, ctx, nodes, edges);
    pushPid(c, ctx, edges);
  }
  return { nodes, edges };
}

function pushJoined(j: Container, owner: Container, ctx: BuildContext, nodes: NodeData[], edges: EdgeData[]): void {
  nodes.push({
    id: ids.container(j.id),
    kind: "joined",
    parent: ids.container(owner.id),
    label: `${j.name}\n${j.pidnsOwnerId === j.netnsOwnerId ? ctx.w.gJoinedBoth : ctx.w.gJoined}`,
    ref: { type: "container", id: j.id },
    state: j.state,
  });
  pushPid(j, ctx, edges);
}

/** A dashed link to the PID namespace's owner, unless the container already sits inside the owner's box. */
function pushPid(c: Container, ctx: BuildContext, edges: EdgeData[]): void {
  const insideOwner = c.netnsOwnerId !== null && c.netnsOwnerId === c.pidnsOwnerId;
  if (!c.pidnsOwnerId || !ctx.visible.has(c.pidnsOwnerId) || insideOwner) return;
  edges.push({
    id: ids.pidEdge(c.id),
    kind: "pid",
    source: ids.container(c.id),
    target: ids.container(c.pidnsOwnerId),
    label: ctx.w.gPid,
  });
}

/** What a room's card says: the network, its bridge and subnet, how many containers; the names are fitted by the layout. */
function roomTitle(network: Network | null, members: number, ctx: BuildContext): string {
  const { w } = ctx;
  const count = `${members} ${members === 1 ? w.gContainer : w.gContainers}`;
  if (!network) return `${w.gNoNetwork}\n\n${count}`;
  return `${network.name}\n${network.bridge}  ${subnetOf(network)}\n${count}`;
}

/** The elements of one room: its box, bridge, DNS and NAT, and each container's box, interfaces and veths. */
export function buildRoom(plan: RoomPlan, ctx: BuildContext): { nodes: NodeData[]; edges: EdgeData[] } {
  const { topology, w } = ctx;
  const { network } = plan;
  const nodes: NodeData[] = [];
  const edges: EdgeData[] = [];
  const hostId = ids.host(plan.engineId);
  const host = topology.hosts[plan.engineId];
  const room = plan.id;
  const names = plan.boxes.flatMap((c) => [c.name, ...(plan.joined.get(c.id) ?? []).map((j) => j.name)]);
  const flags = network
    ? [network.internal ? w.gInternal : "", network.icc ? "" : w.gNoIcc].filter(Boolean).join(", ")
    : "";
  nodes.push({
    id: room,
    kind: "room",
    ...(host ? { parent: hostId } : {}),
    // The room's words are on its bridge (network name, bridge, address); a room without one says why.
    // A room's own data never changes with its members: restyling a compound restyles all it holds.
    label: network ? "" : w.gNoNetwork,
    ...(network ? { ref: { type: "network", id: network.id } as const } : {}),
    room,
  });
  nodes.push({
    id: ids.roomLabel(room),
    kind: "roomlabel",
    // In the host, not the room: its words, written over the room, must not widen the room's frame.
    ...(host ? { parent: hostId } : {}),
    room,
    label: "",
    card: `${roomTitle(network, names.length, ctx)}\n${names.join("\n")}`,
    ...(network ? { ref: { type: "network", id: network.id } as const } : {}),
  });
  if (network) {
    const address = bridgeAddress(network, host?.interfaces ?? []);
    nodes.push({
      id: ids.bridge(network.id),
      kind: "bridge",
      parent: room,
      room,
      label: `${network.name}${flags ? ` (${flags})` : ""}\n${network.bridge}  ${address}`,
      ref: { type: "network", id: network.id },
    });
    if (network.embeddedDns) {
      nodes.push({
        id: ids.dns(network.id),
        kind: "dns",
        parent: room,
        room,
        label: `${w.gEmbeddedDns}\n127.0.0.11`,
        ref: { type: "network", id: network.id },
      });
      edges.push({
        id: ids.dnsEdge(network.id),
        kind: "dns",
        source: ids.dns(network.id),
        target: ids.bridge(network.id),
        label: w.gNames,
        room,
      });
    }
    const nic = host?.interfaces.find((i) => i.defaultRoute);
    if (nic && !network.internal) {
      edges.push({
        id: ids.natEdge(network.id),
        kind: "nat",
        source: ids.bridge(network.id),
        target: ids.nic(network.engineId, nic.name),
        label: "NAT",
        room,
      });
    }
  }

  const composeBoxes = new Set<string>();
  for (const c of plan.boxes) {
    let parent = room;
    if (c.composeProject) {
      const own = network?.composeProject === c.composeProject;
      parent = ids.compose(c.engineId, c.composeProject, own ? undefined : (network?.id.slice(0, 12) ?? "none"));
      if (!composeBoxes.has(parent)) {
        composeBoxes.add(parent);
        nodes.push({ id: parent, kind: "compose", parent: room, room, label: `${w.gCompose} ${c.composeProject}` });
      }
    }
    const inside = plan.joined.get(c.id) ?? [];
    nodes.push({
      id: ids.container(c.id),
      kind: "netns",
      parent,
      room,
      label: `${c.name}\n${c.image} · ${c.state}${portsLabel(c, w)}`,
      card: containerCard(c, network, inside, w),
      ref: { type: "container", id: c.id },
      state: c.state,
    });
    addInterfaces(c, room, ctx, nodes, edges);
    for (const j of inside) pushJoined(j, c, ctx, nodes, edges);
    pushPid(c, ctx, edges);
    // Seen from afar the interfaces are not drawn: a line to each other drawn network's bridge says it is there too.
    for (const netId of Object.keys(c.endpoints)) {
      if (netId === network?.id || !ctx.shown.has(netId)) continue;
      edges.push({
        id: ids.memberEdge(c.id, netId),
        kind: "member",
        source: ids.container(c.id),
        target: ids.bridge(netId),
        room,
      });
    }
  }
  return { nodes, edges };
}

function bridgeNetwork(topology: Topology, engineId: string, bridge: string | null): Network | undefined {
  if (!bridge) return undefined;
  return Object.values(topology.networks).find((n) => n.engineId === engineId && n.bridge === bridge);
}

function addInterfaces(c: Container, room: string, ctx: BuildContext, nodes: NodeData[], edges: EdgeData[]): void {
  const { topology, shown, w } = ctx;
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
        room,
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
        parent: room,
        room,
        label: peer.name,
        ref: { type: "hostInterface", engineId: c.engineId, name: peer.name },
      });
      edges.push({
        id: ids.pairEdge(c.id, iface.name),
        kind: "pair",
        source: ifId,
        target: vethId,
        label: w.gVethPair,
        room,
      });
      const network = bridgeNetwork(topology, c.engineId, peer.bridge);
      if (network && shown.has(network.id)) {
        edges.push({
          id: ids.masterEdge(c.engineId, peer.name),
          kind: "master",
          source: vethId,
          target: ids.bridge(network.id),
          room,
        });
      }
    }
    return;
  }
  // Kernel facts not visible: draw what the API says, marked as not verified.
  for (const [netId, ep] of Object.entries(c.endpoints)) {
    if (!ep.ipv4 || !shown.has(netId)) continue;
    const ifId = ids.apiIface(c.id, netId);
    nodes.push({
      id: ifId,
      kind: "iface",
      parent: boxId,
      room,
      label: `${ep.networkName}  ${ep.ipv4}/${ep.prefixLen ?? ""}\n${ep.mac ?? ""}`,
      ref: { type: "container", id: c.id },
    });
    edges.push({
      id: ids.apiEdge(c.id, netId),
      kind: "unverified",
      source: ifId,
      target: ids.bridge(netId),
      label: w.gAttached,
      room,
    });
  }
}

/** The host interface a room's inputs depend on: its bridge's (for the address). */
export function bridgeInterface(plan: RoomPlan, topology: Topology): HostInterface | undefined {
  const bridge = plan.network?.bridge;
  return bridge ? topology.hosts[plan.engineId]?.interfaces.find((i) => i.name === bridge) : undefined;
}
