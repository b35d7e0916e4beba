import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseIptablesSave } from "./firewall";
import { networkRules } from "./network-rules";
import type { Network } from "./topology";

const text = ["docker-20.10-filter.txt", "docker-20.10-nat.txt"]
  .map((n) => readFileSync(new URL(`../test/fixtures/firewall/${n}`, import.meta.url), "utf8"))
  .join("\n");

/** The recorded 20.10 networks (fixtures/firewall/README.md). */
const net = (bridge: string, subnet: string, extra: Partial<Network> = {}) =>
  ({
    id: bridge,
    name: bridge,
    bridge,
    internal: false,
    icc: true,
    subnets: [{ subnet, gateway: null }],
    ...extra,
  }) as Network;

describe("networkRules: a bridge's NAT line and the rules that name it (Docker 20.10)", () => {
  const rules = parseIptablesSave(text);

  it("starts with the MASQUERADE behind the NAT line, then the bridge's forward, isolation and DNAT rules", () => {
    const found = networkRules(net("br-8a8efaa75310", "172.24.0.0/16"), rules);
    expect(found[0]).toMatchObject({
      table: "nat",
      chain: "POSTROUTING",
      rule: "-A POSTROUTING -s 172.24.0.0/16 ! -o br-8a8efaa75310 -j MASQUERADE",
      about: "masquerade",
    });
    expect(found.find((e) => e.chain === "DOCKER-ISOLATION-STAGE-2")).toMatchObject({
      verdict: "DROP",
      about: "isolation",
    });
    expect(found.filter((e) => e.about === "dnat").map((e) => e.rule)).toHaveLength(2);
  });

  it("names the ICC drop of a bridge with ICC off, and an internal bridge's drops", () => {
    const noIcc = networkRules(net("br-56b275a00568", "172.26.0.0/16", { icc: false }), rules);
    expect(noIcc.find((e) => e.about === "icc")?.rule).toBe("-A FORWARD -i br-56b275a00568 -o br-56b275a00568 -j DROP");
    const internal = networkRules(net("br-aaede58b500d", "172.25.0.0/16", { internal: true }), rules);
    expect(internal.filter((e) => e.verdict === "DROP").map((e) => e.chain)).toEqual([
      "DOCKER-ISOLATION-STAGE-1",
      "DOCKER-ISOLATION-STAGE-1",
    ]);
    expect(internal.some((e) => e.about === "masquerade")).toBe(false);
  });
});
