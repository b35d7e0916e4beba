import {
  containerResolver,
  engineOf,
  gatewayFinder,
  hostOf,
  networkOf,
  toContainer,
  toNetwork,
  VethPeers,
} from "./build-topology";
import type { EngineInventory, RawContainer } from "./inventory";
import { jsonEqual, type Json } from "./json-patch";
import type { Container, Engine, Host, Network } from "./topology";

/** What one read of an engine touched: everything (a full collection), or these ids. */
export type TouchedIds =
  { full: true } | { full: false; containers: readonly string[]; networks: readonly string[]; host: boolean };

export const EVERYTHING: TouchedIds = { full: true };

/** One engine's part of the topology. */
export interface EnginePart {
  engine: Engine;
  host: Host;
  networks: Readonly<Record<string, Network>>;
  containers: Readonly<Record<string, Container>>;
}

/** The part after a read, and the ids whose entry is a new object (everything else is the same object as before). */
export interface PartUpdate {
  part: EnginePart;
  changed: { engine: boolean; host: boolean; networks: Set<string>; containers: Set<string> };
}

/**
 * One engine's part of the topology, kept across reads: each read rebuilds only the entries it
 * touched (and those that hang on them: containers that join a touched one's namespace, a
 * network whose members came or went, veths whose pairing changed), and every entry that did
 * not change stays the same object. The result is always what `buildTopology` would give for
 * the same inventory (engine-topology.test.ts holds it over sequences of changes); what it saves
 * is the work: a `docker run` among 500 containers rebuilds one container and its network, and
 * the diff that follows skips every untouched entry by identity.
 */
export class EngineTopology {
  private part: EnginePart | null = null;
  /** Containers one of whose veths another namespace claims too (neither is paired): rebuilt every read. */
  private clashing = new Set<string>();

