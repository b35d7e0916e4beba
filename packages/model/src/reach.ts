import type { Language } from "./language";
import { ridesOnParent } from "./queries";
import type { Container, Network, Topology } from "./topology";
import type { DnsCode, IpCode, ReachAnswer, ReachVia } from "./wire/reach";

/**
 * "Can A reach B, and why?": the answer the document keeps giving, computed from the topology
 * alone. IPv4 only. The rules are checked against live pings and lookups on a real engine
 * (packages/lab's reach test prints the table).
 */

/** The sentence for an IP code (the evidence step rewrites an answer the host's rules overrule). */
export function ipSentence(language: Language, code: IpCode, words: Words): string {
  return sentences[language].ip[code](words);
}

/** Answers whether `fromId` can reach `toId` by IP and by name, and why, in `language`. */
export function explainReach(topology: Topology, fromId: string, toId: string, language: Language = "en"): ReachAnswer {
  const from = topology.containers[fromId];
  const to = topology.containers[toId];
  const say = sentences[language];
  const names = { a: from?.name ?? fromId, b: to?.name ?? toId };
  const ip = ipFacts(topology, from, to);
  const dns = dnsFacts(topology, from, to);
  return {
    from: { id: fromId, name: names.a },
    to: { id: toId, name: names.b },
    ip: { reachable: ip.reachable, code: ip.code, via: ip.via, reason: say.ip[ip.code]({ ...names, ...ip.words }) },
    dns: {
      resolves: dns.resolves,
      code: dns.code,
      address: dns.addresses[0] ?? null,
      addresses: dns.addresses,
      names: dns.names,
      reason: say.dns[dns.code]({ ...names, ...dns.words }),
    },
  };
}

/**
 * The IPv4 addresses at which `to` can be tried from `from`: its own addresses (its netns
 * owner's), or, for a host-mode `to`, the host as `from` sees it (127.0.0.1 from the host's own
 * stack, else the gateways of `from`'s networks). Empty when `to` has no address at all (none
 * mode, stopped). Every address is on this engine's networks or loopback: probes use this list.
 */
export function reachTargets(topology: Topology, fromId: string, toId: string): string[] {
  const from = topology.containers[fromId];
  const to = topology.containers[toId];
  if (!from || !to) return [];
  const a = netnsOwner(topology, from);
  const b = netnsOwner(topology, to);
  if (a.id === b.id) return unique([...ownAddresses(b), "127.0.0.1"]);
  if (modeOf(b) === "host") return modeOf(a) === "host" ? ["127.0.0.1"] : gateways(topology, a);
  return ownAddresses(b);
}

type Words = Record<string, string>;
interface IpFacts {
  reachable: boolean;
  code: IpCode;
  via: ReachVia | null;
  words: Words;
}
interface DnsFacts {
  resolves: boolean;
  code: DnsCode;
  addresses: string[];
  names: string[];
  words: Words;
}

type Mode = "host" | "none" | "bridge";

/**
 * The container whose network namespace `c` lives in: itself, or the one it joined with
 * `--network container:`, followed through chains of joins.
 */
export function netnsOwner(topology: Topology, c: Container): Container {
  const seen = new Set<string>();
  let current = c;
  while (current.netnsOwnerId && !seen.has(current.id)) {
    seen.add(current.id);
    const owner = topology.containers[current.netnsOwnerId];
    if (!owner) break;
    current = owner;
  }
  return current;
}

function modeOf(c: Container): Mode {
  if (c.networkMode === "host") return "host";
  if (c.networkMode === "none") return "none";
  return "bridge";
}

function running(c: Container): boolean {
  return c.state === "running";
}

function ownAddresses(c: Container): string[] {
  return unique(Object.values(c.endpoints).flatMap((e) => (e.ipv4 ? [e.ipv4] : [])));
}

