import type { LabScenario } from "./lab";
import type { Localized } from "./language";

/** What each lab scenario shows, in a few words (title) and one or two sentences a student understands (summary). */
export const SCENARIO_TEXT: Record<LabScenario, { title: Localized; summary: Localized }> = {
  "default-bridge": {
    title: { en: "Default bridge", es: "Bridge por defecto" },
    summary: {
      en: "Two containers on Docker's default network: each gets a veth pair whose host end is plugged into docker0, and an address from docker0's subnet. They reach each other by IP, not by name.",
      es: "Dos contenedores en la red por defecto de Docker: cada uno recibe un par veth cuyo extremo en el host está conectado a docker0, y una dirección de la subred de docker0. Se alcanzan por IP, no por nombre.",
    },
  },
  "user-bridge": {
    title: { en: "User-defined bridge", es: "Bridge definido por el usuario" },
    summary: {
      en: "`docker network create mynet` makes a new bridge (br-…) with a subnet of its own; the containers on it find each other by name through Docker's embedded DNS at 127.0.0.11.",
      es: "`docker network create mynet` crea un bridge nuevo (br-…) con su propia subred; los contenedores conectados a él se encuentran por nombre gracias al DNS embebido de Docker en 127.0.0.11.",
    },
  },
  compose: {
    title: { en: "Docker Compose", es: "Docker Compose" },
    summary: {
      en: "docker-compose starts the simpleweb stack (apache and postgres) on a network of its own named after the project (…_default); each service name is a DNS alias, so apache reaches the database as `postgres`.",
      es: "docker-compose arranca la pila simpleweb (apache y postgres) en una red propia con el nombre del proyecto (…_default); cada nombre de servicio es un alias DNS, así que apache llega a la base de datos como `postgres`.",
    },
  },
  isolation: {
    title: { en: "Isolation between networks", es: "Aislamiento entre redes" },
    summary: {
      en: "Containers on two different bridges cannot reach each other; only iso-router, connected to both, talks to both sides. With ICC off, neighbours on one bridge cannot talk either, and an internal network has no way out.",
      es: "Los contenedores de dos bridges distintos no se alcanzan entre sí; solo iso-router, conectado a ambos, habla con los dos lados. Con ICC desactivado tampoco hablan los vecinos de un mismo bridge, y una red interna no tiene salida.",
    },
  },
  host: {
    title: { en: "Host network", es: "Red del host" },
    summary: {
      en: "With `--network host` the container uses the host's own interfaces: it has no veth and no IP address of its own.",
      es: "Con `--network host` el contenedor usa las interfaces del propio host: no tiene veth ni dirección IP propia.",
    },
  },
  none: {
    title: { en: "No network", es: "Sin red" },
    summary: {
      en: "With `--network none` the container gets a network namespace with only the loopback interface lo: nothing goes in or out.",
      es: "Con `--network none` el contenedor tiene un espacio de nombres de red con solo la interfaz de loopback lo: no entra ni sale nada.",
    },
  },
  "join-network": {
    title: { en: "Shared network namespace", es: "Espacio de nombres de red compartido" },
    summary: {
      en: "A tools container joins a database container's network namespace (`--network container:…`): both share one eth0, one IP and one localhost, which is how you debug a container that has no tools.",
      es: "Un contenedor de herramientas se une al espacio de nombres de red de una base de datos (`--network container:…`): ambos comparten un eth0, una IP y un localhost; así se depura un contenedor que no trae herramientas.",
    },
  },
  "join-pid": {
    title: { en: "Shared PID namespace", es: "Espacio de nombres PID compartido" },
    summary: {
      en: "With `--pid container:…` the tools container sees the other container's processes in `ps`, but keeps a network namespace and an IP of its own.",
      es: "Con `--pid container:…` el contenedor de herramientas ve los procesos del otro en `ps`, pero conserva su propio espacio de nombres de red y su IP.",
    },
  },
  "join-both": {
    title: { en: "Shared network and PID namespaces", es: "Red y PID compartidos" },
    summary: {
      en: "Joining both namespaces (`--network container:… --pid container:…`) puts the tools container in the same network and the same process tree as its owner, the way debugging sidecars work.",
      es: "Al unirse a los dos espacios de nombres (`--network container:… --pid container:…`) el contenedor de herramientas comparte la red y el árbol de procesos de su dueño, como hacen los sidecars de depuración.",
    },
  },
};
