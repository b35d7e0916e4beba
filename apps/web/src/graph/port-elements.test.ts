import type { Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { EMPTY_LAYOUT, layout } from "./layout";
import { publishedSpots } from "./port-elements";
import { scenario } from "./scenarios.test-support";
import { ids, toElements, type EdgeData, type NodeData } from "./to-elements";

/** The user-bridge fixture with its first container publishing `hostIp:hostPort` -> 80/tcp. */
function publishing(base: Topology, hostIp: string, hostPort: number): { t: Topology; id: string } {
  const t = structuredClone(base);
  const c = Object.values(t.containers).find((x) => Object.values(x.endpoints).some((e) => e.ipv4))!;
  c.ports = [...c.ports, { containerPort: 80, protocol: "tcp", hostIp, hostPort }];
  return { t, id: c.id };
}

const nodes = (els: ReturnType<typeof toElements>) =>
  els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
const edges = (els: ReturnType<typeof toElements>) =>
  els.filter((e) => e.group === "edges").map((e) => e.data as EdgeData);

describe("published ports as paths", () => {
  const base = scenario("user-bridge");

  it("a 127.0.0.1 binding is a port on loopback, saying where NAT sends it, with a DNAT line to the NIC", () => {
    const { t, id } = publishing(base, "127.0.0.1", 8080);
    const c = t.containers[id]!;
    const els = toElements(t, undefined, undefined, id);
    const port = nodes(els).find((n) => n.kind === "port");
    expect(port?.id).toBe(ids.port(id, "tcp", "127.0.0.1", 8080));
    expect(port?.label).toBe(
      `lo (loopback)  127.0.0.1:8080/tcp\n→ NAT → ${c.name} ${Object.values(c.endpoints)[0]!.ipv4}:80`,
    );
    expect(port?.ref).toEqual({
      type: "published",
      containerId: id,
      protocol: "tcp",
      hostIp: "127.0.0.1",
      hostPort: 8080,
    });
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!;
    const line = edges(els).find((e) => e.kind === "publish");
    expect(line).toMatchObject({ source: port!.id, target: ids.nic("local", nic.name), ref: port!.ref });
  });

  it("-p 8081:80 (0.0.0.0 and ::) is one node on the NIC naming both families, and one line on the box", () => {
    const once = publishing(base, "0.0.0.0", 8081);
    const { t, id } = { t: publishing(once.t, "::", 8081).t, id: once.id };
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!;
    const ports = nodes(toElements(t, undefined, undefined, id)).filter((n) => n.kind === "port");
    expect(ports.map((n) => n.label.split("\n")[0])).toEqual([`${nic.name}  :8081/tcp (0.0.0.0 + ::)`]);
    const box = nodes(toElements(t)).find((n) => n.id === ids.container(id))!;
    expect(box.label.split("\n").filter((l) => l.includes("8081"))).toEqual([":8081 → 80/tcp  0.0.0.0 + ::"]);
    expect(box.card).toContain(":8081");
  });

  it("at rest no port is drawn in the host: the paths are drawn for the selected container only", () => {
    const { t, id } = publishing(base, "0.0.0.0", 8081);
    expect(nodes(toElements(t)).filter((n) => n.kind === "port")).toEqual([]);
    const other = Object.keys(t.containers).find((x) => x !== id)!;
    expect(nodes(toElements(t, undefined, undefined, other)).filter((n) => n.kind === "port")).toEqual([]);
    expect(nodes(toElements(t, undefined, undefined, id)).filter((n) => n.kind === "port")).toHaveLength(1);
  });

  it("a port published later moves nothing already drawn", () => {
    const before = layout(toElements(base), EMPTY_LAYOUT);
    const { t } = publishing(base, "127.0.0.1", 8080);
    const after = layout(toElements(t), before);
    for (const [id, p] of Object.entries(before.positions)) expect(after.positions[id], id).toEqual(p);
    const second = publishing(t, "0.0.0.0", 9090).t;
    const again = layout(toElements(second), after);
    for (const [id, p] of Object.entries(after.positions)) expect(again.positions[id], id).toEqual(p);
  });

  it("a click lights the path along what is drawn: the port, its line, the NIC, the NAT line and bridge, the box", () => {
    const { t, id } = publishing(base, "127.0.0.1", 8080);
    const networkId = Object.keys(t.containers[id]!.endpoints)[0]!;
    const spots = publishedSpots(t, {
      type: "published",
      containerId: id,
      protocol: "tcp",
      hostIp: "127.0.0.1",
      hostPort: 8080,
    });
    expect(Object.keys(spots)).toEqual(
      expect.arrayContaining([ids.natEdge(networkId), ids.bridge(networkId), ids.container(id)]),
    );
    const drawn = new Set(toElements(t, undefined, undefined, id).map((e) => e.data.id));
    for (const spot of Object.keys(spots)) expect(drawn.has(spot), spot).toBe(true);
  });
});
