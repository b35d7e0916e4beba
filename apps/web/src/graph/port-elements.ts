import type { Container, Topology } from "@netdive/model";
import { ids, type EdgeData, type NodeData, type Ref, type Spots } from "./elements";
import type { BuildContext } from "./room-plan";

/**
 * Published ports as paths: for each port a container publishes, a node in the host's bottom row
 * for the host side (address:port, on the NIC, or on loopback for a 127.0.0.1 binding) that says
 * where the engine's NAT sends it, and a short DNAT line up to the NIC, where every bridge's NAT
 * line comes down: the path then follows lines already drawn (NIC, NAT bus, bridge, box), which a
 * click lights (publishedSpots). A line straight to the box crossed every room between. The
 * nodes take slots of their own below the NIC (layout.ts), so they never move what is drawn.
 */
export function buildPorts(engineId: string, ctx: BuildContext): { nodes: NodeData[]; edges: EdgeData[] } {
  const { topology, visible, w } = ctx;
  const host = topology.hosts[engineId];
  if (!host) return { nodes: [], edges: [] };
  const nic = host.interfaces.find((i) => i.defaultRoute);
  const nodes: NodeData[] = [];
  const edges: EdgeData[] = [];
  const containers = Object.values(topology.containers)
    .filter((c) => c.engineId === engineId && visible.has(c.id) && c.state === "running")
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const c of containers) {
    for (const p of c.ports) {
      if (p.hostPort === undefined) continue;
      const hostIp = p.hostIp || "0.0.0.0";
      const loopback = hostIp.startsWith("127.") || hostIp === "::1";
      const on = loopback ? `lo (${w.gLoopback})` : (nic?.name ?? "");
      const where = hostIp.includes(":") ? `[${hostIp}]` : hostIp;
      const to = `${firstIp(c) ?? "?"}:${p.containerPort}`;
      const ref = { type: "published", containerId: c.id, protocol: p.protocol, hostIp, hostPort: p.hostPort } as const;
      const id = ids.port(c.id, p.protocol, hostIp, p.hostPort);
      nodes.push({
        id,
        kind: "port",
        parent: ids.host(engineId),
        label: `${on}  ${where}:${p.hostPort}/${p.protocol}\n→ NAT → ${c.name} ${to}`,
        card: `${loopback ? "lo " : ""}${where}:${p.hostPort}\n→ ${c.name}`,
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
  }
  return { nodes, edges };
}

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
