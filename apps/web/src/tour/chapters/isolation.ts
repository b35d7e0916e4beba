import type { Container, Network } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { bridgeAddress, bridgesOf, containersFor, drawnBridges, firstV4, hostNic, membersOf } from "../find";
import type { Chapter, TourContext } from "../types";
import { focus, list, missing } from "./common";

/** Drawn bridges that fit, those holding the lab's `isolation` containers first. */
function networksFor(ctx: TourContext, fits: (n: Network) => boolean): Network[] {
  const rank = (n: Network) => (membersOf(ctx, n).some((c) => c.labScenario === "isolation") ? 0 : 1);
  return drawnBridges(ctx)
    .filter(fits)
    .sort((a, b) => rank(a) - rank(b));
}

/** A container attached to two bridges or more (the lab's `iso-router` first). */
function router(ctx: TourContext): { c: Container; nets: Network[] } | undefined {
  const c = containersFor(ctx, "isolation", (x) => bridgesOf(ctx, x).length >= 2)[0];
  return c ? { c, nets: bridgesOf(ctx, c) } : undefined;
}

/** "eth0 10.1.0.2/24 on iso-left" for each network the container is on. */
function legs(c: Container, nets: readonly Network[]): string[] {
  return nets.map((n) => {
    const iface = c.interfaces.find((i) => i.hostPeer?.bridge === n.bridge);
    const ep = c.endpoints[n.id];
    const addr = iface ? firstV4(iface.addresses) : ep?.ipv4 ? `${ep.ipv4}/${ep.prefixLen ?? ""}` : "";
    return `${iface?.name ?? ""} ${addr} (${n.name})`.trim();
  });
}

const names = (cs: readonly Container[]) => list(cs.map((c) => c.name));

/**
 * Where this engine keeps the rules that drop traffic between bridges: the DOCKER-ISOLATION
 * chains up to Docker 28 (whose nftables backend moves only the DNS rules), DOCKER-FORWARD and
 * per-bridge DROP rules from Docker 29, or the nft table docker-bridges when 29 runs nftables.
 */
export function isolationRules(ctx: TourContext, engineId: string): { en: string; es: string } {
  const engine = ctx.topology.engines[engineId];
  const major = Number(/^(\d+)\./.exec(engine?.version ?? "")?.[1] ?? 0);
  if (major >= 29 && engine?.firewallBackend === "nftables") {
    return {
      en: "Its nftables rules (the docker-bridges table)",
      es: "Sus reglas de nftables (la tabla docker-bridges)",
    };
  }
  if (major >= 29) {
    return {
      en: "Its iptables rules (the DOCKER-FORWARD chain and a DROP rule per bridge)",
      es: "Sus reglas de iptables (la cadena DOCKER-FORWARD y una regla DROP por bridge)",
    };
  }
  return {
    en: "Its iptables rules (the DOCKER-ISOLATION chains)",
    es: "Sus reglas de iptables (las cadenas DOCKER-ISOLATION)",
  };
}

