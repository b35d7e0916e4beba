import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile, readlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateHost, HOST_SHAPES, parseRecording, RecordingTimeline } from "@netdive/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ICC_OPTION,
  LAB_IMAGE,
  LAB_LABEL,
  LabError,
  RUN_LABEL,
  SCENARIO_INFO,
  SCENARIO_LABEL,
  SCENARIO_NAMES,
  cleanup,
  composeProject,
  docker,
  downScenario,
  execIn,
  labelArgs,
  labelled,
  leftovers,
  namespaceOf,
  newRun,
  scenarioObjectNames,
  scenarioStates,
  upScenario,
  upScenarios,
  type InspectedContainer,
  type InspectedNetwork,
  type LabObject,
  type ScenarioName,
  type ScenarioRun,
} from "../src/index";
import { idsOf, inSubnet, inspectContainers, inspectNetworks, pings, runCli } from "./reads";

/** A run of this file's own (never the workshop's `demo`); everything it makes is removed by its label. */
const run = newRun();
/** The run the CLI test brings user-bridge up under. */
const cliRun = newRun();
const made = {} as Record<ScenarioName, ScenarioRun>;
let containers: Map<string, InspectedContainer>;
let networks: Map<string, InspectedNetwork>;
/** Objects the test makes without lab labels (name collisions); removed by name. */
const strangers: Array<{ kind: "container" | "network"; name: string }> = [];

const allNames = (kind: "containers" | "networks") => SCENARIO_NAMES.flatMap((s) => scenarioObjectNames(run, s)[kind]);
const lab = (s: ScenarioName, role: string) => made[s].containers[role] as LabObject;
const net = (s: ScenarioName, role: string) => made[s].networks[role] as LabObject;
const inspected = (o: LabObject) => containers.get(o.name) as InspectedContainer;
const ipOn = (o: LabObject, n: LabObject) => inspected(o).NetworkSettings.Networks[n.name]?.IPAddress ?? "";
/** The container's /etc/resolv.conf as its own mount namespace shows it (read from the host, as root). */
const resolvConf = (o: LabObject) => readFile(`/proc/${inspected(o).State.Pid}/root/etc/resolv.conf`, "utf8");
const nameserver = async (o: LabObject) => /^nameserver\s+(\S+)/m.exec(await resolvConf(o))?.[1];

beforeAll(async () => {
  const results = await upScenarios(run, SCENARIO_NAMES);
  SCENARIO_NAMES.forEach((name, i) => {
    const r = results[i];
    if (r?.status === "rejected") throw r.reason;
    if (r) made[name] = r.value;
  });
  [containers, networks] = await Promise.all([
    inspectContainers(allNames("containers")),
    inspectNetworks([...allNames("networks"), "bridge"]),
  ]);
});

afterAll(async () => {
  for (const s of strangers) await docker(s.kind === "container" ? ["rm", "-f", s.name] : ["network", "rm", s.name]);
  await Promise.all([cleanup(run.id), cleanup(cliRun.id)]);
  const empty = { containers: [], networks: [] };
  expect(await leftovers(run.id), `nothing labelled ${RUN_LABEL}=${run.id} is left`).toEqual(empty);
  expect(await leftovers(cliRun.id), `nothing labelled ${RUN_LABEL}=${cliRun.id} is left`).toEqual(empty);
});