  update(inv: EngineInventory, touched: TouchedIds): PartUpdate {
    const previous = this.part;
    const engineId = inv.engine.id;
    const hostLinks = inv.host.ok ? inv.host.links : [];
    const fresh = touched.full || previous === null || inv.host.ok !== (previous.host.kernel.visible ?? false);
    const changed: PartUpdate["changed"] = {
      engine: false,
      host: false,
      networks: new Set(),
      containers: new Set(),
    };

    const engine = same(previous?.engine, engineOf(inv));
    changed.engine = engine !== previous?.engine;
    const host = fresh || (!touched.full && touched.host) ? same(previous?.host, hostOf(inv)) : previous!.host;
    changed.host = host !== previous?.host;

    // Members of each network, from every container's endpoints (a cheap pass: no object is built).
    const raws = new Map(inv.containers.map((c) => [c.Id, c]));
    const networksByName = new Map<string, Network>();
    const oldNetworks = previous?.networks ?? {};
    const networks: Record<string, Network> = {};
    const rawNetworks = new Map(inv.networks.map((n) => [n.Id, n]));
    const touchedNetworks = new Set(touched.full ? [] : touched.networks);
    const touchedContainers = new Set(touched.full ? [] : touched.containers);
    for (const raw of inv.networks) {
      const old = oldNetworks[raw.Id];
      // A network is built again when it was touched, when the host's interfaces (its bridge's
      // address) were read again, when the engine changed (its version says which options it
      // honours), or when its gateway comes from its members' endpoints.
      const rebuild =
        fresh ||
        !old ||
        touchedNetworks.has(raw.Id) ||
        changed.host ||
        changed.engine ||
        old.subnets.some((s) => s.gatewaySource !== "ipam" && s.gatewaySource !== "bridge");
      networks[raw.Id] = rebuild
        ? toNetwork(raw, engineId, gatewayFinder(raw, hostLinks, inv.containers), inv.engine.apiVersion)
        : old;
    }
    for (const network of Object.values(networks)) networksByName.set(network.name, network);
    const members = new Map<string, string[]>();
    for (const raw of inv.containers) {
      for (const [name, ep] of Object.entries(raw.NetworkSettings.Networks ?? {})) {
        const network = networkOf(ep, name, networks, networksByName);
        if (network && ep.EndpointID) {
          const list = members.get(network.id) ?? [];
          list.push(raw.Id);
          members.set(network.id, list);
        }
      }
    }
    for (const [id, network] of Object.entries(networks)) {
      const ids = (members.get(id) ?? []).sort();
      const rebuilt = network !== oldNetworks[id];
      const withMembers = rebuilt || !sameList(network.containerIds, ids) ? { ...network, containerIds: ids } : network;
      networks[id] = same(oldNetworks[id], withMembers);
      if (networks[id] !== oldNetworks[id]) changed.networks.add(id);
    }
    for (const id of Object.keys(oldNetworks)) if (!rawNetworks.has(id)) changed.networks.add(id);

    // Every veth pairing, from the links already read: which host veth each namespace claims.
    const peers = new VethPeers(hostLinks);
    const pairs = new Map<string, Array<string | null>>();
    for (const raw of inv.containers) {
      const links = ownLinks(raw, inv);
      if (links)
        pairs.set(
          raw.Id,
          links.map((l) => pairKey(peers.pair(l))),
        );
    }
    const clashing = new Set<string>();
    for (const [id, keys] of pairs) {
      if (keys.some((k) => k !== null && peers.claims(Number(k.split("|")[1])) > 1)) clashing.add(id);
    }

    const resolve = containerResolver(inv.containers);
    const oldContainers = previous?.containers ?? {};
    const containers: Record<string, Container> = {};
    const byName = networksByName;
    const built = new VethPeers(hostLinks);
    for (const raw of inv.containers) {
      const old = oldContainers[raw.Id];
      const mode = raw.HostConfig.NetworkMode ?? "";
      const rebuild =
        fresh ||
        !old ||
        touchedContainers.has(raw.Id) ||
        // Their owner may be another container now (resolved by name or id prefix).
        mode.startsWith("container:") ||
        (raw.HostConfig.PidMode ?? "").startsWith("container:") ||
        clashing.has(raw.Id) ||
        this.clashing.has(raw.Id) ||
        // An endpoint named only by its network's name, when networks changed.
        (changed.networks.size > 0 && Object.values(raw.NetworkSettings.Networks ?? {}).some((ep) => !ep.NetworkID)) ||
        // The host was read again: a veth's pairing or bridge may differ.
        (changed.host && !samePairs(old, pairs.get(raw.Id)));
      if (!rebuild) {
        containers[raw.Id] = old;
        continue;
      }
      const container = toContainer(raw, engineId, {
        networksByName: byName,
        resolve,
        peers: built,
        netns: inv.netns[raw.Id],
        host: inv.host,
      });
      for (const iface of container.interfaces) {
        if (iface.hostPeer && peers.claims(iface.hostPeer.ifindex) > 1) iface.hostPeer = null;
      }
      containers[raw.Id] = same(old, container);
      if (containers[raw.Id] !== old) changed.containers.add(raw.Id);
    }
    for (const id of Object.keys(oldContainers)) if (!raws.has(id)) changed.containers.add(id);

    this.clashing = clashing;
    this.part = { engine, host, networks, containers };
    return { part: this.part, changed };
  }
}

/** The interfaces a container's own namespace holds (toContainer's rule), or null when it has none read. */
function ownLinks(raw: RawContainer, inv: EngineInventory) {
  const mode = raw.HostConfig.NetworkMode ?? "default";
  if (mode.startsWith("container:") || mode === "host") return null;
  if (!(raw.State.Running && raw.State.Pid > 0) || !inv.host.ok) return null;
  const netns = inv.netns[raw.Id];
  return netns?.ok ? netns.links : null;
}

function pairKey(peer: ReturnType<VethPeers["pair"]>): string | null {
  return peer ? `${peer.name}|${peer.ifindex}|${peer.bridge ?? ""}` : null;
}

/** Whether a container's interfaces pair with the host veths they paired with before. */
function samePairs(old: Container, keys: Array<string | null> | undefined): boolean {
  const was = old.interfaces.map((i) => pairKey(i.hostPeer));
  const now = keys ?? [];
  return was.length === now.length && was.every((k, i) => k === now[i]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The old object when the new one says the same: the diff and the page skip it by identity. */
function same<T>(old: T | undefined, next: T): T {
  return old !== undefined && jsonEqual(old as unknown as Json, next as unknown as Json) ? old : next;
}
