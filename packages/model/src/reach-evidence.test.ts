import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import { parseIptablesSave } from "./firewall";
import type { EngineInventory } from "./inventory";
import { parseProxyArgs, publishedPaths } from "./published";
import { explainReach } from "./reach";
import { withEvidence } from "./reach-evidence";
import type { Topology } from "./topology";

/** The user-bridge scenario recorded on Docker 20.10: mynet with web and db. */
const topology: Topology = buildTopology([
  JSON.parse(readFileSync(new URL("../test/fixtures/user-bridge.json", import.meta.url), "utf8")) as EngineInventory,
]);
const web = Object.values(topology.containers).find((c) => c.name.endsWith("mynet-web"))!;
const db = Object.values(topology.containers).find((c) => c.name.endsWith("mynet-db"))!;
const networkId = Object.keys(web.endpoints)[0]!;
const network = topology.networks[networkId]!;
const br = network.bridge!;
const ipOf = (c: typeof web) => Object.values(c.endpoints)[0]!.ipv4!;

/** Docker 20.10's forward rules for this one bridge, with `user` lines in DOCKER-USER. */
function rules(...user: string[]) {
  return parseIptablesSave(`*filter
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o ${br} -j DOCKER
-A FORWARD -i ${br} ! -o ${br} -j ACCEPT
-A FORWARD -i ${br} -o ${br} -j ACCEPT
${user.join("\n")}
-A DOCKER-USER -j RETURN
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A POSTROUTING -s ${network.subnets[0]!.subnet} ! -o ${br} -j MASQUERADE
-A DOCKER -d 127.0.0.1/32 ! -i ${br} -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${ipOf(web)}:80
COMMIT
`);
}

describe("withEvidence", () => {
  it("names the rule that lets two containers on one bridge talk, and the MASQUERADE behind the NAT line", () => {
    const answer = withEvidence(topology, explainReach(topology, web.id, db.id), rules(), null);
    expect(answer.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(answer.evidence?.[0]).toEqual({
      table: "filter",
      chain: "FORWARD",
      rule: `-A FORWARD -i ${br} -o ${br} -j ACCEPT`,
      verdict: "ACCEPT",
      about: "accept",
      where: "host",
    });
    expect(answer.evidence?.find((e) => e.about === "masquerade")?.rule).toContain("-j MASQUERADE");
  });

  it("follows a DOCKER-USER drop against the documented answer, and says so with the rule", () => {
    const drop = `-A DOCKER-USER -s ${ipOf(web)}/32 -d ${ipOf(db)}/32 -m comment --comment "netdive-test-u" -j DROP`;
    const answer = withEvidence(topology, explainReach(topology, web.id, db.id), rules(drop), null);
    expect(answer.ip).toMatchObject({ reachable: false, code: "blocked-by-rule", via: null });
    expect(answer.ip.reason).toBe(
      `Docker's own rules would let ${web.name} reach ${db.name}, but the host's firewall drops the packet: blocked by DOCKER-USER: ${drop}.`,
    );
    expect(answer.evidence?.[0]).toMatchObject({ chain: "DOCKER-USER", verdict: "DROP", about: "user" });
    // The rule drops db's replies to web as well, so db cannot reach web either.
    const back = withEvidence(topology, explainReach(topology, db.id, web.id), rules(drop), null);
    expect(back.ip).toMatchObject({ reachable: false, code: "blocked-by-rule" });
  });

  it("says what the answer hangs on where a rule has a match netdive cannot evaluate (an ipset)", () => {
    const set = `-A DOCKER-USER -s ${ipOf(web)}/32 -m set --match-set quarantine dst -j DROP`;
    const answer = withEvidence(topology, explainReach(topology, web.id, db.id), rules(set), null);
    // The documented answer stands: the rule is taken as not matching.
    expect(answer.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(answer.caveats).toEqual([
      `netdive cannot evaluate "set" in DOCKER-USER (${set}) and took the rule as not matching: if it matches, the packet is dropped.`,
    ]);
    expect(answer.evidence?.find((e) => e.about === "unevaluated")).toMatchObject({
      chain: "DOCKER-USER",
      rule: set,
      verdict: "DROP",
      note: answer.caveats?.[0],
    });
    // In Spanish too.
    const es = withEvidence(topology, explainReach(topology, web.id, db.id, "es"), rules(set), null, "es");
    expect(es.caveats?.[0]).toMatch(/^netdive no puede evaluar «set» en DOCKER-USER .* el paquete se descarta\.$/);
    // db -> web hangs on it as well: web's replies come from web's address and would be dropped.
    expect(withEvidence(topology, explainReach(topology, db.id, web.id), rules(set), null).caveats).toHaveLength(1);
    // Limited to new connections, the rule cannot touch replies: db -> web no longer hangs on it.
    const fresh = `-A DOCKER-USER -s ${ipOf(web)}/32 -m conntrack --ctstate NEW -m set --match-set quarantine dst -j DROP`;
    expect(withEvidence(topology, explainReach(topology, db.id, web.id), rules(fresh), null).caveats).toBeUndefined();
    expect(withEvidence(topology, explainReach(topology, web.id, db.id), rules(fresh), null).caveats).toHaveLength(1);
  });

  it("shows the sender's embedded-DNS hooks as evidence of the lookup, in the container's namespace", () => {
    const dns = [{ proto: "udp" as const, port: 53 as const, target: "127.0.0.11:35464" }];
    const answer = withEvidence(topology, explainReach(topology, web.id, db.id), rules(), dns);
    expect(answer.evidence?.filter((e) => e.about === "dns")).toEqual([
      {
        table: "nat",
        chain: "DOCKER_OUTPUT",
        rule: "-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:35464",
        verdict: "DNAT",
        about: "dns",
        where: "container",
      },
    ]);
  });
});

describe("published ports", () => {
  const argv = [
    "/usr/sbin/docker-proxy",
    "-proto",
    "tcp",
    "-host-ip",
    "127.0.0.1",
    "-host-port",
    "8080",
    "-container-ip",
    ipOf(web),
    "-container-port",
    "80",
  ];

  it("reads docker-proxy's arguments, and nothing else as a proxy", () => {
    expect(parseProxyArgs(42, argv)).toEqual({
      pid: 42,
      proto: "tcp",
      hostIp: "127.0.0.1",
      hostPort: 8080,
      containerIp: ipOf(web),
      containerPort: 80,
      command: argv.join(" "),
    });
    expect(parseProxyArgs(43, ["/usr/bin/sleep", "-host-port", "1"])).toBeNull();
  });

  it("a published port is carried by its DNAT rule and its proxy: both", () => {
    const t = structuredClone(topology);
    t.containers[web.id]!.ports = [{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: 8080 }];
    const [path] = publishedPaths(t, t.containers[web.id]!, rules(), [parseProxyArgs(42, argv)!]);
    expect(path).toMatchObject({ mechanism: "both", containerIp: ipOf(web), hostIp: "127.0.0.1", hostPort: 8080 });
    expect(path?.rules.map((r) => r.about)).toEqual(["dnat", "masquerade"]);
    expect(publishedPaths(t, t.containers[web.id]!, rules(), [])[0]?.mechanism).toBe("dnat");
    expect(publishedPaths(t, t.containers[web.id]!, null, null)[0]?.mechanism).toBe("none");
  });
});