function gateways(topology: Topology, c: Container): string[] {
  const out: string[] = [];
  for (const [networkId, e] of Object.entries(c.endpoints)) {
    const gateway = e.gateway ?? topology.networks[networkId]?.subnets[0]?.gateway ?? null;
    if (gateway) out.push(gateway);
  }
  return unique(out);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function netName(topology: Topology, id: string, fallback = id): string {
  return topology.networks[id]?.name ?? fallback;
}

function bridgeWords(network: Network | undefined): string {
  return network?.bridge ?? network?.name ?? "?";
}

function ipFacts(topology: Topology, from: Container | undefined, to: Container | undefined): IpFacts {
  const no = (code: IpCode, words: Words = {}): IpFacts => ({ reachable: false, code, via: null, words });
  if (!from) return no("from-missing");
  if (!to) return no("to-missing");
  if (!running(from)) return no("from-stopped", { state: from.state });
  if (!running(to)) return no("to-stopped", { state: to.state });
  const a = netnsOwner(topology, from);
  const b = netnsOwner(topology, to);
  if (a.id === b.id) {
    const address = ownAddresses(b)[0] ?? "127.0.0.1";
    return {
      reachable: true,
      code: "same-netns",
      via: { kind: "netns", networkId: null, address },
      words: { owner: b.name, address },
    };
  }
  const [ma, mb] = [modeOf(a), modeOf(b)];
  if (ma === "none") return no("from-none");
  if (mb === "none") return no("to-none");
  if (ma === "host" && mb === "host") {
    return {
      reachable: true,
      code: "both-host",
      via: { kind: "host", networkId: null, address: "127.0.0.1" },
      words: {},
    };
  }
  if (ma === "host" || mb === "host") {
    // A macvlan or ipvlan child and its own host: the parent does not pass packets between them.
    const child = ma === "host" ? b : a;
    const riding = ridingOnly(topology, child);
    if (riding) return no("parent-host", ridingWordsOf(riding, { child: child.name }));
  }
  if (ma === "host" || mb === "host") {
    // An isolated gateway mode (Docker 28+): the bridge has no address, so the host has no way in or out.
    const child = ma === "host" ? b : a;
    const isolated = isolatedOnly(topology, child);
    if (isolated)
      return no("gateway-isolated", { child: child.name, network: isolated.name, bridge: bridgeWords(isolated) });
  }
  if (ma === "host") {
    const [networkId, endpoint] = firstAddressed(b, topology);
    if (!networkId || !endpoint?.ipv4) return no("to-stopped", { state: to.state });
    const address = endpoint.ipv4;
    const bridge = bridgeWords(topology.networks[networkId]);
    return {
      reachable: true,
      code: "from-host",
      via: { kind: "host", networkId, address },
      words: { address, bridge },
    };
  }
  if (mb === "host") {
    const [networkId, endpoint] = firstAddressed(a, topology);
    const address = endpoint?.gateway ?? (networkId ? topology.networks[networkId]?.subnets[0]?.gateway : null);
    if (!networkId || !address) return no("from-none");
    return {
      reachable: true,
      code: "to-host",
      via: { kind: "host", networkId, address },
      words: { address, bridge: bridgeWords(topology.networks[networkId]) },
    };
  }
  return bridgeToBridge(topology, a, b);
}

/** The container's macvlan or ipvlan network when it has an address on no other: what it rides on alone. */
function ridingOnly(topology: Topology, c: Container): Network | undefined {
  const nets = Object.entries(c.endpoints)
    .filter(([, e]) => e.ipv4)
    .map(([id]) => topology.networks[id]);
  return nets.length > 0 && nets.every((n) => n && ridesOnParent(n)) ? nets[0] : undefined;
}

/** What a sentence says of a macvlan or ipvlan network: its name, its driver and mode, its parent. */
function ridingWordsOf(network: Network, words: Words = {}): Words {
  return {
    ...words,
    network: network.name,
    driver: network.driver,
    mode: network.mode ?? "",
    parent: network.parent ?? "?",
  };
}

/** The first network the container has an IPv4 address on, past those whose gateway mode is isolated. */
function firstAddressed(c: Container, topology: Topology): [string | null, Container["endpoints"][string] | null] {
  for (const [networkId, e] of Object.entries(c.endpoints))
    if (e.ipv4 && topology.networks[networkId]?.gatewayMode?.ipv4 !== "isolated") return [networkId, e];
  return [null, null];
}

/** The container's network when every network it has an address on is isolated (gateway mode). */
function isolatedOnly(topology: Topology, c: Container): Network | undefined {
  const nets = Object.entries(c.endpoints)
    .filter(([, e]) => e.ipv4)
    .map(([id]) => topology.networks[id]);
  return nets.length > 0 && nets.every((n) => n?.gatewayMode?.ipv4 === "isolated") ? nets[0] : undefined;
}

/** Both have interfaces on bridges: a shared network carries the packet unless ICC is off on it. */
function bridgeToBridge(topology: Topology, a: Container, b: Container): IpFacts {
  const shared = Object.keys(a.endpoints).filter((id) => b.endpoints[id]?.ipv4);
  const open = shared.find((id) => topology.networks[id]?.icc !== false);
  const riding = open ? topology.networks[open] : undefined;
  if (open && riding && ridesOnParent(riding)) {
    // Children of one parent: the macvlan or ipvlan driver carries the packet inside the kernel,
    // never through the host's bridge or firewall; by its mode.
    const address = b.endpoints[open]?.ipv4 as string;
    for (const mode of ["private", "vepa"] as const) {
      if (riding.driver === "macvlan" && riding.mode === mode)
        return { reachable: false, code: `parent-${mode}`, via: null, words: ridingWordsOf(riding) };
    }
    return {
      reachable: true,
      code: "shared-parent",
      via: { kind: "network", networkId: open, address },
      words: ridingWordsOf(riding, { address, routed: riding.driver === "ipvlan" && riding.mode !== "l2" ? "1" : "" }),
    };
  }
  if (open) {
    const address = b.endpoints[open]?.ipv4 as string;
    const network = topology.networks[open];
    return {
      reachable: true,
      code: "shared-network",
      via: { kind: "network", networkId: open, address },
      words: { network: netName(topology, open), bridge: bridgeWords(network), address },
    };
  }
  if (shared.length > 0) {
    const id = shared[0] as string;
    return { reachable: false, code: "icc-off", via: null, words: { network: netName(topology, id) } };
  }
  const aNets = Object.keys(a.endpoints);
  const bNets = Object.keys(b.endpoints);
  const words = {
    networksA: aNets.map((id) => netName(topology, id, a.endpoints[id]?.networkName)).join(", ") || "-",
    networksB: bNets.map((id) => netName(topology, id, b.endpoints[id]?.networkName)).join(", ") || "-",
  };
  // A macvlan or ipvlan child leaves through its parent as it is: it meets the other only outside the host.
  const ridingNet = [...aNets, ...bNets].map((id) => topology.networks[id]).find((n) => n && ridesOnParent(n));
  if (ridingNet) return { reachable: false, code: "parent-apart", via: null, words: ridingWordsOf(ridingNet, words) };
  const allInternal = aNets.length > 0 && aNets.every((id) => topology.networks[id]?.internal);
  return { reachable: false, code: allInternal ? "internal" : "isolated", via: null, words };
}

function dnsFacts(topology: Topology, from: Container | undefined, to: Container | undefined): DnsFacts {
  const no = (code: DnsCode, words: Words = {}): DnsFacts => ({
    resolves: false,
    code,
    addresses: [],
    names: [],
    words,
  });
  if (!from) return no("from-missing");
  if (!to) return no("to-missing");
  if (!running(from)) return no("from-stopped", { state: from.state });
  const a = netnsOwner(topology, from);
  const mode = modeOf(a);
  if (mode === "none") return no("from-none");
  if (mode === "host") return no("from-host");
  const dnsNets = Object.keys(a.endpoints).filter((id) => topology.networks[id]?.embeddedDns);
  if (dnsNets.length === 0) return no("default-bridge");
  const netList = dnsNets.map((id) => netName(topology, id)).join(", ");
  if (!running(to)) return no("to-stopped", { state: to.state });
  if (to.netnsOwnerId) {
    const owner = topology.containers[to.netnsOwnerId];
    return no("to-joined", { owner: owner?.name ?? to.netnsOwnerId });
  }
  if (modeOf(to) !== "bridge") return no("to-no-endpoint", { mode: to.networkMode });
  const shared = dnsNets.filter((id) => to.endpoints[id]?.ipv4);
  if (shared.length === 0) return no("not-on-shared-network", { networks: netList });
  const addresses = unique(shared.map((id) => to.endpoints[id]?.ipv4 as string));
  const aliases = shared.flatMap((id) => to.endpoints[id]?.aliases ?? []);
  const names = unique([to.name, ...aliases]);
  const first = shared[0] as string;
  return {
    resolves: true,
    code: "embedded-dns",
    addresses,
    names,
    words: { network: netName(topology, first), address: addresses[0] as string, names: names.join(", ") },
  };
}

type Sentence = (w: Words) => string;

const sentences: Record<Language, { ip: Record<IpCode, Sentence>; dns: Record<DnsCode, Sentence> }> = {
  en: {
    ip: {
      "from-missing": (w) => `There is no container ${w.a} on this engine.`,
      "to-missing": (w) => `There is no container ${w.b} on this engine.`,
      "from-stopped": (w) => `${w.a} is ${w.state}: a stopped container has no network stack to send from.`,
      "to-stopped": (w) => `${w.b} is ${w.state}: a stopped container has no address anyone can reach.`,
      "same-netns": (w) =>
        `${w.a} and ${w.b} share one network namespace (${w.owner}'s): the same interfaces, so ${w.b} answers at ${w.address} and at 127.0.0.1.`,
      "from-none": (w) => `${w.a} has network "none": only lo, no route to anything else.`,
      "to-none": (w) => `${w.b} has network "none": only lo, no address anyone else can reach.`,
      "both-host": (w) =>
        `${w.a} and ${w.b} both use the host's network stack: they are on one machine, 127.0.0.1 reaches both.`,
      "from-host": (w) =>
        `${w.a} uses the host's network stack, and the host has a route to every Docker bridge: it reaches ${w.b} at ${w.address} through ${w.bridge}.`,
      "to-host": (w) =>
        `${w.b} uses the host's network stack (no IP of its own): ${w.a} reaches the host at ${w.address}, ${w.bridge}'s address on the host.`,
      "shared-network": (w) =>
        `${w.a} and ${w.b} are both on ${w.network}: the packet goes out ${w.a}'s veth into ${w.bridge} and back out ${w.b}'s veth to ${w.address}.`,
      "icc-off": (w) =>
        `${w.a} and ${w.b} share ${w.network}, but inter-container communication (ICC) is off on it: the bridge drops traffic between its containers.`,
      internal: (w) =>
        `${w.a} is only on internal networks (${w.networksA}): they have no way out, and ${w.b} is on ${w.networksB}.`,
      isolated: (w) =>
        `${w.a} is on ${w.networksA} and ${w.b} on ${w.networksB}: Docker isolates bridges from each other, so the packet is dropped on the host.`,
      "blocked-by-rule": (w) =>
        `Docker's own rules would let ${w.a} reach ${w.b}, but the host's firewall drops the packet: blocked by ${w.chain}: ${w.rule}.`,
      "allowed-by-rule": (w) =>
        `Docker's own rules would keep ${w.a} from ${w.b}, but the host's firewall lets the packet through: allowed by ${w.chain}: ${w.rule}.`,
      "shared-parent": (w) =>
        w.routed
          ? `${w.a} and ${w.b} both ride on ${w.parent} (${w.network}, ${w.driver} ${w.mode}): the parent routes between its children, with no broadcast domain between them, and ${w.b} answers at ${w.address}; the host's bridges and firewall are not on the way.`
          : `${w.a} and ${w.b} both ride on ${w.parent} (${w.network}, ${w.driver} ${w.mode} mode): the driver switches between the parent's children inside the kernel, so ${w.b} answers at ${w.address}; the host's bridges and firewall are not on the way.`,
      "parent-host": (w) =>
        `${w.child} rides on ${w.parent} (${w.network}, ${w.driver}) and has no other network: the kernel does not pass packets between a ${w.driver} parent and its own children, so ${w.child} and the host cannot reach each other through it (a ${w.driver} interface of the host's own on ${w.parent} would).`,
      "parent-private": (w) =>
        `${w.a} and ${w.b} both ride on ${w.parent} (${w.network}), but in macvlan private mode: the driver passes nothing between the parent's children, so the packet is dropped.`,
      "parent-vepa": (w) =>
        `${w.a} and ${w.b} both ride on ${w.parent} (${w.network}) in macvlan VEPA mode: the packet leaves through ${w.parent} and comes back only if the switch outside sends it back out the port it came in on (hairpin), which netdive cannot see from the host.`,
      "gateway-isolated": (w) =>
        `${w.child} is only on ${w.network}, whose IPv4 gateway mode is "isolated": its bridge ${w.bridge} has no address, so the host has no route to ${w.child} and ${w.child} has no gateway to the host.`,
      "parent-apart": (w) =>
        `${w.a} is on ${w.networksA} and ${w.b} on ${w.networksB}: ${w.network} rides on ${w.parent} (${w.driver}), whose packets leave the host as they are, so the two meet only in the network outside this host, not through it.`,
    },
    dns: {
      "from-missing": (w) => `There is no container ${w.a} on this engine.`,
      "to-missing": (w) => `There is no container ${w.b} on this engine.`,
      "from-stopped": (w) => `${w.a} is ${w.state}: nothing in it can look a name up.`,
      "to-stopped": (w) => `${w.b} is ${w.state}: Docker's DNS drops the names of stopped containers.`,
      "from-none": (w) => `${w.a} has network "none": it cannot reach any DNS server.`,
      "from-host": (w) =>
        `${w.a} uses the host's resolver (the host's /etc/resolv.conf): it knows nothing about container names.`,
      "default-bridge": (w) =>
        `${w.a} is only on the default bridge: there is no embedded DNS there, its resolv.conf is the host's, so container names do not resolve (use an IP, or a user-defined network).`,
      "to-joined": (w) =>
        `${w.b} joined ${w.owner}'s network namespace and has no endpoint of its own, so Docker's DNS has no record for its name: look up ${w.owner} instead.`,
      "to-no-endpoint": (w) =>
        `${w.b} runs with network "${w.mode}": it has no endpoint on any Docker network, so Docker's DNS has no record for it.`,
      "embedded-dns": (w) =>
        `${w.a} asks Docker's embedded DNS at 127.0.0.11, which knows every container on ${w.network}: ${w.names} → ${w.address}.`,
      "not-on-shared-network": (w) =>
        `${w.a} asks Docker's embedded DNS at 127.0.0.11, which only knows containers on ${w.a}'s own networks (${w.networks}); ${w.b} is on none of them.`,
    },
  },
  es: {
    ip: {
      "from-missing": (w) => `No hay ningún contenedor ${w.a} en este motor.`,
      "to-missing": (w) => `No hay ningún contenedor ${w.b} en este motor.`,
      "from-stopped": (w) => `${w.a} está ${w.state}: un contenedor detenido no tiene pila de red desde la que enviar.`,
      "to-stopped": (w) => `${w.b} está ${w.state}: un contenedor detenido no tiene dirección alcanzable.`,
      "same-netns": (w) =>
        `${w.a} y ${w.b} comparten un mismo espacio de nombres de red (el de ${w.owner}): las mismas interfaces, así que ${w.b} responde en ${w.address} y en 127.0.0.1.`,
      "from-none": (w) => `${w.a} tiene red "none": solo lo, sin ruta hacia nada más.`,
      "to-none": (w) => `${w.b} tiene red "none": solo lo, ninguna dirección que otro pueda alcanzar.`,
      "both-host": (w) =>
        `${w.a} y ${w.b} usan la pila de red del anfitrión: están en la misma máquina, 127.0.0.1 llega a ambos.`,
      "from-host": (w) =>
        `${w.a} usa la pila de red del anfitrión, y el anfitrión tiene ruta a cada puente de Docker: llega a ${w.b} en ${w.address} a través de ${w.bridge}.`,
      "to-host": (w) =>
        `${w.b} usa la pila de red del anfitrión (no tiene IP propia): ${w.a} llega al anfitrión en ${w.address}, la dirección de ${w.bridge} en el anfitrión.`,
      "shared-network": (w) =>
        `${w.a} y ${w.b} están ambos en ${w.network}: el paquete sale por el veth de ${w.a} hacia ${w.bridge} y vuelve a salir por el veth de ${w.b} hacia ${w.address}.`,
      "icc-off": (w) =>
        `${w.a} y ${w.b} comparten ${w.network}, pero la comunicación entre contenedores (ICC) está desactivada: el puente descarta el tráfico entre sus contenedores.`,
      internal: (w) =>
        `${w.a} solo está en redes internas (${w.networksA}): no tienen salida, y ${w.b} está en ${w.networksB}.`,
      isolated: (w) =>
        `${w.a} está en ${w.networksA} y ${w.b} en ${w.networksB}: Docker aísla los puentes entre sí, así que el anfitrión descarta el paquete.`,
      "blocked-by-rule": (w) =>
        `Las reglas de Docker dejarían a ${w.a} llegar a ${w.b}, pero el cortafuegos del anfitrión descarta el paquete: bloqueado por ${w.chain}: ${w.rule}.`,
      "allowed-by-rule": (w) =>
        `Las reglas de Docker impedirían a ${w.a} llegar a ${w.b}, pero el cortafuegos del anfitrión deja pasar el paquete: permitido por ${w.chain}: ${w.rule}.`,
      "shared-parent": (w) =>
        w.routed
          ? `${w.a} y ${w.b} van ambos sobre ${w.parent} (${w.network}, ${w.driver} ${w.mode}): el padre enruta entre sus hijos, sin dominio de difusión entre ellos, y ${w.b} responde en ${w.address}; ni los puentes ni el cortafuegos del anfitrión están en el camino.`
          : `${w.a} y ${w.b} van ambos sobre ${w.parent} (${w.network}, ${w.driver} en modo ${w.mode}): el driver conmuta entre los hijos del padre dentro del kernel, así que ${w.b} responde en ${w.address}; ni los puentes ni el cortafuegos del anfitrión están en el camino.`,
      "parent-host": (w) =>
        `${w.child} va sobre ${w.parent} (${w.network}, ${w.driver}) y no tiene otra red: el kernel no pasa paquetes entre un padre ${w.driver} y sus propios hijos, así que ${w.child} y el anfitrión no se alcanzan a través de él (una interfaz ${w.driver} propia del anfitrión sobre ${w.parent} sí lo haría).`,
      "parent-private": (w) =>
        `${w.a} y ${w.b} van ambos sobre ${w.parent} (${w.network}), pero en modo macvlan private: el driver no pasa nada entre los hijos del padre, así que el paquete se descarta.`,
      "parent-vepa": (w) =>
        `${w.a} y ${w.b} van ambos sobre ${w.parent} (${w.network}) en modo macvlan VEPA: el paquete sale por ${w.parent} y solo vuelve si el switch de fuera lo reenvía por el puerto por el que entró (hairpin), algo que netdive no ve desde el anfitrión.`,
      "gateway-isolated": (w) =>
        `${w.child} solo está en ${w.network}, cuyo modo de pasarela IPv4 es "isolated": su puente ${w.bridge} no tiene dirección, así que el anfitrión no tiene ruta hacia ${w.child} y ${w.child} no tiene pasarela hacia el anfitrión.`,
      "parent-apart": (w) =>
        `${w.a} está en ${w.networksA} y ${w.b} en ${w.networksB}: ${w.network} va sobre ${w.parent} (${w.driver}), cuyos paquetes salen del anfitrión tal cual, así que los dos solo se encuentran en la red de fuera de este anfitrión, no a través de él.`,
    },
    dns: {
      "from-missing": (w) => `No hay ningún contenedor ${w.a} en este motor.`,
      "to-missing": (w) => `No hay ningún contenedor ${w.b} en este motor.`,
      "from-stopped": (w) => `${w.a} está ${w.state}: nada en él puede resolver un nombre.`,
      "to-stopped": (w) => `${w.b} está ${w.state}: el DNS de Docker olvida los nombres de los contenedores detenidos.`,
      "from-none": (w) => `${w.a} tiene red "none": no puede llegar a ningún servidor DNS.`,
      "from-host": (w) =>
        `${w.a} usa el resolvedor del anfitrión (su /etc/resolv.conf): no sabe nada de nombres de contenedores.`,
      "default-bridge": (w) =>
        `${w.a} solo está en el puente por defecto: ahí no hay DNS integrado, su resolv.conf es el del anfitrión, así que los nombres de contenedor no se resuelven (usa una IP o una red definida por el usuario).`,
      "to-joined": (w) =>
        `${w.b} se unió al espacio de nombres de red de ${w.owner} y no tiene punto de conexión propio, así que el DNS de Docker no tiene registro de su nombre: busca ${w.owner}.`,
      "to-no-endpoint": (w) =>
        `${w.b} usa la red "${w.mode}": no tiene punto de conexión en ninguna red de Docker, así que el DNS de Docker no lo conoce.`,
      "embedded-dns": (w) =>
        `${w.a} pregunta al DNS integrado de Docker en 127.0.0.11, que conoce a cada contenedor de ${w.network}: ${w.names} → ${w.address}.`,
      "not-on-shared-network": (w) =>
        `${w.a} pregunta al DNS integrado de Docker en 127.0.0.11, que solo conoce los contenedores de las redes de ${w.a} (${w.networks}); ${w.b} no está en ninguna.`,
    },
  },
};
