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
    const els = toElements(t);
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

  it("a 0.0.0.0 binding is on the NIC", () => {
    const { t } = publishing(base, "0.0.0.0", 8081);
    const nic = t.hosts.local!.interfaces.find((i) => i.defaultRoute)!;
    expect(
      nodes(toElements(t))
        .find((n) => n.kind === "port")
        ?.label.startsWith(`${nic.name}  0.0.0.0:8081/tcp`),
    ).toBe(true);
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
    const drawn = new Set(toElements(t).map((e) => e.data.id));
    for (const spot of Object.keys(spots)) expect(drawn.has(spot), spot).toBe(true);
  });
});
