import { onEveryAddress, publishedPorts, type Container, type Topology } from "@netdive/model";
import { ids, type EdgeData, type NodeData, type Ref, type Spots } from "./elements";
import type { BuildContext } from "./room-plan";

/**
 * The host side of a container's published ports, drawn while the container (or one of its
 * ports) is selected: for each port a node below the NIC (address:port, on the NIC or on loopback
 * for a 127.0.0.1 binding, both address families on one node) that says where the engine's NAT
 * sends it, and a short DNAT line up to the NIC, where every bridge's NAT line comes down: the
 * path then follows lines already drawn (NIC, NAT bus, bridge, box), which a click lights
 * (publishedSpots). At rest a port is a line on its container's box (card-text.ts), so a host with
 * 200 published ports has the shape of the same host with none.
 */
export function buildPorts(
  engineId: string,
  ctx: BuildContext,
  pathsFor: string | null,
): { nodes: NodeData[]; edges: EdgeData[] } {
  const { topology, visible, w } = ctx;
  const host = topology.hosts[engineId];
  const c = pathsFor ? topology.containers[pathsFor] : undefined;
  if (!host || !c || c.engineId !== engineId || !visible.has(c.id) || c.state !== "running") {
    return { nodes: [], edges: [] };
  }
  const nic = host.interfaces.find((i) => i.defaultRoute);
  const nodes: NodeData[] = [];
  const edges: EdgeData[] = [];
  for (const p of publishedPorts(c)) {
    const hostIp = p.hostIps[0] as string;
    const loopback = p.hostIps.every((ip) => ip.startsWith("127.") || ip === "::1");
    const on = loopback ? `lo (${w.gLoopback})` : (nic?.name ?? "");
    const where = onEveryAddress(p) ? p.hostIps.join(" + ") : p.hostIps.map(bracketed).join(" + ");
    const to = `${firstIp(c) ?? "?"}:${p.containerPort}`;
    const ref = { type: "published", containerId: c.id, protocol: p.protocol, hostIp, hostPort: p.hostPort } as const;
    const id = ids.port(c.id, p.protocol, hostIp, p.hostPort);
    nodes.push({
      id,
      kind: "port",
      parent: ids.host(engineId),
      label: `${on}  ${onEveryAddress(p) ? "" : where}:${p.hostPort}/${p.protocol}${onEveryAddress(p) ? ` (${where})` : ""}\n→ NAT → ${c.name} ${to}`,
      card: `${loopback ? "lo " : ""}:${p.hostPort}/${p.protocol}\n→ ${c.name}`,
      // From far away its words are as tall as the NIC's: one short line, or it runs into the NIC.
      short: `${loopback ? "lo " : ""}:${p.hostPort}`,
      ref,
    });
    if (!nic) continue;
    edges.push({
      id: ids.publishEdge(c.id, p.protocol, hostIp, p.hostPort),
      kind: "publish",
      source: id,
      target: ids.nic(engineId, nic.name),
      label: "DNAT",
      ref,
    });
  }
  return { nodes, edges };
}

const bracketed = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);

/**
 * The elements a published port's path runs along, to light when it is clicked: its node and
 * DNAT line, the NIC, the NAT line and bridge of each network of the container, and its box.
 */
export function publishedSpots(topology: Topology, ref: Extract<Ref, { type: "published" }>): Spots {
  const c = topology.containers[ref.containerId];
  if (!c) return {};
  const spots: Spots = {
    [ids.port(c.id, ref.protocol, ref.hostIp, ref.hostPort)]: "path",
    [ids.publishEdge(c.id, ref.protocol, ref.hostIp, ref.hostPort)]: "path",
    [ids.container(c.id)]: "path",
  };
  const nic = topology.hosts[c.engineId]?.interfaces.find((i) => i.defaultRoute);
  if (nic) spots[ids.nic(c.engineId, nic.name)] = "path";
  for (const networkId of Object.keys(c.endpoints)) {
    spots[ids.natEdge(networkId)] = "path";
    spots[ids.bridge(networkId)] = "path";
  }
  return spots;
}

function firstIp(c: Container): string | null {
  for (const e of Object.values(c.endpoints)) if (e.ipv4) return e.ipv4;
  return null;
}
