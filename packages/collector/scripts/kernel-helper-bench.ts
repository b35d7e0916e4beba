/**
 * How long one kernel helper run takes, create to removed, through netdive's own code path
 * (dockerHelperEngine: list and inspect the running containers, then runHelper and parse):
 *
 *   flock /tmp/netdive-engine.lock pnpm exec tsx packages/collector/scripts/kernel-helper-bench.ts [RUNS] [ENGINE_URL]
 *
 * RUNS defaults to 5, the engine to DOCKER_HOST or the local socket; the image is netdive:latest
 * (`pnpm image`). Prints each run and min / median / max. The helper reads the engine's host and
 * every running container, as it does for netdive. docs/benchmarks.md has the figures.
 */
import { defaultDockerHost } from "../src/docker-api";
import { dockerHelperEngine } from "../src/helper-kernel";

const runs = Number(process.argv[2] ?? 5);
const url = process.argv[3] ?? defaultDockerHost();
const image = process.env.NETDIVE_KERNEL_HELPER_IMAGE || "netdive:latest";
// Labelled as the lab's too, so the lab's cleanup would find one a crash left behind.
const engine = dockerHelperEngine({ url, image, labels: { "io.netdive.lab": "1" } });

const times: number[] = [];
let containers = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const { targets, firewallBackend } = await engine.targets();
  const listed = performance.now();
  const facts = await engine.run(targets, firewallBackend);
  const ended = performance.now();
  containers = targets.length;
  const read = Object.values(facts.containers).filter((c) => c.netns.ok).length;
  console.log(
    `run ${i + 1}: ${(ended - listed).toFixed(0)} ms create to removed (+${(listed - started).toFixed(0)} ms listing ${targets.length} containers); host ${facts.host.ok ? "read" : "not read"}, ${read}/${targets.length} namespaces read`,
  );
  times.push(ended - listed);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
console.log(
  `${image} on ${url}, ${containers} running containers: min ${sorted[0]?.toFixed(0)} / median ${median.toFixed(0)} / max ${sorted.at(-1)?.toFixed(0)} ms over ${runs} runs`,
);
