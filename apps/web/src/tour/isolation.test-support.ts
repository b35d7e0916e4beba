import type { Container, Network, Topology } from "@netdive/model";
import { scenario } from "../graph/scenarios.test-support";

const hex = (seed: string) => seed.repeat(64).slice(0, 64);

/**
 * The lab's isolation scenario, made from the recorded user-bridge topology (no engine recording
 * of it exists yet): bridges iso-left and iso-right with iso-router on both, iso-quiet with ICC
 * off, iso-vault internal, each holding a container of the scenario.
 */
export function isolationTopology(): Topology {
  const t = scenario("user-bridge");
  const mynet = Object.values(t.networks).find((n) => n.embeddedDns) as Network;
  const template = Object.values(t.containers)[0] as Container;
  for (const id of Object.keys(t.containers)) delete t.containers[id];
  delete t.networks[mynet.id];

  const nets: Record<string, Network> = {};
  const octets = { left: 31, right: 32, quiet: 33, vault: 34 };
  for (const [role, octet] of Object.entries(octets)) {
    const id = hex(String(octet));
    nets[role] = {
      ...mynet,
      id,
      name: `nd-test-iso-${role}`,
      bridge: `br-${id.slice(0, 12)}`,
      subnets: [{ subnet: `10.${octet}.0.0/24`, gateway: `10.${octet}.0.1` }],
      internal: role === "vault",
      icc: role !== "quiet",
      containerIds: [],
    };
    t.networks[id] = nets[role] as Network;
  }
  const add = (name: string, seed: string, roles: string[]) => {
    const id = hex(seed);
    const c: Container = {
      ...template,
      id,
      name: `nd-test-${name}`,
      labScenario: "isolation",
      endpoints: {},
      interfaces: [{ name: "lo", ifindex: 1, mac: "00:00:00:00:00:00", addresses: ["127.0.0.1/8"], hostPeer: null }],
    };
    roles.forEach((role, i) => {
      const n = nets[role] as Network;
      const ip = `${n.subnets[0]?.gateway?.replace(/\.1$/, "")}.${10 + Number.parseInt(seed, 16)}`;
      c.endpoints[n.id] = {
        networkName: n.name,
        ipv4: ip,
        prefixLen: 24,
        mac: `02:42:0a:00:00:0${i}`,
        gateway: n.subnets[0]?.gateway ?? null,
        ipv6: null,
        aliases: [],
      };
      c.interfaces.push({
        name: `eth${i}`,
        ifindex: 10 + i,
        mac: `02:42:0a:00:00:0${i}`,
        addresses: [`${ip}/24`],
        hostPeer: { name: `veth${seed}${i}`, ifindex: 100 + i, bridge: n.bridge },
      });
      n.containerIds.push(id);
    });
    t.containers[id] = c;
  };
  add("iso-left-a", "a", ["left"]);
  add("iso-right-b", "b", ["right"]);
  add("iso-router", "c", ["left", "right"]);
  add("iso-quiet-a", "d", ["quiet"]);
  add("iso-vault-a", "e", ["vault"]);
  return t;
}
