import { readFileSync } from "node:fs";
import { buildTopology, type EngineInventory, type IpLink, type Topology } from "@netdive/model";

/**
 * A topology of `n` containers over `m` user-defined bridges, made from the user-bridge
 * inventory recorded on a real engine by cloning its container, its namespace read and its host
 * veth: the same shapes a real engine gives, at any size, without starting anything. Used to
 * profile the page's first render apart from the engine.
 */
export function syntheticTopology(n: number, m = 5): Topology {
  const url = new URL("../../packages/model/test/fixtures/user-bridge.json", import.meta.url);
  const inv = JSON.parse(readFileSync(url, "utf8")) as EngineInventory;
  const template = inv.containers[0]!;
  const network = inv.networks.find((x) => x.Driver === "bridge" && x.Name !== "bridge")!;
  const netns = inv.netns[template.Id];
  if (!inv.host.ok || !netns?.ok) throw new Error("the user-bridge fixture lacks its kernel reads");
  const host = inv.host;
  const hostLinks = host.links.filter((l) => l.linkinfo?.info_kind !== "veth" && !l.ifname.startsWith("br-"));
  const hex = (i: number, width: number) => i.toString(16).padStart(width, "0");

  const networks = Array.from({ length: m }, (_, k) => {
    const id = `${hex(k + 1, 12)}${"b".repeat(52)}`;
    const bridge: IpLink = {
      ...host.links.find((l) => l.ifname.startsWith("br-"))!,
      ifindex: 10_000 + k,
      ifname: `br-${id.slice(0, 12)}`,
      addr_info: [{ family: "inet", local: `10.${k + 1}.0.1`, prefixlen: 16 }],
    };
    hostLinks.push(bridge);
    return {
      ...network,
      Id: id,
      Name: `synthetic-net${k}`,
      IPAM: { Config: [{ Subnet: `10.${k + 1}.0.0/16`, Gateway: `10.${k + 1}.0.1` }] },
    };
  });
  const containers = [];
  const reads: EngineInventory["netns"] = {};
  for (let i = 0; i < n; i++) {
    const net = networks[i % m]!;
    const id = `${hex(i + 1, 12)}${"c".repeat(52)}`;
    const ip = `10.${(i % m) + 1}.${Math.floor(i / 250)}.${(i % 250) + 2}`;
    const eth0 = 20_000 + 2 * i;
    const veth = eth0 + 1;
    const [oldNet] = Object.values(template.NetworkSettings.Networks ?? {});
    containers.push({
      ...template,
      Id: id,
      Name: `/synthetic-${i}`,
      State: { ...template.State, Pid: 100_000 + i },
      HostConfig: { ...template.HostConfig, NetworkMode: net.Name },
      NetworkSettings: {
        ...template.NetworkSettings,
        Networks: { [net.Name]: { ...oldNet!, NetworkID: net.Id, IPAddress: ip, Gateway: `10.${(i % m) + 1}.0.1` } },
      },
    });
    reads[id] = {
      ...netns,
      links: netns.links.map((l) =>
        l.ifname === "eth0"
          ? { ...l, ifindex: eth0, link_index: veth, addr_info: [{ family: "inet", local: ip, prefixlen: 16 }] }
          : l,
      ),
    };
    hostLinks.push({
      ...host.links.find((l) => l.linkinfo?.info_kind === "veth")!,
      ifindex: veth,
      link_index: eth0,
      ifname: `veth${hex(i, 7)}`,
      master: `br-${net.Id.slice(0, 12)}`,
    });
  }
  return buildTopology([
    {
      ...inv,
      networks: [...inv.networks.filter((x) => x.Name === "bridge" || x.Driver !== "bridge"), ...networks],
      containers,
      netns: reads,
      host: { ...host, links: hostLinks },
    },
  ]);
}
