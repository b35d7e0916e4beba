import { netnsOwner, ridesOnParent, type Container, type ReachAnswer, type Topology } from "@netdive/model";
import type { Spots } from "./elements";
import { ids } from "./to-elements";

/**
 * The canvas elements a reach answer lights: the way the packet goes (container box, its eth0,
 * the veth pair, the bridge, and the same on the other side), or, when there is no way, the two
 * ends and the bridges that do not meet, drawn as blocked. Pure: the canvas only adds classes.
 */
export function reachSpots(topology: Topology, answer: ReachAnswer): Spots {
  const from = topology.containers[answer.from.id];
  const to = topology.containers[answer.to.id];
  if (!from || !to) return {};
  const spots: Spots = {};
  const light = (tone: "path" | "blocked", ...elementIds: string[]) => {
    for (const id of elementIds) spots[id] = tone;
  };
  const via = answer.ip.via;
  if (!answer.ip.reachable || !via) {
    light("blocked", ids.container(from.id), ids.container(to.id));
    for (const c of [netnsOwner(topology, from), netnsOwner(topology, to)]) {
      for (const netId of Object.keys(c.endpoints)) {
        const n = topology.networks[netId];
        if (n && (n.driver === "bridge" || ridesOnParent(n))) light("blocked", ids.bridge(netId));
      }
    }
    return spots;
  }
  light("path", ids.container(from.id), ids.container(to.id));
  const a = netnsOwner(topology, from);
  const b = netnsOwner(topology, to);
  if (via.kind === "netns") {
    light("path", ids.container(a.id));
    return spots;
  }
  if (via.kind === "network" && via.networkId) {
    light(
      "path",
      ids.bridge(via.networkId),
      ...sideOf(topology, a, via.networkId),
      ...sideOf(topology, b, via.networkId),
    );
    return spots;
  }
  // Through the host's own stack: the host box, and the bridge side of whichever end is not host-mode.
  light("path", ids.host(from.engineId));
  if (via.networkId) {
    const bridged = a.networkMode === "host" ? b : a;
    light("path", ids.bridge(via.networkId), ...sideOf(topology, bridged, via.networkId));
  }
  return spots;
}

/**
 * A container's way onto one network: its interface, the veth pair and the veth's plug into the
 * bridge; on a macvlan or ipvlan network, its interface and its line to the parent's bar.
 */
function sideOf(topology: Topology, c: Container, networkId: string): string[] {
  const network = topology.networks[networkId];
  if (network && ridesOnParent(network)) {
    // A macvlan or ipvlan child: its interface rides straight on the parent's bar, no veth.
    const iface = c.interfaces.find((i) => i.parent && i.parent.name === network.parent);
    if (iface) return [ids.iface(c.id, iface.name), ids.ridesEdge(c.id, iface.name)];
  }
  const bridge = network?.bridge;
  const iface = c.interfaces.find((i) => i.hostPeer && i.hostPeer.bridge === bridge);
  if (iface?.hostPeer) {
    const veth = iface.hostPeer.name;
    return [
      ids.iface(c.id, iface.name),
      ids.pairEdge(c.id, iface.name),
      ids.veth(c.engineId, veth),
      ids.masterEdge(c.engineId, veth),
    ];
  }
  // Kernel facts not visible: the attachment the API reports.
  return [ids.apiIface(c.id, networkId), ids.apiEdge(c.id, networkId)];
}