describe("every scenario", () => {
  it("names every object as SCENARIO_INFO says and labels it with the lab, the run and the scenario", () => {
    for (const s of SCENARIO_NAMES) {
      const names = scenarioObjectNames(run, s);
      expect(names.containers).toEqual(SCENARIO_INFO[s].containers.map((c) => `${run.prefix}${c}`));
      const objects = [
        ...names.containers.map((n) => ({ n, labels: containers.get(n)?.Config.Labels })),
        ...names.networks.map((n) => ({ n, labels: networks.get(n)?.Labels })),
      ];
      for (const { n, labels } of objects) {
        expect(labels, `${n}: labels`).toMatchObject({ [LAB_LABEL]: "1", [RUN_LABEL]: run.id, [SCENARIO_LABEL]: s });
      }
    }
  });

  it("runs every container on the lab image with 64 MiB, 64 pids, unprivileged and with no mounts", () => {
    for (const [name, c] of containers) {
      expect(c.Config.Image, name).toBe(LAB_IMAGE);
      expect(c.State.Running, `${name} runs`).toBe(true);
      expect(c.HostConfig.Memory, `${name}: memory`).toBe(64 * 1024 * 1024);
      expect(c.HostConfig.PidsLimit, `${name}: pids`).toBe(64);
      expect(c.HostConfig.Privileged, `${name}: privileged`).toBe(false);
      expect(c.Mounts ?? [], `${name}: mounts`).toEqual([]);
      expect(c.HostConfig.Binds ?? [], `${name}: binds`).toEqual([]);
    }
  });

  it("gives 127.0.0.1 as the only upstream DNS to each container with a netns of its own, none to a joiner", () => {
    for (const [name, c] of containers) {
      const joined = c.HostConfig.NetworkMode.startsWith("container:");
      expect(c.HostConfig.Dns ?? [], `${name}: --dns`).toEqual(joined ? [] : ["127.0.0.1"]);
    }
  });

  it("makes containers without embedded DNS ask 127.0.0.1, and a joiner read its owner's resolv.conf", async () => {
    for (const o of [lab("default-bridge", "web"), lab("host", "tools"), lab("join-pid", "tools")]) {
      expect(await nameserver(o), `${o.name}: nameserver`).toBe("127.0.0.1");
    }
    for (const [joiner, owner] of [
      [lab("join-network", "tools"), lab("join-network", "mysql")],
      [lab("join-both", "tools"), lab("join-both", "owner")],
    ] as const) {
      const [mine, theirs] = await Promise.all([joiner, owner].map(resolvConf));
      expect(mine, `${joiner.name} reads ${owner.name}'s resolv.conf`).toBe(theirs);
    }
  });
});

describe("default-bridge", () => {
  it("puts web and db on the network `bridge` only, with addresses in docker0's subnet", () => {
    const subnet = networks.get("bridge")?.IPAM.Config?.[0]?.Subnet ?? "";
    for (const o of Object.values(made["default-bridge"].containers)) {
      const c = inspected(o);
      expect(c.HostConfig.NetworkMode).toBe("default");
      expect(Object.keys(c.NetworkSettings.Networks), o.name).toEqual(["bridge"]);
      const ip = c.NetworkSettings.Networks.bridge?.IPAddress ?? "";
      expect(inSubnet(ip, subnet), `${o.name}: ${ip} in ${subnet}`).toBe(true);
    }
  });
});

describe("user-bridge", () => {
  it("puts web and db on mynet, a plain bridge, with the embedded DNS 127.0.0.11 in resolv.conf", async () => {
    const mynet = net("user-bridge", "mynet");
    expect(networks.get(mynet.name)).toMatchObject({ Driver: "bridge", Internal: false });
    for (const o of Object.values(made["user-bridge"].containers)) {
      expect(Object.keys(inspected(o).NetworkSettings.Networks), o.name).toEqual([mynet.name]);
      expect(await nameserver(o), `${o.name}: nameserver`).toBe("127.0.0.11");
    }
  });

  it("lets web resolve db by name to db's address (one lookup, answered by the embedded DNS)", async () => {
    const [web, db] = [lab("user-bridge", "web"), lab("user-bridge", "db")];
    const answer = await execIn(web.id, ["nslookup", "-timeout=1", "-retry=1", db.name]);
    const addresses = [...answer.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]);
    expect(addresses).toEqual([ipOn(db, net("user-bridge", "mynet"))]);
  });
});

describe("compose", () => {
  it("runs apache and postgres on nd<run>_default with compose's labels and the service names as aliases", () => {
    const project = composeProject(run);
    const network = net("compose", "default");
    expect(network.name).toBe(`${project}_default`);
    expect(networks.get(network.name)?.Labels).toMatchObject({ "com.docker.compose.project": project });
    for (const service of ["apache", "postgres"]) {
      const c = inspected(lab("compose", service));
      expect(c.Config.Labels).toMatchObject({
        "com.docker.compose.project": project,
        "com.docker.compose.service": service,
      });
      expect(Object.keys(c.NetworkSettings.Networks)).toEqual([network.name]);
      expect(c.NetworkSettings.Networks[network.name]?.Aliases).toContain(service);
    }
    expect(made.compose.compose?.project).toBe(project);
  });
});

