import type { Container, Network } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { bridgeAddress, bridgesOf, containersFor, ipOf } from "../find";
import type { Chapter, TourContext } from "../types";
import { focus, list, missing } from "./common";

const NOTHING = {
  en: "No running compose project is on the canvas.",
  es: "No hay en el lienzo ningún proyecto compose en marcha.",
};

interface Project {
  name: string;
  engineId: string;
  boxId: string;
  containers: Container[];
  /** The project's own network (`<project>_default` when there is one). */
  net: Network | undefined;
}

/** The first drawn compose project (the lab's `compose` first), its containers and its network. */
function pick(ctx: TourContext): Project | undefined {
  const first = containersFor(
    ctx,
    "compose",
    (c) => c.composeProject !== null && ctx.graph.has(ids.compose(c.engineId, c.composeProject)),
  )[0];
  if (!first?.composeProject) return undefined;
  const name = first.composeProject;
  const containers = containersFor(ctx, "compose", (c) => c.composeProject === name && c.engineId === first.engineId);
  const nets = bridgesOf(ctx, first).filter((n) => n.composeProject === name);
  const net = nets.find((n) => n.name === `${name}_default`) ?? nets[0];
  return { name, engineId: first.engineId, boxId: ids.compose(first.engineId, name), containers, net };
}

/** The document's simpleweb stack: a project box, its own network, services by name. */
export const composeChapter: Chapter = {
  id: "compose",
  scenario: "compose",
  title: { en: "A compose project", es: "Un proyecto compose" },
  steps: [
    {
      title: { en: "The project box", es: "La caja del proyecto" },
      show: (ctx) => {
        const p = pick(ctx);
        if (!p) return missing("compose", NOTHING);
        const who = list(p.containers.map((c) => c.name));
        const net = p.net
          ? {
              en: ` Its network ${p.net.name} is a bridge of its own, ${p.net.bridge} with ${bridgeAddress(ctx, p.net)}.`,
              es: ` Su red ${p.net.name} es un bridge propio, ${p.net.bridge} con ${bridgeAddress(ctx, p.net)}.`,
            }
          : { en: "", es: "" };
        return focus([p.boxId, p.net ? ids.bridge(p.net.id) : undefined], {
          en: `\`docker compose up\` made project ${p.name}: its containers, ${who.en}, are drawn in the project box.${net.en}`,
          es: `\`docker compose up\` creó el proyecto ${p.name}: sus contenedores, ${who.es}, aparecen en la caja del proyecto.${net.es}`,
        });
      },
    },
    {
      title: { en: "Services find each other by name", es: "Los servicios se encuentran por nombre" },
      show: (ctx) => {
        const p = pick(ctx);
        const [a, b] = p?.containers ?? [];
        if (!p?.net || !a || !b?.composeService) {
          return missing("compose", {
            en: "This step needs a compose project with two running services.",
            es: "Este paso necesita un proyecto compose con dos servicios en marcha.",
          });
        }
        const svc = b.composeService;
        return focus([ids.container(a.id), ids.container(b.id), ids.dns(p.net.id)], {
          en: `Compose gives each container its service name as an alias on ${p.net.name}: from ${a.name}, \`${svc}\` resolves to ${ipOf(b, p.net)} through the embedded DNS, 127.0.0.11. That is why the application's settings can say just \`${svc}\`.`,
          es: `Compose da a cada contenedor su nombre de servicio como alias en ${p.net.name}: desde ${a.name}, \`${svc}\` se resuelve a ${ipOf(b, p.net)} con el DNS embebido, 127.0.0.11. Por eso la configuración de la aplicación puede decir solo \`${svc}\`.`,
        });
      },
    },
    {
      title: { en: "A published port", es: "Un puerto publicado" },
      show: (ctx) => {
        const p = pick(ctx);
        const c = p?.containers.find((x) => x.ports.some((port) => port.hostPort !== undefined));
        const port = c?.ports.find((x) => x.hostPort !== undefined);
        if (!p || !c || !port) {
          return missing("compose", {
            en: "No container of a compose project on the canvas publishes a port.",
            es: "Ningún contenedor de un proyecto compose del lienzo publica un puerto.",
          });
        }
        const host = `${port.hostIp && port.hostIp !== "0.0.0.0" ? port.hostIp : "0.0.0.0"}:${port.hostPort}`;
        const to = `${ipOf(c, p.net)}:${port.containerPort}`;
        return focus([ids.container(c.id)], {
          en: `${c.name} publishes ${host} → ${port.containerPort}/${port.protocol}: a DNAT rule on the host sends connections on port ${port.hostPort} to ${to}, across the bridge. Without \`ports:\` only the host and the project's neighbours could reach it.`,
          es: `${c.name} publica ${host} → ${port.containerPort}/${port.protocol}: una regla DNAT en el host envía las conexiones al puerto ${port.hostPort} hacia ${to}, a través del bridge. Sin \`ports:\` solo el host y los vecinos del proyecto podrían alcanzarlo.`,
        });
      },
    },
  ],
};
