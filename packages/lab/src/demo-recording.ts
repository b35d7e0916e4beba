/**
 * The built-in demo's recording, from what `--record` wrote while the lab came up on a real
 * engine: only the lab run's own objects are kept (an engine shared with anything else must not
 * land in the repository), and its shape, for comparing a regenerated demo with the shipped one.
 */
import {
  diff,
  parseRecording,
  RecordingTimeline,
  type Container,
  type Json,
  type RecordedDetails,
  type RecordedPatch,
  type RecordedSnapshot,
  type Topology,
} from "@netdive/model";

const BUILT_IN_NETWORKS = new Set(["bridge", "host", "none"]);
/** The host's (and its engine's) name in the demo: the machine that recorded it is nobody's business. */
export const DEMO_HOSTNAME = "workshop-host";

/** Only the run's containers (named with its prefix), their networks and host links, and the built-in networks. */
export function narrowTopology(topology: Topology, prefix: string): Topology {
  const containers = Object.fromEntries(
    Object.entries(topology.containers).filter(([, c]) => c.name.startsWith(prefix)),
  );
  const used = new Set(Object.values(containers).flatMap((c) => Object.keys(c.endpoints)));
  const networks = Object.fromEntries(
    Object.entries(topology.networks)
      .filter(([id, n]) => BUILT_IN_NETWORKS.has(n.name) || n.name.startsWith(prefix) || used.has(id))
      .map(([id, n]) => [id, { ...n, containerIds: n.containerIds.filter((c) => c in containers) }]),
  );
  const bridges = new Set(Object.values(networks).flatMap((n) => (n.bridge ? [n.bridge] : [])));
  const veths = new Set(
    Object.values(containers).flatMap((c) => c.interfaces.flatMap((i) => (i.hostPeer ? [i.hostPeer.name] : []))),
  );
  const hosts = Object.fromEntries(
    Object.entries(topology.hosts).map(([id, h]) => [
      id,
      {
        ...h,
        hostname: DEMO_HOSTNAME,
        interfaces: h.interfaces.filter(
          (i) => i.kind === "loopback" || i.kind === "physical" || bridges.has(i.name) || veths.has(i.name),
        ),
      },
    ]),
  );
  const engines = Object.fromEntries(
    Object.entries(topology.engines).map(([id, e]) => [id, { ...e, name: DEMO_HOSTNAME }]),
  );
  return { ...topology, engines, containers, networks, hosts };
}

/**
 * The recording narrowed to the run: each moment's topology narrowed, moments that changed
 * nothing of the run dropped, patches diffed anew between the narrowed moments (revisions
 * renumbered from 1), details kept for the run's containers. Times stay as recorded.
 */
export function narrowRecording(text: string, prefix: string): string {
  const timeline = new RecordingTimeline(parseRecording(text));
  const { header, lines } = timeline.recording;
  const out: Array<object> = [header];
  let previous: Topology | null = null;
  let moment = -1;
  for (const line of lines) {
    if (line.type === "details") {
      if (previous === null || !line.details.name.startsWith(prefix)) continue;
      const kept: RecordedDetails = { ...line, revision: previous.revision };
      out.push(kept);
      continue;
    }
    moment++;
    const narrowed = narrowTopology(timeline.topologyAt(moment), prefix);
    if (previous === null) {
      narrowed.revision = 1;
      const snapshot: RecordedSnapshot = { ...(line as RecordedSnapshot), revision: 1, topology: narrowed, t: line.t };
      out.push(snapshot);
      previous = narrowed;
      continue;
    }
    narrowed.revision = previous.revision;
    const ops = diff(previous as unknown as Json, narrowed as unknown as Json);
    if (ops.length === 0) continue;
    narrowed.revision = previous.revision + 1;
    ops.push({ op: "replace", path: "/revision", value: narrowed.revision });
    const patch: RecordedPatch = {
      type: "patch",
      from: previous.revision,
      revision: narrowed.revision,
      ops,
      t: line.t,
    };
    out.push(patch);
    previous = narrowed;
  }
  return out.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

/** A container as the demo's shape sees it: names instead of ids, no addresses. */
function containerShape(c: Container, topology: Topology, prefix: string): string {
  const name = (id: string | null) => (id ? (topology.containers[id]?.name ?? "?") : "-");
  const networks = Object.values(c.endpoints)
    .map((e) => e.networkName)
    .sort()
    .join("+");
  return [
    c.name.slice(prefix.length),
    c.state,
    c.networkMode.startsWith("container:") ? `container:${name(c.netnsOwnerId)}` : c.networkMode,
    `net=${networks}`,
    `pid=${name(c.pidnsOwnerId)}`,
    `ifs=${c.interfaces.length}`,
  ].join(" ");
}

/** The container the demo's last changes are about: it comes, joins a second network, and goes. */
export const DEMO_VISITOR = "visitor";

/**
 * What a demo recording shows, ids, addresses and times aside: the order in which the scenarios
 * (and the visitor) first appear, the containers and networks while the visitor sits on two
 * networks, and at the end. Two recordings of the same script on any engine have the same shape.
 */
export function demoShape(text: string, prefix: string): { appeared: string[]; connected: string[]; end: string[] } {
  const timeline = new RecordingTimeline(parseRecording(text));
  const appeared: string[] = [];
  let connected: string[] = [];
  const shapeOf = (t: Topology) =>
    [
      ...Object.values(t.containers).map((c) => containerShape(c, t, prefix)),
      ...Object.values(t.networks).map(
        (n) =>
          `network ${n.name.replace(prefix, "")} ${n.driver} internal=${n.internal} members=${n.containerIds.length}`,
      ),
    ].sort();
  for (const m of timeline.moments) {
    for (const c of Object.values(m.topology.containers)) {
      const what = c.labScenario ?? c.name.slice(prefix.length);
      if (!appeared.includes(what)) appeared.push(what);
    }
    const visitor = Object.values(m.topology.containers).find((c) => c.name === `${prefix}${DEMO_VISITOR}`);
    if (visitor?.state === "running" && Object.keys(visitor.endpoints).length === 2) connected = shapeOf(m.topology);
  }
  return { appeared, connected, end: shapeOf(timeline.topologyAt(timeline.moments.length - 1)) };
}