describe("isolation", () => {
  it("makes iso-left and iso-right plain bridges, iso-quiet a bridge with ICC off, iso-vault internal", () => {
    const n = (role: string) => networks.get(net("isolation", role).name) as InspectedNetwork;
    for (const role of ["left", "right"]) {
      expect(n(role), role).toMatchObject({ Driver: "bridge", Internal: false });
      expect(n(role).Options?.[ICC_OPTION], role).toBeUndefined();
    }
    expect(n("quiet")).toMatchObject({ Driver: "bridge", Internal: false });
    expect(n("quiet").Options?.[ICC_OPTION]).toBe("false");
    expect(n("vault")).toMatchObject({ Driver: "bridge", Internal: true });
  });

  it("puts the router on iso-left and iso-right and every other container on its one network", () => {
    const on = (role: string) => Object.keys(inspected(lab("isolation", role)).NetworkSettings.Networks).sort();
    const name = (role: string) => net("isolation", role).name;
    expect(on("router")).toEqual([name("left"), name("right")].sort());
    expect(on("leftA")).toEqual([name("left")]);
    expect(on("rightB")).toEqual([name("right")]);
    for (const role of ["quietA", "quietB"]) expect(on(role)).toEqual([name("quiet")]);
    for (const role of ["vaultA", "vaultB"]) expect(on(role)).toEqual([name("vault")]);
  });

  it("lets the router reach both sides and vault neighbours each other, but not left to right or quiet to quiet", async () => {
    const c = (role: string) => lab("isolation", role);
    const n = (role: string) => net("isolation", role);
    const [routerLeft, routerRight, vault, leftRight, quiet] = await Promise.all([
      pings(c("router"), ipOn(c("leftA"), n("left")), 3),
      pings(c("router"), ipOn(c("rightB"), n("right")), 3),
      pings(c("vaultA"), ipOn(c("vaultB"), n("vault")), 3),
      pings(c("leftA"), ipOn(c("rightB"), n("right"))),
      pings(c("quietA"), ipOn(c("quietB"), n("quiet"))),
    ]);
    expect({ routerLeft, routerRight, vault, leftRight, quiet }).toEqual({
      routerLeft: true,
      routerRight: true,
      vault: true,
      leftRight: false,
      quiet: false,
    });
  });
});

describe("host and none", () => {
  it("host: network mode host, no address of its own, the host's network namespace", async () => {
    const c = inspected(lab("host", "tools"));
    expect(c.HostConfig.NetworkMode).toBe("host");
    expect(c.NetworkSettings.Networks.host?.IPAddress).toBe("");
    expect(await namespaceOf(c.State.Pid, "net")).toBe(await readlink("/proc/self/ns/net"));
  });

  it("none: network mode none and only lo inside", async () => {
    const o = lab("none", "tools");
    expect(inspected(o).HostConfig.NetworkMode).toBe("none");
    // The kernel's list of the interfaces in the container's network namespace.
    const dev = await readFile(`/proc/${inspected(o).State.Pid}/net/dev`, "utf8");
    const interfaces = dev.split("\n").flatMap((l) => /^\s*([^:\s|]+):/.exec(l)?.[1] ?? []);
    expect(interfaces).toEqual(["lo"]);
  });
});

describe("namespace joins", () => {
  it("join-network: the tools container's network mode is container:<mysql id>, its PID namespace its own", () => {
    const tools = inspected(lab("join-network", "tools"));
    expect(tools.HostConfig.NetworkMode).toBe(`container:${lab("join-network", "mysql").id}`);
    expect(tools.HostConfig.PidMode).toBe("");
  });

  it("join-pid: PID mode container:<owner id>, network mode default", () => {
    const tools = inspected(lab("join-pid", "tools"));
    expect(tools.HostConfig.PidMode).toBe(`container:${lab("join-pid", "owner").id}`);
    expect(tools.HostConfig.NetworkMode).toBe("default");
  });

  it("join-both: network and PID modes both container:<owner id>", () => {
    const tools = inspected(lab("join-both", "tools"));
    const owner = `container:${lab("join-both", "owner").id}`;
    expect([tools.HostConfig.NetworkMode, tools.HostConfig.PidMode]).toEqual([owner, owner]);
  });
});

