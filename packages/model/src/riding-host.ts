import type { EngineInventory, IpLink, RawContainer } from "./inventory";

/** The network {@link withParentNetwork} adds, and the host interface it rides on. */
export const RIDING = { id: "e".repeat(64), name: "nd-riding", subnet: "10.77.0.0/24", parentIfindex: 9001 };

/**
 * A recorded inventory with every running container moved onto one macvlan or ipvlan network
 * riding on a host interface `parent`: the network as `docker network inspect` gives it (its
 * options), and each container's eth0 as `ip -d -j addr show` prints a macvlan child, shaped on
 * one read on this machine's kernel (Linux 6.1, macvlan bridge mode); the ipvlan shape follows
 * iproute2's documented output (`info_data.mode` "l2", "l3" or "l3s"), as this kernel refuses
 * ipvlan ports.
 */
export function withParentNetwork(
  recorded: EngineInventory,
  driver: "macvlan" | "ipvlan",
  mode: string,
  parent = "eth9",
): EngineInventory {
  const inv = JSON.parse(JSON.stringify(recorded)) as EngineInventory;
  const modeOption = driver === "macvlan" ? "macvlan_mode" : "ipvlan_mode";
  inv.networks.push({
    Id: RIDING.id,
    Name: RIDING.name,
    Driver: driver,
    Scope: "local",
    Internal: false,
    IPAM: { Config: [{ Subnet: RIDING.subnet, Gateway: "10.77.0.1" }] },
    Options: { parent, [modeOption]: mode },
    Labels: {},
  });
  const hostLinks = inv.host.ok ? inv.host.links : [];
  // A parent the host already has (its NIC, say) is that link; else one is added.
  const existing = hostLinks.find((l: IpLink) => l.ifname === parent);
  const parentIfindex = existing?.ifindex ?? RIDING.parentIfindex;
  if (!existing)
    hostLinks.push({
      ifindex: RIDING.parentIfindex,
      ifname: parent,
      flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
      mtu: 1500,
      operstate: "UP",
      link_type: "ether",
      address: "3a:8a:18:5b:ef:70",
    });
  inv.containers.forEach((c: RawContainer, k: number) => {
    const read = inv.netns[c.Id];
    if (!c.State.Running || !read?.ok) return;
    const ip = `10.77.0.${k + 2}`;
    const mac = `02:42:0a:4d:00:${(k + 2).toString(16).padStart(2, "0")}`;
    c.HostConfig.NetworkMode = RIDING.name;
    c.NetworkSettings.Networks = {
      [RIDING.name]: {
        NetworkID: RIDING.id,
        EndpointID: "f".repeat(64),
        Gateway: "10.77.0.1",
        IPAddress: ip,
        IPPrefixLen: 24,
        MacAddress: mac,
      },
    };
    const eth0: IpLink = {
      ifindex: 23125 + k,
      link_index: parentIfindex,
      link_netnsid: 0,
      ifname: "eth0",
      flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
      mtu: 1500,
      operstate: "UP",
      link_type: "ether",
      address: mac,
      linkinfo: { info_kind: driver, info_data: { mode } },
      addr_info: [{ family: "inet", local: ip, prefixlen: 24 }],
    };
    read.links = [...read.links.filter((l: IpLink) => l.ifname !== "eth0"), eth0];
  });
  return inv;
}