/** Two bridges never meet; a multi-homed container; ICC off; an internal network. */
export const isolationChapter: Chapter = {
  id: "isolation",
  scenario: "isolation",
  title: { en: "Isolation between networks", es: "Aislamiento entre redes" },
  steps: [
    {
      title: { en: "Two bridges, no cable between them", es: "Dos bridges, ningún cable entre ellos" },
      show: (ctx) => {
        const r = router(ctx);
        const [a, b] = r ? r.nets : networksFor(ctx, (n) => !n.isDefaultBridge);
        if (!a || !b) {
          return missing("isolation", {
            en: "This step needs two user-defined bridges on the canvas.",
            es: "Este paso necesita dos bridges definidos por el usuario en el lienzo.",
          });
        }
        const rules = isolationRules(ctx, a.engineId);
        return focus(
          [ids.bridge(a.id), ids.bridge(b.id)],
          {
            en: `${a.name} (${a.bridge}, ${bridgeAddress(ctx, a)}) and ${b.name} (${b.bridge}, ${bridgeAddress(ctx, b)}) are two separate switches, and no edge joins them: Docker never connects two bridges. ${rules.en} even drop what the host would route from one to the other.`,
            es: `${a.name} (${a.bridge}, ${bridgeAddress(ctx, a)}) y ${b.name} (${b.bridge}, ${bridgeAddress(ctx, b)}) son dos switches separados, y ninguna arista los une: Docker nunca conecta dos bridges. ${rules.es} incluso descartan lo que el host enrutaría de uno a otro.`,
          },
          undefined,
          undefined,
          // Nothing that looks like a cable between the two: their NAT lines meet at the NIC, and
          // a container on both is drawn with a line to its other bridge (the next step's subject).
          [a, b]
            .flatMap((n) => [
              ...ctx.graph.edges("nat", { source: ids.bridge(n.id) }),
              ...ctx.graph.edges("member", { target: ids.bridge(n.id) }),
            ])
            .map((e) => e.id),
        );
      },
    },
    {
      title: { en: "One container on both", es: "Un contenedor en las dos" },
      show: (ctx) => {
        const r = router(ctx);
        if (!r) {
          return missing(
            "isolation",
            {
              en: "No running container attached to two networks is on the canvas.",
              es: "No hay en el lienzo ningún contenedor en marcha conectado a dos redes.",
            },
            "docker network connect <second network> <container>",
          );
        }
        const where = list(legs(r.c, r.nets));
        return focus([ids.container(r.c.id), ...r.nets.map((n) => ids.bridge(n.id))], {
          en: `${r.c.name} has one interface on each network: ${where.en}. It is the only one that can talk to both sides, like a machine with two network cards; \`docker network connect\` adds such a leg to a running container.`,
          es: `${r.c.name} tiene una interfaz en cada red: ${where.es}. Es el único que puede hablar con ambos lados, como una máquina con dos tarjetas de red; \`docker network connect\` añade esa pata a un contenedor en marcha.`,
        });
      },
    },
    {
      title: { en: "Inter-container traffic off", es: "Tráfico entre contenedores desactivado" },
      show: (ctx) => {
        const n = networksFor(ctx, (x) => !x.icc)[0];
        if (!n) {
          return missing(
            "isolation",
            {
              en: "No network with inter-container traffic turned off is on the canvas.",
              es: "No hay en el lienzo ninguna red con el tráfico entre contenedores desactivado.",
            },
            "docker network create -o com.docker.network.bridge.enable_icc=false quiet",
          );
        }
        const members = membersOf(ctx, n);
        const who = members.length > 0 ? names(members) : { en: "none yet", es: "ninguno aún" };
        return focus([ids.bridge(n.id), ...members.map((c) => ids.container(c.id))], {
          en: `${n.name} was created with \`-o com.docker.network.bridge.enable_icc=false\`: its containers (${who.en}) cannot talk to each other, although each still reaches its gateway ${bridgeAddress(ctx, n)} and, through NAT, the outside.`,
          es: `${n.name} se creó con \`-o com.docker.network.bridge.enable_icc=false\`: sus contenedores (${who.es}) no pueden hablar entre sí, aunque cada uno sigue llegando a su puerta de enlace ${bridgeAddress(ctx, n)} y, por NAT, al exterior.`,
        });
      },
    },
    {
      title: { en: "An internal network: no way out", es: "Una red interna: sin salida" },
      show: (ctx) => {
        const n = networksFor(ctx, (x) => x.internal)[0];
        if (!n) {
          return missing("isolation", {
            en: "No internal network is on the canvas.",
            es: "No hay ninguna red interna en el lienzo.",
          });
        }
        const members = membersOf(ctx, n);
        const who = members.length > 0 ? names(members) : { en: "none yet", es: "ninguno aún" };
        const nic = hostNic(ctx, n.engineId)?.iface.name ?? "NIC";
        return focus([ids.bridge(n.id), ...members.map((c) => ids.container(c.id))], {
          en: `${n.name} was created with \`--internal\`: no NAT edge leaves ${n.bridge} for ${nic}, so its containers (${who.en}) reach each other and nothing beyond the bridge.`,
          es: `${n.name} se creó con \`--internal\`: ninguna arista NAT sale de ${n.bridge} hacia ${nic}, así que sus contenedores (${who.es}) se alcanzan entre sí y nada más allá del bridge.`,
        });
      },
    },
  ],
};
