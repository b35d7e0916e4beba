import type { Container } from "@netdive/model";
import { ids, type EdgeData, type NodeData } from "./elements";
import type { BuildContext } from "./room-plan";

/**
 * Published ports as paths: for each port a container publishes, a node in the host's bottom row
 * for the host side (address:port, on the NIC, or on loopback for a 127.0.0.1 binding) and a line
 * from it to the container's box, through the engine's NAT. The nodes take slots of their own
 * below the NIC (layout.ts), so they never move what is already drawn; a click on either opens
 * the path's details with the DNAT rule and the proxy that carry it.
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
      const to = `${firstIp(c) ?? c.name}:${p.containerPort}`;
      const ref = { type: "published", containerId: c.id, protocol: p.protocol, hostIp, hostPort: p.hostPort } as const;
      const id = ids.port(c.id, p.protocol, hostIp, p.hostPort);
      nodes.push({
        id,
        kind: "port",
        parent: ids.host(engineId),
        label: `${on}  ${where}:${p.hostPort}/${p.protocol}\n→ NAT → ${c.name} ${to}`,
        card: `${where}:${p.hostPort} → ${c.name}`,
        short: `:${p.hostPort} → ${c.name}`,
        ref,
      });
      edges.push({
        id: ids.publishEdge(c.id, p.protocol, hostIp, p.hostPort),
        kind: "publish",
        source: id,
        target: ids.container(c.id),
        label: `${w.gPublished} ${p.hostPort} → ${p.containerPort}`,
        ref,
      });
    }
  }
  return { nodes, edges };
}

function firstIp(c: Container): string | null {
  for (const e of Object.values(c.endpoints)) if (e.ipv4) return e.ipv4;
  return null;
}
