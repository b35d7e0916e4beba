import type { Container, ContainerInterface, HostInterface, Network, Port, Topology } from "./topology";

/**
 * Hosts of every shape from a seed, for testing what is drawn over hosts nobody recorded: a few
 * containers or three hundred, one network or forty, containers that publish nothing or eight
 * ports on both address families, compose v1 and v2 names up to 48 characters, namespace joins,
 * host and none mode. Pure and deterministic: the same seed and shape give the same topology.
 */
export interface HostShape {
  /** How many containers, inclusive range. */
  containers: [number, number];
  /** How many user-defined networks (docker0 comes in addition), inclusive range. */
  networks: [number, number];
  /** Published ports per container, inclusive range (each on 0.0.0.0 and :: most of the time). */
  ports: [number, number];
  /** Share of containers on a second network. */
  multiHomed: number;
  /** Shares of containers in host mode, none mode, joined to another's network namespace, sharing another's PID namespace. */
  hostMode: number;
  noneMode: number;
  netnsJoin: number;
  pidJoin: number;
  /** Share of containers put on the largest network instead of a random one (one huge network at 1). */
  crowd: number;
}

/** A shape's shares of the unusual: none (each shape below says what it has). */
const PLAIN = { multiHomed: 0, hostMode: 0, noneMode: 0, netnsJoin: 0, pidJoin: 0, crowd: 0 };

/** The shapes the layout is tested over, from the shape of a laptop to the busiest host. */
export const HOST_SHAPES = {
  any: {
    ...PLAIN,
    containers: [1, 300],
    networks: [1, 40],
    ports: [0, 8],
    multiHomed: 0.15,
    hostMode: 0.04,
    noneMode: 0.03,
    netnsJoin: 0.05,
    pidJoin: 0.03,
  },
  /** Issue 22's busy host: some forty containers on sixteen networks, many of them publishing. */
  busy: {
    ...PLAIN,
    containers: [30, 40],
    networks: [15, 17],
    ports: [0, 3],
    multiHomed: 0.2,
    hostMode: 0.04,
    netnsJoin: 0.06,
    pidJoin: 0.02,
  },
  manyPorts: { ...PLAIN, containers: [20, 30], networks: [3, 5], ports: [6, 8], multiHomed: 0.1 },
  manySmallNetworks: { ...PLAIN, containers: [40, 40], networks: [40, 40], ports: [0, 1] },
  oneHugeNetwork: { ...PLAIN, containers: [150, 150], networks: [1, 1], ports: [0, 1], crowd: 1 },
} satisfies Record<string, HostShape>;

/** mulberry32: a small, fast, seedable generator (uniform in [0, 1)). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROJECTS = [
  "nextcloud",
  "docker-elk",
  "react-express-mysql",
  "pihole-unbound",
  "grafana-prometheus",
  "traefik",
  "nginx-flask-mongo",
  "wordpress-mariadb",
  "gitea",
  "home-automation-stack",
  "media-server-with-vpn",
  "observability-platform-dev",
  "compose-v1-project-with-a-long-name",
];
const SERVICES = ["app", "db", "redis", "web", "proxy", "worker", "cron", "elasticsearch", "kibana", "backend"];
const NETS = ["default", "backend", "frontend", "dbnet", "redisnet", "monitoring", "proxy-tier", "internal"];

/** A hex id of 64 characters whose start says what it is and which one. */
const hexId = (kind: number, n: number) => `${kind.toString(16)}${n.toString(16).padStart(11, "0")}${"a".repeat(52)}`;

