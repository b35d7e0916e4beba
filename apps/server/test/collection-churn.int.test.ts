import { existsSync } from "node:fs";
import {
  LAB_IMAGE,
  cleanup,
  docker,
  inspectContainer,
  labelArgs,
  leftovers,
  newRun,
  runContainer,
  type LabObject,
} from "@netdive/lab";
import { buildTopology, type Container, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_URL } from "./engine";
import { buildServer } from "../src/app";
import { fact, factsAsserted } from "./facts";
import { collectorWithGaps, type Gaps } from "./flaky-engine";
import { getJson } from "./inject";

const DOCKER_HOST = ENGINE_URL;
const run = newRun();
const gaps: Gaps = {};
/**
 * The collector with gaps, read directly (a collection is the collector's job): nothing else
 * reads through it, so each gap falls inside the collection a test asks for.
 */
const gapped = collectorWithGaps(DOCKER_HOST, gaps);
/** netdive as it runs: live from the engine's events. */
let live: FastifyInstance | undefined;
let keeper: LabObject;

beforeAll(async () => {
  keeper = await runContainer(run, { name: "churn-keeper" });
  live = await buildServer({ dockerHost: DOCKER_HOST });
  await live.ready();
});

afterAll(async () => {
  await live?.close();
  gapped.close();
  await cleanup(run.id);
  expect(await leftovers(run.id), `nothing labelled io.netdive.run=${run.id} is left`).toEqual({
    containers: [],
    networks: [],
  });
  console.log(`netdive churn: ${factsAsserted()} facts asserted (run ${run.id})`);
});

async function processGone(pid: number): Promise<void> {
  for (let waited = 0; existsSync(`/proc/${pid}`); waited += 50) {
    if (waited > 10_000) throw new Error(`process ${pid} is still there 10 s after its container was removed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One collection through the gapped collector, built as the server builds it. */
const collectGapped = async (): Promise<Topology> => buildTopology([await gapped.collect()]);

/** One answer of the live server's topology route. */
const collect = async (server: FastifyInstance, url: string) => {
  const reply = await getJson<Topology>(server, url);
  fact(reply.status, 200, "a collection answers 200");
  return reply.body;
};

/** A container netdive shows is whole: every identity field, and its kernel side or a reason. */
function expectWhole(c: Container): void {
  fact(/^[0-9a-f]{64}$/.test(c.id), true, `${c.name}: full id`);
  fact(c.name.length > 0 && c.image.length > 0, true, `${c.id}: name and image`);
  fact(
    ["created", "running", "paused", "restarting", "removing", "exited", "dead"].includes(c.state),
    true,
    `${c.name}: state`,
  );
  fact(typeof c.networkMode === "string" && typeof c.endpoints === "object", true, `${c.name}: mode and endpoints`);
  fact(c.kernel.visible || (c.kernel.reason ?? "").length > 0, true, `${c.name}: kernel facts or the reason why not`);
}

describe("containers that vanish while netdive collects", () => {
  it("a container removed between list and inspect is left out, and the rest is collected whole", async () => {
    const victim = await runContainer(run, { name: "churn-list-victim" });
    let listed = false;
    gaps.afterList = async (ids) => {
      listed = ids.includes(victim.id);
      await docker(["rm", "-f", victim.id]);
    };
    const topology = await collectGapped();
    expect(listed, "the engine listed the victim before it went").toBe(true);
    fact(topology.engines.local?.reachable, true, "the engine stays reachable");
    fact(topology.containers[victim.id], undefined, "the vanished container is left out");
    const kept = topology.containers[keeper.id];
    fact(kept?.name, keeper.name, "the other containers are still there");
    fact(
      kept?.interfaces.map((i) => i.name),
      ["lo", "eth0"],
      "and whole, with their interfaces",
    );
  });

  it("a container removed between inspect and the namespace read is not blamed on where netdive runs", async () => {
    const victim = await runContainer(run, { name: "churn-netns-victim" });
    const { State } = await inspectContainer(victim.id);
    gaps.afterInspect = {
      id: victim.id,
      run: async () => {
        await docker(["rm", "-f", victim.id]);
        // Until its process is reaped, the kernel still answers for it: wait, so the gap is the same every run.
        await processGone(State.Pid);
      },
    };
    const topology = await collectGapped();
    fact(topology.engines.local?.reachable, true, "the engine stays reachable");
    expect((await docker(["ps", "-aq", "--filter", `id=${victim.id}`])).trim(), "the victim is gone").toBe("");
    const shown = topology.containers[victim.id];
    fact(topology.hosts.local?.kernel.visible, true, "netdive reads the host's kernel");
    // The truth: the container is gone, and netdive runs on its host. Leaving it out, or saying
    // it stopped, are both true; "run netdive on the Docker host" is not.
    fact(
      /run netdive on the Docker host/.test(shown?.kernel.reason ?? ""),
      false,
      `${victim.name}: shown ${shown ? `as ${shown.state} with "${shown.kernel.reason}"` : "nowhere"}`,
    );
  });

  it("collections never fail and never show a half container while short-lived containers come and go", async () => {
    let seen = 0;
    let churning = true;
    // Six containers, one after the other: half exit on their own and are removed by --rm, half
    // are removed by force while they run.
    const churn = (async () => {
      for (let n = 0; n < 6; n++) {
        const name = `${run.prefix}brief-${n}`;
        const lifetime = n % 2 === 0 ? "0.3" : "2";
        const args = ["run", "-d", "--rm", "--name", name, ...labelArgs(run), "--memory", "64m", "--pids-limit", "64"];
        await docker([...args, LAB_IMAGE, "sleep", lifetime]);
        if (n % 2 === 1) await docker(["rm", "-f", name]).catch(() => undefined);
      }
    })().finally(() => {
      churning = false;
    });
    let collections = 0;
    while (churning || collections < 4) {
      // Alternately the live picture (patched by events) and a full collection.
      const topology = await collect(live!, collections % 2 === 0 ? "/api/topology" : "/api/topology?fresh=1");
      collections += 1;
      fact(topology.engines.local?.reachable, true, "the engine stays reachable");
      for (const c of Object.values(topology.containers)) {
        if (!c.name.startsWith(`${run.prefix}brief-`)) continue;
        seen += 1;
        expectWhole(c);
      }
    }
    await churn;
    expect(seen, "some collections caught a short-lived container").toBeGreaterThan(0);
  });
});
