import type { Container, Network } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { bridgeAddress, bridgesOf, containersFor, ipOf, membersOf } from "../find";
import type { Chapter, TourContext } from "../types";
import { focus, list, missing } from "./common";

const NOTHING = {
  en: "No running container on a user-defined network is on the canvas.",
  es: "No hay en el lienzo ningún contenedor en marcha en una red definida por el usuario.",
};

/** A network made with `docker network create`: its own bridge and the embedded DNS. */
function isUserBridge(n: Network): boolean {
  return !n.isDefaultBridge && n.embeddedDns && n.composeProject === null;
}

/** The first container on a user-defined bridge (the lab's `user-bridge` first) and that network. */
function pick(ctx: TourContext): { c: Container; net: Network } | undefined {
  for (const c of containersFor(ctx, "user-bridge", (x) => bridgesOf(ctx, x).some(isUserBridge))) {
    const net = bridgesOf(ctx, c).find(isUserBridge);
    if (net && ctx.graph.has(ids.dns(net.id))) return { c, net };
  }
  return undefined;
}

/** `docker network create mynet`: a bridge of its own, and names through 127.0.0.11. */
export const userBridgeChapter: Chapter = {
  id: "user-bridge",
  scenario: "user-bridge",
  title: { en: "A user-defined bridge", es: "Un bridge definido por el usuario" },
  steps: [
    {
      title: { en: "A bridge of its own", es: "Un bridge propio" },
      show: (ctx) => {
        const found = pick(ctx);
        if (!found) return missing("user-bridge", NOTHING);
        const { net } = found;
        const members = membersOf(ctx, net).slice(0, 3);
        const who = list(members.map((c) => `${c.name} (${ipOf(c, net)})`));
        return focus([ids.bridge(net.id), ...members.map((c) => ids.container(c.id))], {
          en: `\`docker network create ${net.name}\` made a new bridge, ${net.bridge}, with ${bridgeAddress(ctx, net)}: a second switch, apart from docker0. On it: ${who.en}.`,
          es: `\`docker network create ${net.name}\` creó un bridge nuevo, ${net.bridge}, con ${bridgeAddress(ctx, net)}: un segundo switch, aparte de docker0. En él: ${who.es}.`,
        });
      },
    },
    {
      title: { en: "127.0.0.11, the embedded DNS", es: "127.0.0.11, el DNS embebido" },
      show: (ctx) => {
        const found = pick(ctx);
        if (!found) return missing("user-bridge", NOTHING);
        const { c, net } = found;
        return focus(
          [ids.dns(net.id), ids.container(c.id)],
          {
            en: `On a user-defined network every container asks Docker's embedded DNS: the /etc/resolv.conf of ${c.name} says \`nameserver 127.0.0.11\`, and iptables rules in its namespace send port 53 to the resolver's real ports (both below). Names Docker does not know go on to the container's \`--dns\`, 127.0.0.1 for lab containers, so no lookup leaves this machine.`,
            es: `En una red definida por el usuario cada contenedor pregunta al DNS embebido de Docker: el /etc/resolv.conf de ${c.name} dice \`nameserver 127.0.0.11\`, y reglas de iptables en su namespace llevan el puerto 53 a los puertos reales del resolvedor (ambos abajo). Los nombres que Docker no conoce siguen al \`--dns\` del contenedor, 127.0.0.1 en el laboratorio, así que ninguna consulta sale de esta máquina.`,
          },
          { type: "container", id: c.id },
          { container: c.id, show: ["resolvConf", "dnsRules"] },
        );
      },
    },
    {
      title: { en: "Names on the same network", es: "Nombres en la misma red" },
      show: (ctx) => {
        const found = pick(ctx);
        const other = found && membersOf(ctx, found.net).find((x) => x.id !== found.c.id);
        if (!found || !other) {
          return missing("user-bridge", {
            en: "This step needs two running containers on one user-defined network.",
            es: "Este paso necesita dos contenedores en marcha en una misma red definida por el usuario.",
          });
        }
        const { c, net } = found;
        return focus([ids.container(c.id), ids.container(other.id), ids.dns(net.id)], {
          en: `\`ping ${other.name}\` from ${c.name} works: the embedded DNS answers ${ipOf(other, net)}, because both are on ${net.name}. A container on another network gets no answer for that name.`,
          es: `\`ping ${other.name}\` desde ${c.name} funciona: el DNS embebido responde ${ipOf(other, net)}, porque ambos están en ${net.name}. Un contenedor de otra red no obtiene respuesta para ese nombre.`,
        });
      },
    },
  ],
};