/** A topology of one engine ("local") of the given shape, kernel facts visible, every container running. */
export function generateHost(seed: number, shape: HostShape = HOST_SHAPES.any): Topology {
  const rnd = random(seed);
  const int = ([lo, hi]: [number, number]) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const engineId = "local";
  const interfaces: HostInterface[] = [];
  let ifindex = 1;
  const hostIf = (name: string, kind: HostInterface["kind"], addresses: string[], master: string | null = null) => {
    const iface: HostInterface = {
      name,
      ifindex: ifindex++,
      kind,
      mac: "02:42:00:00:00:00",
      mtu: 1500,
      state: "UP",
      addresses,
      master,
      defaultRoute: name === "eth0",
      peerIfindex: null,
    };
    interfaces.push(iface);
    return iface;
  };
  hostIf("lo", "loopback", ["127.0.0.1/8"]);
  hostIf("eth0", "physical", ["192.0.2.10/24"]);

  const networks: Network[] = [];
  const addNetwork = (name: string, project: string | null, k: number, isDefault: boolean) => {
    const id = hexId(1, k);
    const bridge = isDefault ? "docker0" : `br-${id.slice(0, 12)}`;
    const third = k % 250;
    const second = 16 + Math.floor(k / 250);
    hostIf(bridge, "bridge", [`10.${second}.${third}.1/24`]);
    networks.push({
      id,
      engineId,
      name,
      driver: "bridge",
      scope: "local",
      internal: !isDefault && rnd() < 0.1,
      subnets: [{ subnet: `10.${second}.${third}.0/24`, gateway: `10.${second}.${third}.1` }],
      bridge,
      composeProject: project,
      embeddedDns: !isDefault,
      containerIds: [],
      isDefaultBridge: isDefault,
      icc: true,
      labels: project ? { "com.docker.compose.project": project } : {},
    });
  };
  addNetwork("bridge", null, 0, true);
  const netCount = int(shape.networks);
  for (let k = 1; k <= netCount; k++) {
    const project = rnd() < 0.85 ? `${pick(PROJECTS)}${rnd() < 0.3 ? `-${k}` : ""}` : null;
    const base = pick(NETS);
    addNetwork(project ? `${project}_${base}` : `${base}-net-${k}`, project, k, false);
  }
  const userNets = networks.slice(1);
  const crowded = userNets[0] ?? networks[0]!;

  const containers: Container[] = [];
  const names = new Set<string>();
  let hostPort = 1024;
  const count = int(shape.containers);
  for (let i = 0; i < count; i++) {
    const id = hexId(2, i);
    const home = rnd() < shape.crowd ? crowded : rnd() < 0.1 || userNets.length === 0 ? networks[0]! : pick(userNets);
    const project = home.composeProject;
    const service = pick(SERVICES);
    // Compose v1 names with underscores, v2 with hyphens; a plain `docker run` name otherwise.
    let name = project
      ? rnd() < 0.5
        ? `${project}_${service}_${1 + (i % 3)}`
        : `${project}-${service}-${1 + (i % 3)}`
      : `${service}-${i}`;
    name = name.slice(0, 48);
    if (names.has(name)) name = `${name.slice(0, 40)}-${i}`;
    names.add(name);
    const roll = rnd();
    const earlier = containers.filter((c) => c.networkMode !== "host" && c.netnsOwnerId === null);
    const mode =
      roll < shape.hostMode
        ? "host"
        : roll < shape.hostMode + shape.noneMode
          ? "none"
          : roll < shape.hostMode + shape.noneMode + shape.netnsJoin && earlier.length > 0
            ? "join"
            : "bridge";
    const owner = mode === "join" ? pick(earlier) : null;
    const pidOwner = rnd() < shape.pidJoin && containers.length > 0 ? pick(containers) : null;
    const c: Container = {
      id,
      engineId,
      name,
      image: rnd() < 0.3 ? `docker.elastic.co/${service}/${service}:8.11.${i % 10}` : `${service}:latest`,
      state: "running",
      networkMode: mode === "host" ? "host" : mode === "none" ? "none" : owner ? `container:${owner.id}` : home.name,
      netnsOwnerId: owner?.id ?? null,
      pidnsOwnerId: pidOwner?.id ?? null,
      endpoints: {},
      interfaces: [],
      kernel: { visible: true, reason: null },
      ports: [],
      composeProject: project,
      composeService: project ? service : null,
      labScenario: null,
      hostname: id.slice(0, 12),
      pid: 1000 + i,
    };
    if (mode === "bridge") {
      const nets = [home];
      if (rnd() < shape.multiHomed && userNets.length > 1) {
        const other = pick(userNets.filter((n) => n !== home));
        if (other) nets.push(other);
      }
      const lo: ContainerInterface = {
        name: "lo",
        ifindex: 1,
        mac: "00:00:00:00:00:00",
        addresses: ["127.0.0.1/8"],
        hostPeer: null,
      };
      c.interfaces.push(lo);
      nets.forEach((n, k) => {
        n.containerIds.push(id);
        const [a, b, third] = n.subnets[0]!.subnet.split(".") as [string, string, string];
        const ip = `${a}.${b}.${third}.${2 + n.containerIds.length}`;
        c.endpoints[n.id] = {
          networkName: n.name,
          ipv4: ip,
          prefixLen: 24,
          mac: "02:42:0a:00:00:02",
          gateway: n.subnets[0]!.gateway,
          ipv6: null,
          aliases: [],
        };
        const veth = hostIf(`veth${(ifindex + 0x1000).toString(16)}`, "veth", [], n.bridge);
        c.interfaces.push({
          name: `eth${k}`,
          ifindex: 2 + k,
          mac: "02:42:0a:00:00:02",
          addresses: [`${ip}/24`],
          hostPeer: { name: veth.name, ifindex: veth.ifindex, bridge: n.bridge },
        });
      });
    } else if (mode === "none") {
      c.interfaces.push({
        name: "lo",
        ifindex: 1,
        mac: "00:00:00:00:00:00",
        addresses: ["127.0.0.1/8"],
        hostPeer: null,
      });
    }
    if (mode !== "join") {
      const ports: Port[] = [];
      for (let k = int(shape.ports); k > 0; k--) {
        const protocol = rnd() < 0.85 ? "tcp" : "udp";
        const containerPort = pick([80, 443, 53, 3000, 5432, 8080, 9200, 9300]);
        const port = hostPort++;
        const where = rnd();
        if (where < 0.1) ports.push({ containerPort, protocol, hostIp: "127.0.0.1", hostPort: port });
        else if (where < 0.3) ports.push({ containerPort, protocol, hostIp: "0.0.0.0", hostPort: port });
        else
          ports.push(
            { containerPort, protocol, hostIp: "0.0.0.0", hostPort: port },
            { containerPort, protocol, hostIp: "::", hostPort: port },
          );
      }
      c.ports = ports;
    }
    containers.push(c);
  }
  return {
    revision: 1,
    engines: { [engineId]: { id: engineId, name: `gen-${seed}`, url: "unix:///var/run/docker.sock", reachable: true } },
    hosts: { [engineId]: { hostname: `gen-${seed}`, interfaces, kernel: { visible: true, reason: null } } },
    networks: Object.fromEntries(networks.map((n) => [n.id, n])),
    containers: Object.fromEntries(containers.map((c) => [c.id, c])),
  };
}

/**
 * The host with one more container, a copy of one of its bridged containers (picked by `seed`) on
 * the same networks, with veths of its own: what a `docker run` adds, for "nothing moves" checks.
 */
export function withOneMoreContainer(t: Topology, seed: number): Topology {
  // A topology is JSON (the model has no structuredClone: no DOM or Node library).
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  const next = copy(t);
  const bridged = Object.values(next.containers).filter((c) => c.interfaces.some((i) => i.hostPeer));
  if (bridged.length === 0) return next;
  const template = bridged[seed % bridged.length]!;
  const id = "e".repeat(64);
  next.containers[id] = {
    ...copy(template),
    id,
    name: `zz-newcomer-${seed}`,
    interfaces: template.interfaces.map((i) => ({
      ...i,
      hostPeer: i.hostPeer ? { ...i.hostPeer, name: `vethnew${i.name}` } : null,
    })),
  };
  for (const netId of Object.keys(template.endpoints)) next.networks[netId]?.containerIds.push(id);
  return next;
}
