import {
  bridgeAddress,
  publishedPorts,
  ridesOnParent,
  subnetOf,
  type Container,
  type HostInterface,
  type Network,
  type Topology,
} from "@netdive/model";
import { cardHeight } from "./room-packing";
import {
  breakable,
  CARD_CHARS,
  cardPorts,
  containerCard,
  joinedLine,
  portsLabel,
  ridingWords,
  roomTitle,
  TITLE_CHARS,
  wrapName,
} from "./card-text";
import { ids, type EdgeData, type NodeData } from "./elements";
import type { BuildContext, RoomPlan } from "./room-plan";
import { stateWord } from "./words";

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
  const engine = topology.engines[engineId];
  const name = host.hostname || engine?.name || engineId;
  // Several engines may run on one machine (same hostname): each box also says which engine it is.
  const several = Object.keys(topology.hosts).length > 1;
  const title = several && name !== engineId ? `${w.gHost} ${name} · ${engineId}` : `${w.gHost} ${name}`;
  const reason = host.kernel.visible ? "" : ` ${w.gNotVisible}`;
  const down = engine !== undefined && !engine.reachable;
  const nodes: NodeData[] = down
    ? [
        { id: hostId, kind: "host", label: `${title} — ${w.gEngineDown}`, state: "unreachable" },
        // The box of an engine that cannot be read holds only why (engine-layout.ts places it).
        { id: ids.hostDown(engineId), kind: "hostdown", parent: hostId, label: engine.error ?? w.gEngineDown },
      ]
    : [{ id: hostId, kind: "host", label: `${title}${reason}` }];
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
      label: `${c.name}\n${w.gHostMode}${portsLabel(c)}`,
      card: [wrapName(c.name, CARD_CHARS), w.gHostNet, ...cardPorts(c), ...inside.map(joinedLine)].join("\n"),
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

