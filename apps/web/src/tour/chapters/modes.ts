import type { Container } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { containersFor, firstV4, hostNic } from "../find";
import type { Chapter, TourContext } from "../types";
import { focus, missing } from "./common";

/** A host-mode container, drawn inside the host box. */
function hostMode(ctx: TourContext): Container | undefined {
  return containersFor(
    ctx,
    "host",
    (c) => c.networkMode === "host" && ctx.graph.node(ids.container(c.id))?.kind === "hostmode",
  )[0];
}

/** A none-mode container whose only interface, lo, is drawn. */
function noneMode(ctx: TourContext): Container | undefined {
  return containersFor(ctx, "none", (c) => c.networkMode === "none" && ctx.graph.has(ids.iface(c.id, "lo")))[0];
}

const NO_HOST = {
  en: "No running host-mode container is on the canvas (the “host & none modes” box must be ticked).",
  es: "No hay en el lienzo ningún contenedor en modo host en marcha (la casilla “modos host y none” debe estar marcada).",
};

const NO_NONE = {
  en: "No running none-mode container is on the canvas (the “host & none modes” box must be ticked).",
  es: "No hay en el lienzo ningún contenedor en modo none en marcha (la casilla “modos host y none” debe estar marcada).",
};

/** `--network host`: no namespace of its own, so no IP of its own. */
export const hostChapter: Chapter = {
  id: "host",
  scenario: "host",
  title: { en: "Host mode", es: "Modo host" },
  steps: [
    {
      title: { en: "No IP of its own", es: "Sin IP propia" },
      show: (ctx) => {
        const c = hostMode(ctx);
        if (!c) return missing("host", NO_HOST);
        return focus([ids.container(c.id)], {
          en: `${c.name} runs with \`--network host\`: it has no network namespace of its own, so it is drawn inside the host box, with no eth0, no veth and no IP. \`ip addr\` in it lists the host's interfaces.`,
          es: `${c.name} se ejecuta con \`--network host\`: no tiene namespace de red propio, así que aparece dentro de la caja del host, sin eth0, sin veth y sin IP. \`ip addr\` dentro de él lista las interfaces del host.`,
        });
      },
    },
    {
      title: { en: "The host's addresses are its addresses", es: "Las direcciones del host son las suyas" },
      show: (ctx) => {
        const c = hostMode(ctx);
        if (!c) return missing("host", NO_HOST);
        const nic = hostNic(ctx, c.engineId);
        const on = nic ? `${nic.iface.name} ${firstV4(nic.iface.addresses)}` : "";
        return focus([ids.container(c.id), nic?.id], {
          en: `A server that ${c.name} starts on port 80 listens on the host's own addresses${on ? `, ${on} among them` : ""}: no NAT, no veth, and \`-p\` has nothing to do. The price: it shares the host's ports with every other process on the machine.`,
          es: `Un servidor que ${c.name} arranque en el puerto 80 escucha en las direcciones del propio host${on ? `, entre ellas ${on}` : ""}: sin NAT, sin veth, y \`-p\` no tiene nada que hacer. El precio: comparte los puertos del host con todos los demás procesos de la máquina.`,
        });
      },
    },
  ],
};

/** `--network none`: only `lo`. */
export const noneChapter: Chapter = {
  id: "none",
  scenario: "none",
  title: { en: "No network", es: "Sin red" },
  steps: [
    {
      title: { en: "Only lo", es: "Solo lo" },
      show: (ctx) => {
        const c = noneMode(ctx);
        if (!c) return missing("none", NO_NONE);
        const lo = firstV4(c.interfaces.find((i) => i.name === "lo")?.addresses ?? []);
        return focus([ids.iface(c.id, "lo")], {
          en: `${c.name} runs with \`--network none\`: its namespace has only the loopback interface, lo ${lo}, and no veth, so no edge leaves its box.`,
          es: `${c.name} se ejecuta con \`--network none\`: su namespace solo tiene la interfaz de loopback, lo ${lo}, y ningún veth, así que ninguna arista sale de su caja.`,
        });
      },
    },
    {
      title: { en: "Nothing in or out", es: "Nada entra ni sale" },
      show: (ctx) => {
        const c = noneMode(ctx);
        if (!c) return missing("none", NO_NONE);
        return focus([ids.container(c.id)], {
          en: `Inside ${c.name}, \`ping -c 1 127.0.0.1\` answers and any other address gives "Network unreachable": there is no route at all. It suits work that must not touch a network, such as processing files from a volume.`,
          es: `Dentro de ${c.name}, \`ping -c 1 127.0.0.1\` responde y cualquier otra dirección da "Network unreachable": no hay ninguna ruta. Sirve para trabajos que no deben tocar la red, como procesar ficheros de un volumen.`,
        });
      },
    },
  ],
};
