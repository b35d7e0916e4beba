import { describe, expect, it } from "vitest";
import { HelperKernel, type HelperEngine } from "./helper-kernel";
import type { FactsTarget, KernelFacts } from "./kernel-facts";

const A = "a".repeat(64);
const B = "b".repeat(64);

/** An engine whose helper "reads" whatever it is asked, on a clock the test moves. */
function fakeEngine(running: FactsTarget[]) {
  const clock = { t: 1_000_000 };
  const runs: Array<{ at: number; targets: string[] }> = [];
  let failWith: string | null = null;
  const engine: HelperEngine = {
    targets: async () => ({ targets: structuredClone(running), firewallBackend: "iptables" }),
    run: async (targets) => {
      runs.push({ at: clock.t, targets: targets.map((t) => `${t.id[0]}:${t.pid}`) });
      if (failWith) throw new Error(failWith);
      const facts: KernelFacts = {
        version: 1,
        host: { ok: true, links: [{ ifindex: runs.length, ifname: `run${runs.length}` } as never], defaultRoutes: [] },
        containers: {},
      };
      for (const t of targets) {
        facts.containers[t.id] = {
          pid: t.pid,
          netns: { ok: true, links: [{ ifindex: 1, ifname: `lo-${runs.length}` } as never] },
          dnsRules: { ok: true, rules: [], from: "iptables" },
        };
      }
      return facts;
    },
  };
  const sleeps: number[] = [];
  const kernel = new HelperKernel({
    url: "tcp://engine:2375",
    engine,
    minIntervalMs: 5000,
    now: () => clock.t,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
  });
  return { kernel, runs, clock, sleeps, running, fail: (reason: string | null) => (failWith = reason) };
}

describe("HelperKernel: one helper run per collection, at most one every few seconds", () => {
  it("serves a collection's host, namespace and DNS reads from one run that read every running container", async () => {
    const { kernel, runs } = fakeEngine([
      { id: A, pid: 10 },
      { id: B, pid: 20 },
    ]);
    const host = await kernel.readHost({ cached: true });
    expect(host).toMatchObject({ ok: true, links: [{ ifname: "run1" }] });
    expect(await kernel.readNetns(A, 10)).toMatchObject({ ok: true, links: [{ ifname: "lo-1" }] });
    expect(await kernel.readNetns(B, 20)).toMatchObject({ ok: true });
    expect(await kernel.readDnsRules(B, 20)).toEqual({ ok: true, rules: [], from: "iptables" });
    expect(runs).toEqual([{ at: 1_000_000, targets: ["a:10", "b:20"] }]);
  });

  it("a second collection within the interval reuses the run; one after it runs again", async () => {
    const { kernel, runs, clock } = fakeEngine([{ id: A, pid: 10 }]);
    await kernel.readHost({ cached: true });
    clock.t += 4_999;
    await kernel.readHost({ cached: true });
    await kernel.readNetns(A, 10);
    expect(runs).toHaveLength(1);
    clock.t += 1;
    expect(await kernel.readHost({ cached: true })).toMatchObject({ links: [{ ifname: "run2" }] });
    expect(runs).toHaveLength(2);
  });

  it("a re-read after events waits for the interval, then gets a run that started after it asked; requests meanwhile share it", async () => {
    const { kernel, runs, clock, sleeps } = fakeEngine([{ id: A, pid: 10 }]);
    await kernel.readHost({ cached: true });
    clock.t += 1_000;
    const [first, second, netns] = await Promise.all([kernel.readHost(), kernel.readHost(), kernel.readNetns(A, 10)]);
    expect(sleeps).toEqual([4_000]);
    expect(runs.map((r) => r.at)).toEqual([1_000_000, 1_005_000]);
    expect(first).toMatchObject({ links: [{ ifname: "run2" }] });
    expect(second).toEqual(first);
    // The namespace read waited for the newer run, whose facts are the ones the events asked for.
    expect(netns).toMatchObject({ links: [{ ifname: "lo-2" }] });
  });

  it("a container the last run did not read (started since) gets a run that reads it, even if the listing missed it", async () => {
    const { kernel, runs, clock } = fakeEngine([{ id: A, pid: 10 }]);
    await kernel.readHost({ cached: true });
    clock.t += 10_000;
    expect(await kernel.readNetns(B, 20)).toMatchObject({ ok: true, links: [{ ifname: "lo-2" }] });
    expect(runs[1]?.targets).toEqual(["a:10", "b:20"]);
  });

  it("a container read at another pid (restarted) is not given the old process's facts", async () => {
    const { kernel, runs, running } = fakeEngine([{ id: A, pid: 10 }]);
    await kernel.readHost({ cached: true });
    running[0] = { id: A, pid: 11 };
    expect(await kernel.readNetns(A, 11)).toMatchObject({ ok: true });
    expect(runs.map((r) => r.targets)).toEqual([["a:10"], ["a:11"]]);
  });

  it("a failed run says why for every read, and is not retried per container before its turn", async () => {
    const { kernel, runs, clock, fail } = fakeEngine([{ id: A, pid: 10 }]);
    fail(
      "netdive:latest is not on the engine at tcp://engine:2375: load it with `docker save netdive:latest | docker -H tcp://engine:2375 load`",
    );
    const host = await kernel.readHost({ cached: true });
    expect(host).toEqual({
      ok: false,
      reason:
        "netdive's kernel helper (--kernel-helper) could not read the engine at tcp://engine:2375: netdive:latest is not on the engine at tcp://engine:2375: load it with `docker save netdive:latest | docker -H tcp://engine:2375 load`.",
    });
    expect(await kernel.readNetns(A, 10)).toEqual(host);
    expect(await kernel.readDnsRules(A, 10)).toEqual(host);
    expect(runs).toHaveLength(1);
    fail(null);
    clock.t += 5_000;
    expect(await kernel.readHost({ cached: true })).toMatchObject({ ok: true });
  });

  it("after close it starts no run and says why", async () => {
    const { kernel, runs } = fakeEngine([{ id: A, pid: 10 }]);
    kernel.close();
    expect(await kernel.readHost({ cached: true })).toEqual({
      ok: false,
      reason: "netdive is shutting down.",
    });
    expect(runs).toHaveLength(0);
  });

  it("hands out copies: a caller changing a read does not change the cache", async () => {
    const { kernel } = fakeEngine([{ id: A, pid: 10 }]);
    const first = await kernel.readHost({ cached: true });
    if (first.ok) first.links.length = 0;
    expect(await kernel.readHost({ cached: true })).toMatchObject({ links: [{ ifname: "run1" }] });
  });
});
