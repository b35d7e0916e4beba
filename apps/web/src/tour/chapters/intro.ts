import { ids } from "../../graph/to-elements";
import { bridgeAddress, defaultBridge, firstV4, hostNic, natEdge, subnetOf } from "../find";
import type { Chapter, Missing, TourContext } from "../types";
import { focus, missing } from "./common";

const NO_DOCKER0 = {
  en: "docker0 is not on the canvas (clear the filter, or start a container on the default network).",
  es: "docker0 no está en el lienzo (borra el filtro o arranca un contenedor en la red por defecto).",
};

/** When the host's own interfaces cannot be read, the intro says why instead of lighting nothing. */
function hostNotVisible(ctx: TourContext): Missing {
  const reason = Object.values(ctx.topology.hosts).find((h) => !h.kernel.visible)?.kernel.reason ?? "";
  return {
    kind: "missing",
    text: {
      en: `netdive cannot read this host's interfaces${reason ? ` (${reason})` : ""}. Run it as root on the Docker host to see the NIC and the bridges.`,
      es: `netdive no puede leer las interfaces de este host${reason ? ` (${reason})` : ""}. Ejecútalo como root en el host de Docker para ver la NIC y los bridges.`,
    },
  };
}

/** The picture before any container: the host, its NIC, docker0 and the NAT between them. */
export const intro: Chapter = {
  id: "intro",
  scenario: null,
  title: { en: "The host, its NIC and docker0", es: "El host, su NIC y docker0" },
  steps: [
    {
      title: { en: "The host and its NIC", es: "El host y su NIC" },
      show: (ctx) => {
        const engineId = Object.keys(ctx.topology.hosts).sort()[0];
        const nic = engineId === undefined ? undefined : hostNic(ctx, engineId);
        if (engineId === undefined || !nic) return hostNotVisible(ctx);
        const hostname = ctx.topology.hosts[engineId]?.hostname ?? engineId;
        const addr = firstV4(nic.iface.addresses) || "—";
        return focus([nic.id], {
          en: `Everything on this canvas lives on one machine, ${hostname}: the big box. Its network card ${nic.iface.name} has ${addr} and carries the default route, so whatever leaves the machine goes out through it.`,
          es: `Todo lo que hay en este lienzo vive en una sola máquina, ${hostname}: la caja grande. Su tarjeta de red ${nic.iface.name} tiene ${addr} y lleva la ruta por defecto, así que todo lo que sale de la máquina sale por ella.`,
        });
      },
    },
    {
      title: { en: "docker0, a switch inside the kernel", es: "docker0, un switch dentro del kernel" },
      show: (ctx) => {
        const net = defaultBridge(ctx);
        if (!net) return missing("default-bridge", NO_DOCKER0);
        const addr = bridgeAddress(ctx, net);
        return focus([ids.bridge(net.id)], {
          en: `When Docker starts it creates ${net.bridge}, a Linux bridge: a software switch inside the host's kernel. ${net.bridge} has ${addr}; it is the gateway of every container on Docker's default network, \`${net.name}\` (${subnetOf(net)}).`,
          es: `Al arrancar, Docker crea ${net.bridge}, un bridge de Linux: un switch por software dentro del kernel del host. ${net.bridge} tiene ${addr}; es la puerta de enlace de todos los contenedores de la red por defecto de Docker, \`${net.name}\` (${subnetOf(net)}).`,
        });
      },
    },
    {
      title: { en: "Out through NAT", es: "Salida por NAT" },
      show: (ctx) => {
        const net = defaultBridge(ctx);
        const nic = net ? hostNic(ctx, net.engineId) : undefined;
        const nat = net ? natEdge(ctx, net) : undefined;
        if (!net || !nic || !nat) return nic ? missing("default-bridge", NO_DOCKER0) : hostNotVisible(ctx);
        return focus([ids.bridge(net.id), nat.id, nic.id], {
          en: `The containers' addresses (${subnetOf(net)}) exist only on this host. A packet for the outside goes from ${net.bridge} to ${nic.iface.name} and leaves with the host's address: iptables' MASQUERADE rule rewrites its source (the NAT edge), and the replies come back the same way.`,
          es: `Las direcciones de los contenedores (${subnetOf(net)}) solo existen en este host. Un paquete hacia fuera pasa de ${net.bridge} a ${nic.iface.name} y sale con la dirección del host: la regla MASQUERADE de iptables reescribe su origen (la arista NAT), y las respuestas vuelven por el mismo camino.`,
        });
      },
    },
  ],
};
