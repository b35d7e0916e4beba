import type { Container } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { bridgeAddress, containersFor, defaultBridge, ipOf, isOn, masterEdge, subnetOf, vethPair } from "../find";
import type { Chapter, TourContext } from "../types";
import { focus, list, missing } from "./common";

const NOTHING = {
  en: "No running container on the default network is on the canvas.",
  es: "No hay en el lienzo ningún contenedor en marcha en la red por defecto.",
};

/** Containers on docker0 with an eth0 drawn, the lab's `default-bridge` ones first. */
function onDocker0(ctx: TourContext): Container[] {
  const net = defaultBridge(ctx);
  return net ? containersFor(ctx, "default-bridge", (c) => isOn(c, net) && vethPair(ctx, c) !== undefined) : [];
}

/** The document's first picture: `web` and `db` on the default bridge. */
export const defaultBridgeChapter: Chapter = {
  id: "default-bridge",
  scenario: "default-bridge",
  title: { en: "The default bridge", es: "El bridge por defecto" },
  steps: [
    {
      title: { en: "Two containers on docker0", es: "Dos contenedores en docker0" },
      show: (ctx) => {
        const net = defaultBridge(ctx);
        const cs = onDocker0(ctx).slice(0, 2);
        if (!net || cs.length === 0) return missing("default-bridge", NOTHING);
        const who = list(cs.map((c) => `${c.name} (${ipOf(c, net)})`));
        const gw = bridgeAddress(ctx, net).split("/")[0];
        return focus([...cs.map((c) => ids.container(c.id)), ids.bridge(net.id)], {
          en: `\`docker run\` without \`--network\` puts a container on the default network: here ${who.en}, each in a network namespace of its own (the boxes). ${net.bridge}, ${gw}, is their gateway.`,
          es: `\`docker run\` sin \`--network\` conecta el contenedor a la red por defecto: aquí ${who.es}, cada uno en su propio namespace de red (las cajas). ${net.bridge}, ${gw}, es su puerta de enlace.`,
        });
      },
    },
    {
      title: { en: "The veth pair", es: "El par veth" },
      show: (ctx) => {
        const c = onDocker0(ctx)[0];
        const pair = c && vethPair(ctx, c);
        if (!c || !pair) return missing("default-bridge", NOTHING);
        return focus([pair.ifaceId, pair.vethId, pair.edgeId], {
          en: `${pair.iface} of ${c.name} is ${pair.address}, its veth peer on the host is ${pair.veth}. A veth pair is one virtual cable with two ends, one in the container's namespace and one in the host's: what goes in at one end comes out at the other.`,
          es: `${pair.iface} de ${c.name} es ${pair.address}, y su par veth en el host es ${pair.veth}. Un par veth es un cable virtual con dos extremos, uno en el namespace del contenedor y otro en el del host: lo que entra por un extremo sale por el otro.`,
        });
      },
    },
    {
      title: { en: "Plugged into docker0", es: "Conectado a docker0" },
      show: (ctx) => {
        const net = defaultBridge(ctx);
        const c = onDocker0(ctx)[0];
        const pair = c && vethPair(ctx, c);
        const master = pair && masterEdge(ctx, pair.vethId);
        if (!net || !pair || !master) return missing("default-bridge", NOTHING);
        return focus([pair.vethId, master.id, ids.bridge(net.id)], {
          en: `${pair.veth} is plugged into ${net.bridge}: the bridge is its master, as \`ip link show master ${net.bridge}\` lists. Every container on the default network hangs off ${net.bridge} the same way, so they all share one segment, ${subnetOf(net)}.`,
          es: `${pair.veth} está conectado a ${net.bridge}: el bridge es su master, como muestra \`ip link show master ${net.bridge}\`. Todos los contenedores de la red por defecto cuelgan de ${net.bridge} igual, así que comparten un mismo segmento, ${subnetOf(net)}.`,
        });
      },
    },
    {
      title: { en: "No names on the default bridge", es: "Sin nombres en el bridge por defecto" },
      show: (ctx) => {
        const net = defaultBridge(ctx);
        const [c, other] = onDocker0(ctx);
        if (!net || !c) return missing("default-bridge", NOTHING);
        const reach = other
          ? {
              en: ` ${c.name} reaches ${other.name} only by its address, ${ipOf(other, net)}.`,
              es: ` ${c.name} llega a ${other.name} solo por su dirección, ${ipOf(other, net)}.`,
            }
          : { en: " Its neighbours are reachable by address only.", es: " A sus vecinos solo se llega por dirección." };
        return focus(
          [ids.container(c.id)],
          {
            en: `The default network has no embedded DNS: the /etc/resolv.conf of ${c.name} (below) is the host's, or the \`--dns\` it was given. Lab containers get \`--dns 127.0.0.1\`, so no lookup leaves this machine.${reach.en}`,
            es: `La red por defecto no tiene DNS embebido: el /etc/resolv.conf de ${c.name} (abajo) es el del host, o el \`--dns\` que se le dio. Los contenedores del laboratorio llevan \`--dns 127.0.0.1\`, así que ninguna consulta sale de esta máquina.${reach.es}`,
          },
          { type: "container", id: c.id },
          { container: c.id, show: ["resolvConf"] },
        );
      },
    },
  ],
};