describe("the lifecycle", () => {
  it("reads every scenario as up, its containers running, from the labels", async () => {
    const states = await scenarioStates(run);
    for (const s of SCENARIO_NAMES) {
      expect(states[s].state, s).toBe("up");
      expect(states[s].containers, s).toEqual(
        Object.values(made[s].containers).map((o) => ({ name: o.name, id: o.id, running: true })),
      );
    }
  });

  it("up twice is up once: the same ids come back and nothing new is made", async () => {
    const before = await leftovers(run.id);
    const again = (await upScenarios(run, SCENARIO_NAMES)).map((r) => {
      if (r.status === "rejected") throw r.reason;
      return r.value;
    });
    expect(again.map((r) => idsOf([r]))).toEqual(SCENARIO_NAMES.map((s) => idsOf([made[s]])));
    expect(again.find((r) => r.scenario === "compose")?.compose).toEqual(made.compose.compose);
    const after = await leftovers(run.id);
    expect({ c: after.containers.sort(), n: after.networks.sort() }).toEqual({
      c: before.containers.sort(),
      n: before.networks.sort(),
    });
  });

  it("makes a scenario that is only partly there anew, leaving the others as they are", async () => {
    const others = idsOf(SCENARIO_NAMES.filter((s) => s !== "join-pid").map((s) => made[s]));
    await docker(["rm", "-f", lab("join-pid", "tools").id]);
    expect((await scenarioStates(run))["join-pid"].state).toBe("partial");
    const fresh = await upScenario(run, "join-pid");
    expect(fresh.containers.owner?.id, "the owner was made anew").not.toBe(lab("join-pid", "owner").id);
    const states = await scenarioStates(run);
    expect(states["join-pid"].state).toBe("up");
    expect(states["join-pid"].containers.map((c) => c.id)).toEqual(Object.values(fresh.containers).map((o) => o.id));
    made["join-pid"] = fresh;
    const now = await leftovers(run.id);
    for (const id of others.containers) expect(now.containers, "another scenario's container").toContain(id);
  });

  it.each(["user-bridge", "compose", "isolation"] as const)(
    "downScenario(%s) removes that scenario's objects and nothing else",
    async (s) => {
      const before = await leftovers(run.id);
      const gone = idsOf([made[s]]);
      await downScenario(run, s);
      expect(await labelled([`${LAB_LABEL}=1`, `${RUN_LABEL}=${run.id}`, `${SCENARIO_LABEL}=${s}`])).toEqual({
        containers: [],
        networks: [],
      });
      const after = await leftovers(run.id);
      expect(after.containers.sort()).toEqual(before.containers.filter((id) => !gone.containers.includes(id)).sort());
      expect(after.networks.sort()).toEqual(before.networks.filter((id) => !gone.networks.includes(id)).sort());
      expect((await scenarioStates(run))[s].state).toBe("down");
    },
  );

  it("refuses, in a sentence, to come up over a container or network netdive did not make, and touches it not", async () => {
    const before = await leftovers(run.id);
    for (const [kind, suffix] of [
      ["container", "mynet-web"],
      ["network", "mynet"],
    ] as const) {
      const name = `${run.prefix}${suffix}`;
      strangers.push({ kind, name });
      const create =
        kind === "container"
          ? ["create", "--name", name, "--network", "none", LAB_IMAGE, "true"]
          : ["network", "create", name];
      const id = (await docker(create)).trim();
      const refusal = await upScenario(run, "user-bridge").catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(LabError);
      expect((refusal as LabError).message).toBe(
        `a ${kind} named ${name} already exists and netdive did not make it — remove or rename it, netdive will not touch it`,
      );
      const still = (
        await docker([...(kind === "container" ? [] : ["network"]), "inspect", "--format", "{{.Id}}", name])
      ).trim();
      expect(still, `${name} is still there, the same object`).toBe(id);
      expect(await leftovers(run.id), "nothing was made or removed").toEqual(before);
      await docker(kind === "container" ? ["rm", "-f", name] : ["network", "rm", name]);
      strangers.pop();
    }
  });
});

