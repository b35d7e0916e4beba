import { isLive, ridesOnParent, type Container, type Network, type Topology } from "@netdive/model";

/**
 * What the user chose to see, and the one place that decides what that shows: the canvas and the
 * side list both ask here.
 */
export interface View {
  /** Show host-mode and none-mode containers (the "system" networks). */
  showSystem: boolean;
  /** Show containers that are not running. */
  showStopped: boolean;
  /** Keep only what matches: a container or network name, an id prefix, an IP or a compose project. */
  filter: string;
  /** A scene: one network's room alone (its id), or null for the whole host. */
  scene: string | null;
}

export const DEFAULT_VIEW: View = { showSystem: true, showStopped: true, filter: "", scene: null };

/** The filter text as it is compared: trimmed, lower case. */
export function filterText(view: View): string {
  return view.filter.trim().toLowerCase();
}

/** Whether a container matches the filter: its name, id prefix, compose project, an IP or a network name. */
export function matchesFilter(filter: string, container: Container, topology: Topology): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return (
    container.name.toLowerCase().includes(f) ||
    container.id.startsWith(f) ||
    (container.composeProject ?? "").toLowerCase().includes(f) ||
    Object.entries(container.endpoints).some(
      ([netId, ep]) => ep.ipv4?.startsWith(f) || (topology.networks[netId]?.name ?? "").toLowerCase().includes(f),
    ) ||
    container.interfaces.some((i) => i.addresses.some((a) => a.startsWith(f)))
  );
}

/** Whether a container belongs to what the filter and the scene ask for (the list's question). */
export function matchesView(view: View, container: Container, topology: Topology): boolean {
  if (view.scene && container.endpoints[view.scene] === undefined) {
    const owner = container.netnsOwnerId ? topology.containers[container.netnsOwnerId] : undefined;
    if (!owner || owner.endpoints[view.scene] === undefined) return false;
  }
  return matchesFilter(view.filter, container, topology);
}

/** The containers drawn: the view's match, with every joined container's namespace owner (it is drawn inside it). */
export function visibleContainers(topology: Topology, view: View): Set<string> {
  const visible = new Set<string>();
  for (const c of Object.values(topology.containers)) {
    if (!view.showStopped && !isLive(c)) continue;
    if (!view.showSystem && (c.networkMode === "host" || c.networkMode === "none")) continue;
    if (matchesView(view, c, topology)) visible.add(c.id);
  }
  for (const id of [...visible]) {
    const owner = topology.containers[id]?.netnsOwnerId;
    if (owner && topology.containers[owner]) visible.add(owner);
  }
  return visible;
}

/**
 * Whether a bridge network's room is drawn: always in the whole host; in a scene only the scene's;
 * under a filter when some drawn container is on it or its name matches.
 */
export function networkShown(network: Network, view: View, visible: ReadonlySet<string>): boolean {
  // A room per bridge, and per macvlan or ipvlan network (its bar is the parent it rides on).
  if (!network.bridge && !ridesOnParent(network)) return false;
  if (view.scene) return network.id === view.scene;
  const f = filterText(view);
  if (!f) return true;
  return network.containerIds.some((id) => visible.has(id)) || network.name.toLowerCase().includes(f);
}

/** Whether a network belongs in the side list under this view. */
export function networkListed(network: Network, view: View, listed: readonly Container[]): boolean {
  if (view.scene) return network.id === view.scene;
  const f = filterText(view);
  return !f || network.name.toLowerCase().includes(f) || listed.some((c) => c.endpoints[network.id] !== undefined);
}
