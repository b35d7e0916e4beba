import { EngineCollector } from "./collector";
import type { DockerApi, DockerEvent } from "./docker-api";
import type { KernelReader } from "./kernel";
import type { RawContainer, RawNetwork } from "@netdive/model";

/**
 * An in-memory engine for unit tests: change `networks` and `containers` and the next collection
 * sees it; set `down` to a sentence and the engine is unreachable with it.
 */
export class FakeEngine {
  networks: RawNetwork[] = [];
  containers: RawContainer[] = [];
  files: Record<string, string> = {};
  down: string | null = null;
  /** Milliseconds every container listing takes (a slow full collection). */
  listDelayMs = 0;
  /** Milliseconds every container inspection takes. */
  inspectDelayMs = 0;
  private readonly subscribers = new Set<{ onEvent: (e: DockerEvent) => void; end: () => void }>();

  /** Sends an event to every subscriber, as the engine's /events stream would. */
  emit(event: DockerEvent): void {
    for (const s of this.subscribers) s.onEvent(event);
  }

  /** Takes the engine away: event streams end and every call fails with `reason`. */
  stop(reason: string): void {
    this.down = reason;
    for (const s of [...this.subscribers]) s.end();
  }

  api(): DockerApi {
    const guard = () => {
      if (this.down) throw Object.assign(new Error(this.down), { code: "ECONNREFUSED" });
    };
    return {
      url: "unix:///fake.sock",
      identify: async () => (guard(), { name: "fakehost", version: "20.10.24", apiVersion: "1.41" }),
      listNetworks: async () => (guard(), structuredClone(this.networks)),
      listContainers: async () => {
        guard();
        if (this.listDelayMs > 0) await new Promise((r) => setTimeout(r, this.listDelayMs));
        return this.containers.map((c) => ({ Id: c.Id, State: c.State.Status }));
      },
      inspectContainer: async (id) => {
        guard();
        if (this.inspectDelayMs > 0) await new Promise((r) => setTimeout(r, this.inspectDelayMs));
        return structuredClone(this.containers.find((c) => c.Id === id) ?? null);
      },
      inspectNetwork: async (id) => (guard(), structuredClone(this.networks.find((n) => n.Id === id) ?? null)),
      getArchive: async () => null,
      subscribe: async (onEvent, signal) => {
        guard();
        let end: () => void = () => undefined;
        const closed = new Promise<void>((resolve) => {
          end = resolve;
        });
        const sub = { onEvent, end };
        this.subscribers.add(sub);
        signal.addEventListener("abort", end, { once: true });
        void closed.then(() => this.subscribers.delete(sub));
        return { closed };
      },
    };
  }

  /** `engineId`: another engine's id, for tests with several engines. */
  collector(kernel: KernelReader = NO_KERNEL, engineId = "local"): EngineCollector {
    return new EngineCollector({
      engineId,
      url: engineId === "local" ? "unix:///fake.sock" : `unix:///fake-${engineId}.sock`,
      connect: async () => {
        if (this.down) throw new Error(this.down);
        return this.api();
      },
      kernel,
    });
  }
}

export const NO_KERNEL: KernelReader = {
  unavailableReason: async () => "netdive is not running as root (test).",
  readHost: async () => ({ ok: false, reason: "test" }),
  readNetns: async () => ({ ok: false, reason: "test" }),
  readDnsRules: async () => ({ ok: false, reason: "test" }),
  readFirewall: async () => ({ rules: { ok: false, reason: "test" }, proxies: { ok: false, reason: "test" } }),
};

export function labContainer(id: string, name: string, network: RawNetwork, ip: string): RawContainer {
  return {
    Id: id,
    Name: `/${name}`,
    State: { Status: "running", Running: true, Pid: 1000 },
    Config: { Image: "netdive/lab:latest", Hostname: id.slice(0, 12), Labels: {} },
    HostConfig: { NetworkMode: network.Name },
    NetworkSettings: {
      Ports: {},
      Networks: {
        [network.Name]: {
          NetworkID: network.Id,
          EndpointID: "e".repeat(64),
          Gateway: "172.18.0.1",
          IPAddress: ip,
          IPPrefixLen: 16,
          MacAddress: "02:42:ac:12:00:02",
          Aliases: [name],
        },
      },
    },
  };
}

export const MYNET: RawNetwork = {
  Id: "f".repeat(64),
  Name: "mynet",
  Driver: "bridge",
  Scope: "local",
  Internal: false,
  IPAM: { Config: [{ Subnet: "172.18.0.0/16", Gateway: "172.18.0.1" }] },
  Options: {},
  Labels: {},
};
