/**
 * Records what netdive's collector reads for each lab scenario, as fixtures for the model's unit
 * tests: packages/model/test/fixtures/<scenario>.json, one EngineInventory each.
 *
 *   pnpm --filter @netdive/lab exec tsx scripts/record-fixtures.ts [scenario …]
 *
 * It lives with the lab, which makes the scenarios, and is the lab's one tool that reads through
 * netdive's collector (a devDependency): the lab's src/ imports the model only.
 *
 * Each scenario comes up under a run of its own, is collected, and is removed by label. The
 * inventory keeps only that scenario's containers and networks, the built-in bridge, host and none
 * networks, and the host links a reader needs: lo, the default-route NIC, the scenarios' bridges
 * and the veths of its containers. Nothing else on the engine lands in a fixture.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EngineCollector, connectDocker, createLinuxKernel } from "@netdive/collector";
import { DEFAULT_DOCKER_HOST, type EngineInventory, type IpLink, type RawNetwork } from "@netdive/model";
import { SCENARIOS, SCENARIO_NAMES, newRun, tearDown, type ScenarioName, type ScenarioRun } from "../src/index";

const DOCKER_HOST = DEFAULT_DOCKER_HOST;
const FIXTURES = fileURLToPath(new URL("../../model/test/fixtures/", import.meta.url));
const BUILT_IN_NETWORKS = new Set(["bridge", "host", "none"]);
/** Keys and texts that would mean an environment or a command line slipped through. */
const FORBIDDEN = [/"(Env|Cmd|Entrypoint|Args|Path|Mounts|Binds)"\s*:/, /sleep 3600/, /httpd -f/, /PATH=/];

function bridgeName(network: RawNetwork): string | null {
  if (network.Driver !== "bridge") return null;
  return network.Options?.["com.docker.network.bridge.name"] ?? `br-${network.Id.slice(0, 12)}`;
}

/** The inventory with only what belongs to the scenario (see the file comment). */
function narrow(inventory: EngineInventory, made: ScenarioRun): EngineInventory {
  const containerIds = new Set(Object.values(made.containers).map((c) => c.id));
  const networkIds = new Set(Object.values(made.networks).map((n) => n.id));
  const networks = inventory.networks.filter((n) => BUILT_IN_NETWORKS.has(n.Name) || networkIds.has(n.Id));
  const containers = inventory.containers.filter((c) => containerIds.has(c.Id));
  const netns = Object.fromEntries(Object.entries(inventory.netns).filter(([id]) => containerIds.has(id)));
  if (!inventory.host.ok) return { ...inventory, networks, containers, netns };

  const bridges = new Set(networks.map(bridgeName).filter((b): b is string => b !== null));
  const vethIfindexes = new Set(
    Object.values(netns).flatMap((read) => (read.ok ? read.links.flatMap((l) => l.link_index ?? []) : [])),
  );
  const defaultDevices = new Set(inventory.host.defaultRoutes.flatMap((r) => r.dev ?? []));
  const keep = (l: IpLink) =>
    l.link_type === "loopback" ||
    defaultDevices.has(l.ifname) ||
    bridges.has(l.ifname) ||
    (l.linkinfo?.info_kind === "veth" && vethIfindexes.has(l.ifindex));
  return {
    ...inventory,
    networks,
    containers,
    netns,
    host: { ...inventory.host, links: inventory.host.links.filter(keep) },
  };
}

function checkPrivacy(scenario: string, json: string): void {
  for (const pattern of FORBIDDEN) {
    if (pattern.test(json)) throw new Error(`${scenario}: the fixture would contain ${pattern} — refusing to write it`);
  }
}

async function record(scenario: ScenarioName): Promise<string> {
  const run = newRun();
  let made: ScenarioRun | undefined;
  try {
    made = await SCENARIOS[scenario](run);
    const collector = new EngineCollector({
      engineId: "local",
      url: DOCKER_HOST,
      connect: () => connectDocker({ host: DOCKER_HOST }),
      kernel: createLinuxKernel(),
    });
    const inventory = await collector.collect();
    if (!inventory.engine.reachable) throw new Error(`${scenario}: ${inventory.engine.error ?? "engine unreachable"}`);
    const fixture = narrow(inventory, made);
    const missing = Object.values(made.containers).filter((c) => !fixture.containers.some((r) => r.Id === c.id));
    if (missing.length > 0)
      throw new Error(`${scenario}: the collector missed ${missing.map((c) => c.name).join(", ")}`);
    const json = `${JSON.stringify(fixture, null, 2)}\n`;
    checkPrivacy(scenario, json);
    const file = `${FIXTURES}${scenario}.json`;
    await writeFile(file, json);
    const links = fixture.host.ok ? fixture.host.links.map((l) => l.ifname).join(" ") : "host not visible";
    return `${scenario}: ${fixture.containers.length} containers, ${fixture.networks.length} networks, host links ${links}`;
  } finally {
    await tearDown(run, made ? [made] : []);
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(SCENARIO_NAMES as string[]).includes(a));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIO_NAMES.join(", ")}`);
  await mkdir(FIXTURES, { recursive: true });
  for (const scenario of asked.length > 0 ? (asked as ScenarioName[]) : SCENARIO_NAMES) {
    console.log(await record(scenario));
  }
}

main().catch((err: unknown) => {
  console.error(`record-fixtures: ${(err as Error).message}`);
  process.exit(1);
});
