import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import type { EngineInventory } from "./inventory";
import { explainReach } from "./reach";
import type { Topology } from "./topology";

/**
 * Gateway modes (issue 27.3): Docker 28 reads `com.docker.network.bridge.gateway_mode_ipv4` and
 * `_ipv6` and `trusted_host_interfaces`; Docker 20.10 ignores them (NAT, always), so netdive
 * reports them only for engines that honour them. The live side is
 * apps/server/test/gateway-modes.int.test.ts.
 */

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8")) as EngineInventory;

/** The recorded user-defined bridge, with a host-mode container beside it, on an engine of `api`. */
function host(api: string, options: Record<string, string>): Topology {
  const inv = fixture("user-bridge");
  inv.engine.apiVersion = api;
  const mynet = inv.networks.find((n) => n.Name.endsWith("-mynet"))!;
  mynet.Options = { ...mynet.Options, ...options };
  const hostMode = fixture("host").containers.find((c) => c.HostConfig.NetworkMode === "host")!;
  inv.containers.push(hostMode);
  return buildTopology([inv], 1);
}

const mynet = (t: Topology) => Object.values(t.networks).find((n) => n.name.endsWith("-mynet"))!;
const named = (t: Topology, suffix: string) => Object.values(t.containers).find((c) => c.name.endsWith(suffix))!;

describe("gateway modes", () => {
  it("are read where the engine honours them (API 1.48, Docker 28): per family, nat unless set", () => {
    const t = host("1.48", {
      "com.docker.network.bridge.gateway_mode_ipv4": "routed",
      "com.docker.network.bridge.trusted_host_interfaces": "eth1:wg0",
    });
    expect(mynet(t).gatewayMode).toEqual({ ipv4: "routed", ipv6: "nat" });
    expect(mynet(t).trustedHostInterfaces).toEqual(["eth1", "wg0"]);
    // Every bridge has a mode there; other drivers have none.
    const docker0 = Object.values(t.networks).find((n) => n.name === "bridge")!;
    expect(docker0.gatewayMode).toEqual({ ipv4: "nat", ipv6: "nat" });
    expect(Object.values(t.networks).find((n) => n.name === "host")!.gatewayMode).toBeUndefined();
  });

  it("are not reported where the engine ignores the option (Docker 20.10: NAT, whatever the option says)", () => {
    const t = host("1.41", { "com.docker.network.bridge.gateway_mode_ipv4": "isolated" });
    expect(mynet(t).gatewayMode).toBeUndefined();
    expect(mynet(t).trustedHostInterfaces).toBeUndefined();
  });

  it("isolated: the host and a container only on that network cannot reach each other; its members still can", () => {
    const t = host("1.50", { "com.docker.network.bridge.gateway_mode_ipv4": "isolated" });
    const [db, web, h] = [named(t, "-mynet-db"), named(t, "-mynet-web"), named(t, "-host-tools")];
    expect(h?.networkMode).toBe("host");
    for (const [a, b] of [
      [h, db],
      [db, h],
    ])
      expect(explainReach(t, a!.id, b!.id).ip).toMatchObject({ reachable: false, code: "gateway-isolated" });
    expect(explainReach(t, db.id, web.id).ip).toMatchObject({ reachable: true, code: "shared-network" });
    // The same network on Docker 20.10: the option is ignored, the host reaches it.
    const old = host("1.41", { "com.docker.network.bridge.gateway_mode_ipv4": "isolated" });
    expect(explainReach(old, named(old, "-host-tools").id, named(old, "-mynet-db").id).ip.reachable).toBe(true);
  });
});
