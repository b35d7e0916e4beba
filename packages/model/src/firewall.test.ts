import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  dnatRules,
  masqueradeRules,
  mergeRulesets,
  parseIptablesSave,
  parseNftRuleset,
  walkForward,
  type Ruleset,
} from "./firewall";

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/firewall/${name}`, import.meta.url), "utf8");
const iptables = (...names: string[]) => parseIptablesSave(names.map(fixture).join("\n"));

/**
 * Docker 28.5's recorded nft ruleset plus a table of one's own ("ip mine") whose forward chain
 * ("fwd", before Docker's) holds one rule of `expr`, and named `sets` in that table.
 */
function withOwnForward(expr: unknown[], { comment, sets = [] }: { comment?: string; sets?: unknown[] } = {}): Ruleset {
  const doc = JSON.parse(fixture("docker-28.5-nftables-ruleset.json")) as { nftables: unknown[] };
  const own = { family: "ip", table: "mine" };
  doc.nftables.push(
    { table: { family: "ip", name: "mine", handle: 99 } },
    ...sets.map((set) => ({ set })),
    { chain: { ...own, name: "fwd", handle: 1, type: "filter", hook: "forward", prio: -1, policy: "accept" } },
    { rule: { ...own, chain: "fwd", handle: 2, expr, ...(comment ? { comment } : {}) } },
  );
  return parseNftRuleset(JSON.stringify(doc));
}

/** The bridges and addresses of each recorded layout (fixtures/firewall/README.md). */
const LAYOUTS = {
  "20.10": {
    set: () => iptables("docker-20.10-filter.txt", "docker-20.10-nat.txt"),
    net: { bridge: "br-8a8efaa75310", web: "172.24.0.2", peer: "172.24.0.3", subnet: "172.24.0.0/16" },
    internal: { bridge: "br-aaede58b500d", ip: "172.25.0.2" },
    noIcc: { bridge: "br-56b275a00568", a: "172.26.0.2", b: "172.26.0.3" },
  },
  "28.5 iptables-save": {
    set: () => iptables("docker-28.5-raw.txt", "docker-28.5-filter.txt", "docker-28.5-nat.txt"),
    net: { bridge: "br-d679ba6b0ec3", web: "172.18.0.2", peer: "172.18.0.3", subnet: "172.18.0.0/16" },
    internal: { bridge: "br-96c275a66ce6", ip: "172.19.0.2" },
    noIcc: { bridge: "br-ac2939e962ec", a: "172.20.0.2", b: "172.20.0.3" },
  },
  "28.5 nft -j": {
    set: () => parseNftRuleset(fixture("docker-28.5-nftables-ruleset.json")),
    net: { bridge: "br-d679ba6b0ec3", web: "172.18.0.2", peer: "172.18.0.3", subnet: "172.18.0.0/16" },
    internal: { bridge: "br-96c275a66ce6", ip: "172.19.0.2" },
    noIcc: { bridge: "br-ac2939e962ec", a: "172.20.0.2", b: "172.20.0.3" },
  },
  "29 iptables-save (hand-written)": {
    set: () => iptables("docker-29-filter.txt"),
    net: { bridge: "br-1111aaaa2222", web: "172.18.0.2", peer: "172.18.0.3", subnet: "172.18.0.0/16" },
    internal: { bridge: "br-3333bbbb4444", ip: "172.19.0.2" },
    noIcc: { bridge: "br-5555cccc6666", a: "172.20.0.2", b: "172.20.0.3" },
  },
  "29 nft docker-bridges (hand-written)": {
    set: () => parseNftRuleset(fixture("docker-29-nftables-ruleset.json")),
    net: { bridge: "br-1111aaaa2222", web: "172.18.0.2", peer: "172.18.0.3", subnet: "172.18.0.0/16" },
    internal: { bridge: "br-3333bbbb4444", ip: "172.19.0.2" },
    noIcc: { bridge: "br-5555cccc6666", a: "172.20.0.2", b: "172.20.0.3" },
  },
} as const;

describe.each(Object.entries(LAYOUTS))("the forward walk on Docker %s", (_, l) => {
  const set: Ruleset = l.set();

  it("lets two containers on one bridge talk", () => {
    const p = { src: l.net.peer, dst: l.net.web, in: l.net.bridge, out: l.net.bridge };
    expect(walkForward(set, p).verdict).toBe("ACCEPT");
  });

  it("drops a packet from one bridge to another, at an isolation rule", () => {
    const p = { src: l.noIcc.a, dst: l.net.web, in: l.noIcc.bridge, out: l.net.bridge };
    const walk = walkForward(set, p);
    expect(walk.verdict).toBe("DROP");
    expect(walk.rule?.rule).toMatch(/drop|DROP/);
  });

  it("drops a packet between two containers of a bridge with ICC off, at the bridge's own rule", () => {
    const p = { src: l.noIcc.a, dst: l.noIcc.b, in: l.noIcc.bridge, out: l.noIcc.bridge };
    const walk = walkForward(set, p);
    expect(walk.verdict).toBe("DROP");
    expect(walk.rule?.rule).toContain(l.noIcc.bridge);
  });

  it("drops a packet out of an internal network", () => {
    const p = { src: l.internal.ip, dst: l.net.web, in: l.internal.bridge, out: l.net.bridge };
    expect(walkForward(set, p).verdict).toBe("DROP");
  });

  it("evaluates every match of Docker's own rules on these paths: no answer hangs on a rule it cannot read", () => {
    const paths = [
      { src: l.net.peer, dst: l.net.web, in: l.net.bridge, out: l.net.bridge },
      { src: l.noIcc.a, dst: l.net.web, in: l.noIcc.bridge, out: l.net.bridge },
      { src: l.noIcc.a, dst: l.noIcc.b, in: l.noIcc.bridge, out: l.noIcc.bridge },
      { src: l.internal.ip, dst: l.net.web, in: l.internal.bridge, out: l.net.bridge },
    ];
    for (const p of paths) {
      for (const state of ["new", "established"] as const) {
        for (const proto of [undefined, "tcp"]) {
          expect(walkForward(set, { ...p, state, proto, dport: proto ? 80 : undefined }).unsure).toEqual([]);
        }
      }
    }
  });
});

describe("published ports and NAT lines in the recorded tables", () => {
  it.each([
    [
      "20.10",
      iptables("docker-20.10-nat.txt"),
      "172.24.0.2",
      "-A DOCKER -d 127.0.0.1/32 ! -i br-8a8efaa75310 -p tcp -m tcp --dport 18080 -j DNAT --to-destination 172.24.0.2:80",
    ],
    [
      "28.5",
      iptables("docker-28.5-nat.txt"),
      "172.18.0.2",
      "-A DOCKER -d 127.0.0.1/32 ! -i br-d679ba6b0ec3 -p tcp -m tcp --dport 18080 -j DNAT --to-destination 172.18.0.2:80",
    ],
  ])("Docker %s: the DNAT of 127.0.0.1:18080 is found by its container address, with its text", (_, set, ip, text) => {
    const tcp = dnatRules(set, ip, 80, "tcp");
    expect(tcp.map((r) => [r.table, r.chain, r.rule, r.dport])).toEqual([["nat", "DOCKER", text, 18080]]);
    expect(dnatRules(set, ip, 80, "udp").map((r) => r.dport)).toEqual([8081]);
  });

  it("nft -j shows iptables-nft's DNAT without its destination, so those tables are read with iptables-save (Docker 28.5, nftables)", () => {
    const nft = parseNftRuleset(fixture("docker-28.5-nftables-ruleset.json"));
    const opaque = nft.rules.filter((r) => r.verdict === "DNAT");
    expect(opaque.map((r) => [r.table, r.dport, r.to])).toEqual([
      ["ip nat", 18080, undefined],
      ["ip nat", 8081, undefined],
    ]);
    const merged = mergeRulesets(iptables("docker-28.5-filter.txt", "docker-28.5-nat.txt"), nft);
    expect(dnatRules(merged, "172.18.0.2", 80, "tcp").map((r) => [r.table, r.dport, r.to])).toEqual([
      ["nat", 18080, "172.18.0.2:80"],
    ]);
    expect(merged.rules.some((r) => r.table === "ip filter")).toBe(false);
  });

  it("reads Docker 29's docker-bridges DNAT and MASQUERADE", () => {
    const set = parseNftRuleset(fixture("docker-29-nftables-ruleset.json"));
    expect(dnatRules(set, "172.18.0.2", 80, "tcp").map((r) => [r.table, r.chain, r.dport])).toEqual([
      ["ip docker-bridges", "nat-prerouting-and-output", 8080],
    ]);
    expect(masqueradeRules(set, "172.18.0.0/16")).toHaveLength(1);
  });

  it("names the MASQUERADE behind the 20.10 bridge's NAT line", () => {
    expect(masqueradeRules(iptables("docker-20.10-nat.txt"), "172.24.0.0/16").map((r) => r.rule)).toEqual([
      "-A POSTROUTING -s 172.24.0.0/16 ! -o br-8a8efaa75310 -j MASQUERADE",
    ]);
  });
});

describe("rules Docker did not write", () => {
  const base = fixture("docker-20.10-filter.txt");

  it("a DOCKER-USER drop of one pair decides before Docker's accept, with its comment", () => {
    const user = '-A DOCKER-USER -s 172.24.0.3/32 -d 172.24.0.2/32 -m comment --comment "netdive-test-x" -j DROP';
    const set = parseIptablesSave(base.replace("-A DOCKER-USER -j RETURN", `${user}\n-A DOCKER-USER -j RETURN`));
    const walk = walkForward(set, {
      src: "172.24.0.3",
      dst: "172.24.0.2",
      in: "br-8a8efaa75310",
      out: "br-8a8efaa75310",
    });
    expect(walk).toMatchObject({
      verdict: "DROP",
      rule: { chain: "DOCKER-USER", rule: user, comment: "netdive-test-x" },
    });
    const other = walkForward(set, {
      src: "172.24.0.2",
      dst: "172.24.0.3",
      in: "br-8a8efaa75310",
      out: "br-8a8efaa75310",
    });
    expect(other.verdict).toBe("ACCEPT");
  });

  it("an nft table of one's own with a forward hook drops before Docker's chains accept", () => {
    const walk = walkForward(
      withOwnForward(
        [
          { match: { op: "==", left: { payload: { protocol: "ip", field: "saddr" } }, right: "172.18.0.3" } },
          { match: { op: "==", left: { payload: { protocol: "ip", field: "daddr" } }, right: "172.18.0.2" } },
          { drop: null },
        ],
        { comment: "netdive-test-x" },
      ),
      {
        src: "172.18.0.3",
        dst: "172.18.0.2",
        in: "br-d679ba6b0ec3",
        out: "br-d679ba6b0ec3",
      },
    );
    expect(walk).toMatchObject({ verdict: "DROP", rule: { table: "ip mine", chain: "fwd" } });
    expect(walk.rule?.rule).toBe('ip saddr 172.18.0.3 ip daddr 172.18.0.2 drop comment "netdive-test-x"');
  });

  describe("the matches people write in DOCKER-USER", () => {
    const bridge = "br-8a8efaa75310";
    const web = { src: "172.24.0.3", dst: "172.24.0.2", in: bridge, out: bridge };
    const withUser = (...lines: string[]) =>
      parseIptablesSave(base.replace("-A DOCKER-USER -j RETURN", `${lines.join("\n")}\n-A DOCKER-USER -j RETURN`));

    it.each([
      ["a port range", "-A DOCKER-USER -p tcp -m tcp --dport 8000:9000 -j DROP", 8080, 80],
      ["multiport", "-A DOCKER-USER -p tcp -m multiport --dports 22,80,443 -j DROP", 80, 8080],
      ["a negated port", "-A DOCKER-USER -p tcp -m tcp ! --dport 443 -j DROP", 80, 443],
      ["an open-ended range", "-A DOCKER-USER -p tcp -m tcp --dport 1024: -j DROP", 8080, 80],
    ])("%s: drops the ports it names and no other", (_, line, dropped, passed) => {
      const set = withUser(line);
      expect(walkForward(set, { ...web, proto: "tcp", dport: dropped })).toMatchObject({
        verdict: "DROP",
        rule: { rule: line },
        unsure: [],
      });
      expect(walkForward(set, { ...web, proto: "tcp", dport: passed }).verdict).toBe("ACCEPT");
      expect(walkForward(set, web).verdict, "a ping has no port").toBe("ACCEPT");
    });

    it("an address range (-m iprange) holds for the addresses in it only", () => {
      const line = "-A DOCKER-USER -m iprange --src-range 172.24.0.3-172.24.0.9 -j DROP";
      const set = withUser(line);
      expect(walkForward(set, web)).toMatchObject({ verdict: "DROP", rule: { rule: line } });
      expect(walkForward(set, { ...web, src: "172.24.0.2", dst: "172.24.0.3" }).verdict).toBe("ACCEPT");
      expect(walkForward(set, { ...web, src: "172.24.0.10" }).verdict).toBe("ACCEPT");
    });

    it("a state match: NEW holds for a connection's first packet, not for its replies", () => {
      const line = "-A DOCKER-USER -s 172.24.0.3/32 -m state --state NEW -j DROP";
      const set = withUser(line);
      expect(walkForward(set, web)).toMatchObject({ verdict: "DROP", rule: { rule: line } });
      expect(walkForward(set, { ...web, state: "established" }).verdict).toBe("ACCEPT");
    });

    it("an ipset netdive cannot read is taken as not matching, and named as what the answer hangs on", () => {
      const line = "-A DOCKER-USER -m set --match-set blocked src -j DROP";
      const walk = walkForward(withUser(line), web);
      expect(walk.verdict).toBe("ACCEPT");
      expect(walk.unsure).toEqual([{ rule: expect.objectContaining({ rule: line, opaque: "set" }), then: "DROP" }]);
      // Where it could not change the answer (another rule drops first), it is not named.
      const first = "-A DOCKER-USER -s 172.24.0.3/32 -j DROP";
      expect(walkForward(withUser(first, line), web)).toMatchObject({ verdict: "DROP", unsure: [] });
      // Nor where its other matches already fail (another source).
      const scoped = "-A DOCKER-USER -s 10.0.0.0/8 -m set --match-set blocked dst -j DROP";
      expect(walkForward(withUser(scoped), web).unsure).toEqual([]);
    });

    it("nft: a named set of addresses and a set of ports are read from the ruleset", () => {
      const match = (left: unknown, right: unknown) => ({ match: { op: "==", left, right } });
      const blocked = {
        family: "ip",
        table: "mine",
        name: "blocked",
        type: "ipv4_addr",
        flags: ["interval"],
        elem: [{ prefix: { addr: "172.18.0.0", len: 30 } }, { range: ["172.18.0.10", "172.18.0.20"] }],
      };
      const set = withOwnForward(
        [
          match({ payload: { protocol: "ip", field: "saddr" } }, "@blocked"),
          match({ payload: { protocol: "th", field: "dport" } }, { set: [80, { range: [8000, 9000] }] }),
          { drop: null },
        ],
        { sets: [blocked] },
      );
      const p = { src: "172.18.0.3", dst: "172.18.0.2", in: "br-d679ba6b0ec3", out: "br-d679ba6b0ec3", proto: "tcp" };
      const walk = walkForward(set, { ...p, dport: 8500 });
      expect(walk).toMatchObject({ verdict: "DROP", rule: { table: "ip mine" }, unsure: [] });
      expect(walk.rule?.rule).toBe("ip saddr @blocked th dport { 80, 8000-9000 } drop");
      expect(walkForward(set, { ...p, dport: 443 }).verdict).toBe("ACCEPT");
      expect(walkForward(set, { ...p, src: "172.18.0.15", dport: 80 }).verdict).toBe("DROP");
      expect(walkForward(set, { ...p, src: "172.18.0.5", dport: 80 }).verdict).toBe("ACCEPT");
    });
  });

  it("refuses text that is not nft's JSON rather than reading it as no rules", () => {
    expect(() => parseNftRuleset("{}")).toThrow(/nftables array/);
  });
});
