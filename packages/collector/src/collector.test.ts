import { buildTopology, type IpLink, type RawContainer, type RawNetwork } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { EngineCollector } from "./collector";
import type { DockerApi } from "./docker-api";
import type { KernelReader } from "./kernel";

const NET: RawNetwork = { Id: "n".repeat(64), Name: "bridge", Driver: "bridge", Scope: "local", Internal: false };

function container(id: string, running = true): RawContainer {
  return {
    Id: id,
    Name: `/c-${id.slice(0, 4)}`,
    State: { Status: running ? "running" : "exited", Running: running, Pid: running ? 100 : 0 },
    Config: { Image: "netdive/lab:latest", Hostname: id.slice(0, 12) },
    HostConfig: { NetworkMode: "bridge" },
    NetworkSettings: { Networks: {} },
  };
}

function fakeApi(overrides: Partial<DockerApi> = {}): DockerApi {
  return {
    url: "unix:///fake.sock",
    identify: async () => ({ name: "fakehost", version: "20.10.24", apiVersion: "1.41" }),
    listNetworks: async () => [NET],
    listContainers: async () => [],
    inspectContainer: async () => null,
    inspectNetwork: async () => null,
    getArchive: async () => null,
    subscribe: async () => ({ closed: new Promise<void>(() => undefined) }),
    ...overrides,
  };
}

const lo: IpLink = { ifindex: 1, ifname: "lo", mtu: 65536, link_type: "loopback", address: "00:00:00:00:00:00" };
const kernel: KernelReader = {
  unavailableReason: async () => null,
  readHost: async () => ({ ok: true, links: [lo], defaultRoutes: [] }),
  readNetns: async () => ({ ok: true, links: [lo] }),
  readDnsRules: async () => ({ ok: true, rules: [], from: "iptables" }),
  readFirewall: async () => ({
    rules: { ok: true, rules: { from: "iptables", chains: [], rules: [] }, tools: ["iptables-save"], ms: 1 },
    proxies: { ok: true, proxies: [] },
  }),
};

describe("EngineCollector", () => {
  it("drops a container that vanished between list and inspect, without an error", async () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    const api = fakeApi({
      listContainers: async () => [
        { Id: a, State: "running" },
        { Id: b, State: "running" },
      ],
      inspectContainer: async (id) => (id === a ? container(a) : null),
    });
    const inv = await new EngineCollector({
      engineId: "local",
      url: api.url,
      connect: async () => api,
      kernel,
    }).collect();
    expect(inv.engine.reachable).toBe(true);
    expect(inv.containers.map((c) => c.Id)).toEqual([a]);
    expect(Object.keys(inv.netns)).toEqual([a]);
  });

  it("does not read a namespace for stopped containers", async () => {
    const a = "a".repeat(64);
    const api = fakeApi({
      listContainers: async () => [{ Id: a, State: "exited" }],
      inspectContainer: async () => container(a, false),
    });
    const inv = await new EngineCollector({
      engineId: "local",
      url: api.url,
      connect: async () => api,
      kernel,
    }).collect();
    expect(inv.netns).toEqual({});
  });

  it("reports an unreachable engine with the connection's sentence instead of throwing", async () => {
    const connect = async (): Promise<DockerApi> => {
      throw new Error(
        "cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running",
      );
    };
    const inv = await new EngineCollector({ engineId: "local", url: "unix:///fake.sock", connect, kernel }).collect();
    expect(inv.engine).toEqual({
      id: "local",
      url: "unix:///fake.sock",
      reachable: false,
      error: "cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running",
    });
  });

  it("turns a failure in the middle of a collection into an unreachable engine and reconnects next time", async () => {
    let connects = 0;
    let fail = true;
    const api = fakeApi({
      listNetworks: async () => {
        if (fail) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        return [NET];
      },
    });
    const collector = new EngineCollector({
      engineId: "local",
      url: api.url,
      connect: async () => (connects++, api),
      kernel,
    });
    const first = await collector.collect();
    expect(first.engine.reachable).toBe(false);
    expect(first.engine.error).toMatch(/closed the connection/);
    fail = false;
    const second = await collector.collect();
    expect(second.engine.reachable).toBe(true);
    expect(connects).toBe(2);
  });

  it("marks host facts not visible, with the kernel's reason, and reads no namespace", async () => {
    const a = "a".repeat(64);
    const api = fakeApi({
      listContainers: async () => [{ Id: a, State: "running" }],
      inspectContainer: async () => container(a),
    });
    const reason = "netdive is not running as root, so it cannot enter network namespaces.";
    const hidden: KernelReader = { ...kernel, unavailableReason: async () => reason };
    const inv = await new EngineCollector({
      engineId: "local",
      url: api.url,
      connect: async () => api,
      kernel: hidden,
    }).collect();
    expect(inv.host).toEqual({ ok: false, reason });
    expect(inv.netns).toEqual({});
  });

  it("reads the DNS hooks from the firewall the engine names, and says why when they cannot be read", async () => {
    const a = "a".repeat(64);
    const api = fakeApi({
      identify: async () => ({ name: "vm", version: "28.5.2", apiVersion: "1.51", firewallBackend: "nftables" }),
      listContainers: async () => [{ Id: a, State: "running" }],
      inspectContainer: async () => container(a),
    });
    const asked: Array<string | undefined> = [];
    const nftMissing: KernelReader = {
      ...kernel,
      readDnsRules: async (_id, _pid, backend) => {
        asked.push(backend);
        return { ok: false, reason: "The engine keeps its DNS hooks in nftables and `nft` is not installed here." };
      },
    };
    const collector = new EngineCollector({
      engineId: "local",
      url: api.url,
      connect: async () => api,
      kernel: nftMissing,
    });
    const inv = await collector.collect();
    expect(inv.engine).toMatchObject({ version: "28.5.2", apiVersion: "1.51", firewallBackend: "nftables" });
    const c = buildTopology([inv]).containers[a]!;
    const files = await collector.readFiles(c, c);
    expect(asked).toEqual(["nftables"]);
    expect(files.dnsRules).toBeNull();
    expect(files.unavailable.dnsRules).toMatch(/nft` is not installed/);
  });
});