/** The elements of one room: its box, bridge, DNS and NAT, and each container's box, interfaces and veths. */
export function buildRoom(plan: RoomPlan, ctx: BuildContext): { nodes: NodeData[]; edges: EdgeData[] } {
  const { topology, w } = ctx;
  const { network } = plan;
  const nodes: NodeData[] = [];
  const edges: EdgeData[] = [];
  const hostId = ids.host(plan.engineId);
  const host = topology.hosts[plan.engineId];
  const room = plan.id;
  // Seen from far away a container's published ports are on its room's card, after its name.
  const names = plan.boxes.flatMap((c) => [
    [c.name, ...publishedPorts(c).map((p) => `:${p.hostPort}`)].join(" "),
    ...(plan.joined.get(c.id) ?? []).map((j) => j.name),
  ]);
  const flags = network
    ? [network.internal ? w.gInternal : "", network.icc ? "" : w.gNoIcc, ...gatewayFlags(network)]
        .filter(Boolean)
        .join(", ")
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
    card: `${roomTitle(network, names.length, w)}\n${names.join("\n")}`,
    members: names.length,
    ...(network ? { ref: { type: "network", id: network.id } as const } : {}),
  });
  if (network && ridesOnParent(network)) {
    pushParentBar(network, room, ctx, nodes, edges, flags);
  } else if (network) {
    // A dual-stack bridge says both of its addresses (where its room is wide enough: canvas-sync.ts).
    const v4 = bridgeAddress(network, host?.interfaces ?? []);
    const v6 = bridgeAddress6(network, host?.interfaces ?? []);
    const address = [v4, v6].filter(Boolean).join("  ");
    const title = `${network.name}${flags ? ` (${flags})` : ""}`;
    const wrapTitle = `${breakable(network.name)}${flags ? ` (${flags})` : ""}`;
    nodes.push({
      id: ids.bridge(network.id),
      kind: "bridge",
      parent: room,
      room,
      label: `${title}\n${network.bridge}  ${address}`,
      wrap: `${wrapTitle}\n${network.bridge}  ${address}`,
      ...(v6 && v4 ? { wrapShort: `${wrapTitle}\n${network.bridge}  ${v4}` } : {}),
      ref: { type: "network", id: network.id },
    });
    if (network.embeddedDns) pushDns(network, room, w, nodes, edges);
    const nic = host?.interfaces.find((i) => i.defaultRoute);
    // An isolated gateway (Docker 28+) has no way out; a routed one leaves without NAT.
    const mode = network.gatewayMode?.ipv4;
    if (nic && !network.internal && mode !== "isolated") {
      edges.push({
        id: ids.natEdge(network.id),
        kind: "nat",
        source: ids.bridge(network.id),
        target: ids.nic(network.engineId, nic.name),
        label: mode === "routed" ? w.gRouted : "NAT",
        ...(mode === "routed" ? { routed: true } : {}),
        room,
        // A click shows the kernel's evidence: the MASQUERADE and the rules naming the bridge.
        ref: { type: "network", id: network.id },
      });
    }
  }

  const composeBoxes = new Set<string>();
  for (const c of plan.boxes) {
    let parent = room;
    if (c.composeProject) {
      // The project's own default network holds its box by the project's name alone; any other room
      // (another of its networks, or a network it joined) a box of its own: an id is on one room only.
      const home = network?.composeProject === c.composeProject && network.name === `${c.composeProject}_default`;
      parent = ids.compose(c.engineId, c.composeProject, home ? undefined : (network?.id.slice(0, 12) ?? "none"));
      if (!composeBoxes.has(parent)) {
        composeBoxes.add(parent);
        nodes.push({
          id: parent,
          kind: "compose",
          parent: room,
          room,
          label: `${w.gCompose} ${c.composeProject}`,
        });
      }
    }
    const inside = plan.joined.get(c.id) ?? [];
    const card = containerCard(c, network, inside, w);
    // Close up, the title stays as wide as the box: a long name or image wraps at its separators.
    // A container in another's PID namespace says whose: the arrow between the two boxes carries no words.
    const pidOwner =
      c.pidnsOwnerId && c.pidnsOwnerId !== c.netnsOwnerId ? topology.containers[c.pidnsOwnerId] : undefined;
    const pids =
      pidOwner && ctx.visible.has(pidOwner.id) ? `\n${wrapName(`${w.gPidOf} ${pidOwner.name}`, TITLE_CHARS)}` : "";
    const title = `${wrapName(c.name, TITLE_CHARS)}\n${wrapName(`${c.image} · ${stateWord(w, c.state)}`, TITLE_CHARS)}${pids}${portsLabel(c)}`;
    nodes.push({
      id: ids.container(c.id),
      kind: "netns",
      parent,
      room,
      label: title,
      card,
      // The layout gives the box the height its words take (room-packing.ts's boxNeed).
      titleLines: title.split("\n").length,
      cardLines: card.split("\n").length,
      cardH: cardHeight(card.split("\n").length),
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

/** A dual-stack bridge's IPv6 address as the kernel holds it (not its link-local one), else its IPv6 subnet's gateway; "" without IPv6. */
function bridgeAddress6(network: Network, interfaces: readonly HostInterface[]): string {
  const subnet = network.subnets.find((s) => s.subnet.includes(":"));
  if (!subnet) return "";
  const held = interfaces
    .find((i) => i.name === network.bridge)
    ?.addresses.find((a) => a.includes(":") && !a.toLowerCase().startsWith("fe80:"));
  if (held) return held;
  return subnet.gateway ? `${subnet.gateway}/${subnet.subnet.split("/")[1]}` : subnet.subnet;
}

/** A bridge's gateway modes other than Docker's default NAT, as its bar says them: "routed", "IPv6 isolated". */
function gatewayFlags(network: Network): string[] {
  const mode = network.gatewayMode;
  if (!mode) return [];
  const v6 = network.subnets.some((s) => s.subnet.includes(":"));
  return [mode.ipv4 !== "nat" ? mode.ipv4 : "", v6 && mode.ipv6 !== "nat" ? `IPv6 ${mode.ipv6}` : ""];
}

/**
 * A macvlan or ipvlan network's bar: the parent interface its containers ride on, with the
 * driver, mode and subnet. No NAT: the children's packets leave through the parent as they are.
 * When the parent is the host's NIC, a line says so.
 */
function pushParentBar(
  network: Network,
  room: string,
  ctx: BuildContext,
  nodes: NodeData[],
  edges: EdgeData[],
  flags: string,
): void {
  const { topology, w } = ctx;
  const how = ridingWords(network, w);
  const words = `${flags ? ` (${flags})` : ""}\n${how}  ${subnetOf(network)}`;
  nodes.push({
    id: ids.bridge(network.id),
    kind: "bridge",
    parent: room,
    room,
    label: `${network.name}${words}`,
    wrap: `${breakable(network.name)}${words}`,
    riding: true,
    ref: { type: "network", id: network.id },
  });
  if (network.embeddedDns) pushDns(network, room, w, nodes, edges);
  const nic = topology.hosts[network.engineId]?.interfaces.find((i) => i.defaultRoute);
  if (nic && nic.name === network.parent) {
    edges.push({
      id: ids.parentEdge(network.id),
      kind: "parent",
      source: ids.bridge(network.id),
      target: ids.nic(network.engineId, nic.name),
      label: w.gRidesOn,
      room,
      ref: { type: "network", id: network.id },
    });
  }
}

function pushDns(network: Network, room: string, w: BuildContext["w"], nodes: NodeData[], edges: EdgeData[]): void {
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

function bridgeNetwork(topology: Topology, engineId: string, bridge: string | null): Network | undefined {
  if (!bridge) return undefined;
  return Object.values(topology.networks).find((n) => n.engineId === engineId && n.bridge === bridge);
}

/**
 * The macvlan or ipvlan network an interface of the container belongs to: one of the container's
 * networks on the interface's parent, the one whose address the interface holds.
 */
function ridingNetwork(c: Container, iface: Container["interfaces"][number], topology: Topology): Network | undefined {
  if (!iface.parent) return undefined;
  const candidates = Object.keys(c.endpoints)
    .map((id) => topology.networks[id])
    .filter((n): n is Network => n !== undefined && ridesOnParent(n) && n.parent === iface.parent?.name);
  const holds = (n: Network) => {
    const ip = c.endpoints[n.id]?.ipv4;
    return ip !== null && ip !== undefined && iface.addresses.some((a) => a.split("/")[0] === ip);
  };
  return candidates.find(holds) ?? candidates[0];
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
      const riding = ridingNetwork(c, iface, topology);
      if (riding && shown.has(riding.id)) {
        edges.push({
          id: ids.ridesEdge(c.id, iface.name),
          kind: "rides",
          source: ifId,
          target: ids.bridge(riding.id),
          room,
          ref: { type: "container", id: c.id },
        });
      }
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
        // The pair as the kernel shows it (each end's ifindex and peer) is in the container's details.
        ref: { type: "container", id: c.id },
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
