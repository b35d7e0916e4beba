import type { Container } from "@netdive/model";
import { ids } from "../../graph/to-elements";
import { containersFor, ipOf, vethPair } from "../find";
import type { Chapter, LabScenario, TourContext } from "../types";
import { focus, missing } from "./common";

const NO_NET_JOIN = {
  en: "No running container that joined another's network namespace is on the canvas.",
  es: "No hay en el lienzo ningún contenedor en marcha unido al namespace de red de otro.",
};

interface Join {
  /** The container that joined. */
  c: Container;
  /** The container whose namespace it joined. */
  owner: Container;
}

/** A drawn container that joined another's namespaces as `fits` says, the lab's `scenario` first. */
function join(ctx: TourContext, scenario: LabScenario, fits: (c: Container) => boolean): Join | undefined {
  for (const c of containersFor(ctx, scenario, fits)) {
    const ownerId = c.netnsOwnerId ?? c.pidnsOwnerId;
    const owner = ownerId ? ctx.topology.containers[ownerId] : undefined;
    if (owner && ctx.graph.has(ids.container(owner.id))) return { c, owner };
  }
  return undefined;
}

/** Joined the network namespace only, drawn inside its owner's box. */
function netJoin(ctx: TourContext): Join | undefined {
  const drawnJoined = (c: Container) => ctx.graph.node(ids.container(c.id))?.kind === "joined";
  return (
    join(ctx, "join-network", (c) => drawnJoined(c) && c.pidnsOwnerId === null) ??
    join(ctx, "join-network", drawnJoined)
  );
}

/** Joined the PID namespace only: the dashed edge. */
function pidJoin(ctx: TourContext): (Join & { edgeId: string }) | undefined {
  const edge = (c: Container) => ctx.graph.edges("pid", { source: ids.container(c.id) })[0];
  const found = join(ctx, "join-pid", (c) => c.pidnsOwnerId !== null && edge(c) !== undefined);
  const e = found && edge(found.c);
  return found && e ? { ...found, edgeId: e.id } : undefined;
}

/** `--network container:X`: one namespace, two containers. */
export const joinNetworkChapter: Chapter = {
  id: "join-network",
  scenario: "join-network",
  title: { en: "Joining a network namespace", es: "Unirse a un namespace de red" },
  steps: [
    {
      title: { en: "One namespace, two containers", es: "Un namespace, dos contenedores" },
      show: (ctx) => {
        const j = netJoin(ctx);
        if (!j) return missing("join-network", NO_NET_JOIN);
        const { c, owner } = j;
        return focus([ids.container(owner.id), ids.container(c.id)], {
          en: `${c.name} was started with \`--network container:${owner.name}\`: it has no network namespace of its own and is drawn inside the box of ${owner.name}. Both see the same interfaces (eth0 ${ipOf(owner)}) and the same ports: \`netstat -tln\` in ${c.name} lists the sockets ${owner.name} listens on.`,
          es: `${c.name} se arrancó con \`--network container:${owner.name}\`: no tiene namespace de red propio y aparece dentro de la caja de ${owner.name}. Ambos ven las mismas interfaces (eth0 ${ipOf(owner)}) y los mismos puertos: \`netstat -tln\` en ${c.name} lista los sockets en los que escucha ${owner.name}.`,
        });
      },
    },
    {
      title: { en: "One veth for both", es: "Un solo veth para los dos" },
      show: (ctx) => {
        const j = netJoin(ctx);
        const pair = j && vethPair(ctx, j.owner);
        if (!j || !pair) return missing("join-network", NO_NET_JOIN);
        const { c, owner } = j;
        return focus([pair.ifaceId, pair.vethId, pair.edgeId], {
          en: `There is one veth pair, ${pair.veth} ↔ ${pair.iface} of ${owner.name}, and ${c.name} has none of its own. That is how to debug a container that has no tools: \`docker run --rm -it --network container:${owner.name} netdive/lab sh\`.`,
          es: `Hay un solo par veth, ${pair.veth} ↔ ${pair.iface} de ${owner.name}, y ${c.name} no tiene ninguno propio. Así se depura un contenedor que no trae herramientas: \`docker run --rm -it --network container:${owner.name} netdive/lab sh\`.`,
        });
      },
    },
  ],
};

/** `--pid container:X`: the dashed edge. */
export const joinPidChapter: Chapter = {
  id: "join-pid",
  scenario: "join-pid",
  title: { en: "Joining a PID namespace", es: "Unirse a un namespace de PID" },
  steps: [
    {
      title: { en: "The dashed edge", es: "La arista discontinua" },
      show: (ctx) => {
        const j = pidJoin(ctx);
        if (!j) {
          return missing("join-pid", {
            en: "No running container that joined only another's PID namespace is on the canvas.",
            es: "No hay en el lienzo ningún contenedor en marcha unido solo al namespace de PID de otro.",
          });
        }
        const { c, owner, edgeId } = j;
        const own = vethPair(ctx, c);
        const net = own
          ? {
              en: `${own.iface} ${own.address} and its own veth, ${own.veth}`,
              es: `${own.iface} ${own.address} y su propio veth, ${own.veth}`,
            }
          : { en: "a namespace of its own", es: "un namespace propio" };
        return focus([edgeId, ids.container(c.id), ids.container(owner.id)], {
          en: `${c.name} was started with \`--pid container:${owner.name}\`: \`ps\` in it lists the processes of ${owner.name}, as the dashed edge says. Its network stays its own: ${net.en}.`,
          es: `${c.name} se arrancó con \`--pid container:${owner.name}\`: \`ps\` dentro de él lista los procesos de ${owner.name}, como dice la arista discontinua. Su red sigue siendo suya: ${net.es}.`,
        });
      },
    },
  ],
};

/** `--network container:X --pid container:X`: inside the box, and the label says both. */
export const joinBothChapter: Chapter = {
  id: "join-both",
  scenario: "join-both",
  title: { en: "Joining both namespaces", es: "Unirse a los dos namespaces" },
  steps: [
    {
      title: { en: "Network and processes", es: "Red y procesos" },
      show: (ctx) => {
        const j = join(
          ctx,
          "join-both",
          (c) => c.netnsOwnerId !== null && c.netnsOwnerId === c.pidnsOwnerId && ctx.graph.has(ids.container(c.id)),
        );
        if (!j) {
          return missing("join-both", {
            en: "No running container that joined both namespaces of another is on the canvas.",
            es: "No hay en el lienzo ningún contenedor en marcha unido a los dos namespaces de otro.",
          });
        }
        const { c, owner } = j;
        return focus([ids.container(owner.id), ids.container(c.id)], {
          en: `${c.name} joined both namespaces of ${owner.name} (\`--network container:${owner.name} --pid container:${owner.name}\`): it is drawn inside the box of ${owner.name}, and its label says so instead of a dashed edge. From it you see the interfaces and the processes of ${owner.name}, without touching that container.`,
          es: `${c.name} se unió a los dos namespaces de ${owner.name} (\`--network container:${owner.name} --pid container:${owner.name}\`): aparece dentro de la caja de ${owner.name}, y su etiqueta lo dice en lugar de una arista discontinua. Desde él ves las interfaces y los procesos de ${owner.name}, sin tocar ese contenedor.`,
        });
      },
    },
  ],
};