// Independent of each other (the last one has a run of its own), so they overlap: each starts a tsx.
describe.concurrent("the CLI", () => {
  it("list prints each scenario with its state, running containers and English summary", async () => {
    const { code, stdout, stderr } = await runCli(["list"], { NETDIVE_LAB_RUN: run.id });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const rows = stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^scenario\s+state\s+containers\s+summary$/);
    for (const s of SCENARIO_NAMES) {
      const row = rows.find((r) => r.startsWith(`${s} `)) ?? "";
      expect(row, s).toContain(SCENARIO_INFO[s].summary.en);
    }
    expect(rows.find((r) => r.startsWith("default-bridge "))).toMatch(/^default-bridge\s+up\s+2\/2\s/);
    expect(rows.find((r) => r.startsWith("user-bridge "))).toMatch(/^user-bridge\s+down\s+0\/2\s/);
  });

  it("an unknown scenario or command is a sentence naming the valid ones, exit status 2", async () => {
    const [scenario, command] = await Promise.all([runCli(["up", "nosuch"]), runCli(["frobnicate"])]);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr.trim()).toBe(
      `there is no scenario "nosuch" — valid scenarios: ${SCENARIO_NAMES.join(", ")}, or all`,
    );
    expect(command.code).toBe(2);
    expect(command.stderr.trim()).toBe(`unknown command "frobnicate" — valid commands: list, up, down, shape, --help`);
  });

  it("shape writes a generated host as a recording --replay reads, and names the valid shapes when asked for another", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdive-shape-"));
    try {
      const file = join(dir, "busy.ndjson");
      const made = await runCli(["shape", "busy", "2", file]);
      expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: "" });
      const [moment] = new RecordingTimeline(parseRecording(readFileSync(file, "utf8"))).moments;
      expect(moment?.topology).toEqual(generateHost(2, HOST_SHAPES.busy));
      expect(made.stdout).toContain(`pnpm start --replay ${file}`);
      const wrong = await runCli(["shape", "huge"]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trim()).toBe(`shape needs one of ${Object.keys(HOST_SHAPES).join(", ")}, not "huge"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an engine that does not answer is one sentence on stderr, exit status 1, no stack trace", async () => {
    const { code, stderr } = await runCli(["list"], { DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^cannot reach Docker at unix:\/\/\/nonexistent\/docker\.sock: .+ — start it with/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("up user-bridge and down user-bridge, under a test run (NETDIVE_LAB_RUN), bring it up and remove it", async () => {
    const env = { NETDIVE_LAB_RUN: cliRun.id };
    const up = await runCli(["up", "user-bridge"], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/user-bridge is up in \d+\.\d s\nopen http:\/\/localhost:3000\n$/);
    const state = (await scenarioStates(cliRun))["user-bridge"];
    expect(state.state).toBe("up");
    expect(state.containers.map((c) => c.name)).toEqual(scenarioObjectNames(cliRun, "user-bridge").containers);
    const down = await runCli(["down", "user-bridge"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.trim()).toBe("removed user-bridge: 2 containers, 1 network");
    expect(await leftovers(cliRun.id)).toEqual({ containers: [], networks: [] });
  });

  it("cleans up a run whose --rm containers are exiting at that moment: the engine's own removal is awaited, not an error", async () => {
    const racing = newRun();
    const args = (n: number) => ["run", "-d", "--rm", "--name", `${racing.prefix}brief-${n}`, ...labelArgs(racing)];
    // Each round starts containers that exit at once and cleans up as they do; a CI run once
    // failed on "removal of container … is already in progress" here.
    for (let round = 0; round < 3; round++) {
      await Promise.all([0, 1, 2, 3].map((n) => docker([...args(n), LAB_IMAGE, "true"])));
      await cleanup(racing.id);
      expect(await leftovers(racing.id)).toEqual({ containers: [], networks: [] });
    }
  });
});
