/**
 * What the canvas draws, as data: the element kinds, what each stands for, and the ids that keep
 * an element the same element across renders (the layout and the highlighting key on them).
 */

export type NodeKind =
  | "host"
  | "nic"
  | "room"
  | "roomlabel"
  | "bridge"
  | "dns"
  | "veth"
  | "netns"
  | "iface"
  | "joined"
  | "hostmode"
  | "compose"
  /** A closed room's extent: from far away (or off screen) a room's interior is not on the canvas (mount.ts). */
  | "roomspan"
  /** What an engine that cannot be read shows in its box: why. */
  | "hostdown"
  /** A published port: host address:port, under the NIC (or loopback) it is bound on (port-elements.ts). */
  | "port";

export type EdgeKind =
  | "master"
  | "pair"
  | "nat"
  | "pid"
  | "dns"
  | "unverified"
  | "member"
  | "publish"
  /** A macvlan or ipvlan interface to the parent it rides on (its network's bar). */
  | "rides"
  /** A macvlan or ipvlan network's bar to the host's NIC, when the NIC is its parent. */
  | "parent";

/** What a node or edge stands for, so a click can open the right details. */
export type Ref =
  | { type: "container"; id: string }
  | { type: "network"; id: string }
  | { type: "hostInterface"; engineId: string; name: string }
  /** One published port of a container: its path and the rules and proxy that carry it. */
  | { type: "published"; containerId: string; protocol: string; hostIp: string; hostPort: number }
  /**
   * A flow edge (`--flows`): its id in the stream's flows. An edge drawn to a closed room's card
   * stands for several: all their ids, and the edge's own id on the canvas.
   */
  | { type: "flow"; id: string; ids?: readonly string[]; edge?: string };

/** How a spotlit element is drawn: the tour's focus, a reachable path, or where a path stops. */
/**
 * How a spotlight marks an element: lit by the tour, on a reach path, where a path is blocked, or
 * set aside (not drawn) while a step talks about what is not there: no line that looks like a cable.
 */
export type SpotTone = "tour" | "path" | "blocked" | "aside";

/** Elements lit by one source (the tour or the reach panel), by canvas element id. */
export type Spots = Record<string, SpotTone>;

export interface NodeData {
  id: string;
  kind: NodeKind;
  /** What is drawn when the element is seen close up (the document's figure). */
  label: string;
  /**
   * A bridge's label as drawn, wrapped by the canvas to the bridge's width:
   * with a zero-width space after each separator, the only places besides spaces where Cytoscape
   * breaks a line (card-text.ts's `breakable`). `label` stays the plain words, for the
   * automation hook and the tests.
   */
  wrap?: string;
  /** A dual-stack bridge's `wrap` without its IPv6 address, for a room too narrow for both (canvas-sync.ts). */
  wrapShort?: string;
  /**
   * What a container box or a room says when seen from afar, as a card (its name, its IP; a
   * room's network, bridge, subnet and members). Absent: the element has no card.
   */
  card?: string;
  /** What a host-level node (NIC, host-mode container) says from farthest away: its name. */
  short?: string;
  parent?: string;
  ref?: Ref;
  /** The room (`room:<networkId>` or the engine's unattached room) this element is drawn in. */
  room?: string;
  /** Container state, for styling stopped ones. */
  state?: string;
  /** A room's label: how many containers the room holds (its card counts them). */
  members?: number;
  /** A container box: how many lines its title has close up (name, image, published ports). */
  titleLines?: number;
  /** A container box: how many lines its card has (what it says from afar). */
  cardLines?: number;
  /** A container box: its least height from afar, model units, so that its card fits inside it. */
  cardH?: number;
  /**
   * A macvlan or ipvlan network's bar: not a bridge but the host interface its containers ride
   * on (the parent), drawn as the host's interfaces are.
   */
  riding?: boolean;
  /** A room's shell (its frame, card, bridge and span): the room is folded to its card (room-folding.ts). */
  folded?: boolean;
  /** A room's span: its extent, model units. */
  w?: number;
  h?: number;
}

export interface EdgeData {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  label?: string;
  /** The room the edge is built with (its source's). */
  room?: string;
  /** What a click on the line opens (a published port's path). */
  ref?: Ref;
  /** A bridge's way out with gateway mode "routed": no NAT (drawn solid). */
  routed?: boolean;
}

export type GraphElement = { group: "nodes"; data: NodeData } | { group: "edges"; data: EdgeData };

/** Element ids, stable across renders. */
export const ids = {
  host: (engineId: string) => `host:${engineId}`,
  nic: (engineId: string, name: string) => `nic:${engineId}:${name}`,
  /** Why an engine's box is empty: it cannot be read. */
  hostDown: (engineId: string) => `down:${engineId}`,
  /** One room per bridge network: the bridge, its veths, the namespaces of its containers. */
  room: (networkId: string) => `room:${networkId}`,
  /** Containers attached to no drawn bridge (none mode, a network not drawn) share one room per engine. */
  unattachedRoom: (engineId: string) => `room:unattached:${engineId}`,
  /**
   * What a room says from far away (network, bridge, count, names): a small leaf of its own, so a
   * member coming or going restyles only it, not the room (a compound) nor the bridge (its edges).
   */
  roomLabel: (roomId: string) => `label:${roomId}`,
  /** A closed room's extent (mount.ts). */
  roomSpan: (roomId: string) => `span:${roomId}`,
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
  natEdge: (networkId: string) => `e:nat:${networkId}`,
  ridesEdge: (containerId: string, ifname: string) => `e:rides:${containerId}:${ifname}`,
  parentEdge: (networkId: string) => `e:parent:${networkId}`,
  dnsEdge: (networkId: string) => `e:dns:${networkId}`,
  pidEdge: (containerId: string) => `e:pid:${containerId}`,
  /** A published port's node (host address:port) and its line to the container. */
  port: (containerId: string, protocol: string, hostIp: string, hostPort: number) =>
    `port:${containerId}:${protocol}:${hostIp}:${hostPort}`,
  publishEdge: (containerId: string, protocol: string, hostIp: string, hostPort: number) =>
    `e:publish:${containerId}:${protocol}:${hostIp}:${hostPort}`,
  /** Seen from afar, a container on a second network is tied to that network's bridge by this. */
  memberEdge: (containerId: string, networkId: string) => `e:member:${containerId}:${networkId}`,
  /**
   * A compose project's box in a room. The project's own network's room holds the plain id; a
   * room of another network that holds some of its containers gets one of its own.
   */
  compose: (engineId: string, project: string, otherRoom?: string) =>
    otherRoom ? `compose:${engineId}:${project}@${otherRoom}` : `compose:${engineId}:${project}`,
};
