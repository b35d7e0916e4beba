import type Docker from "dockerode";
import type {
  Container,
  ContainerFiles,
  DnsRule,
  EngineInventory,
  NetnsRead,
  RawContainer,
  RawNetwork,
} from "@netdive/model";
import { mapLimit } from "@netdive/model";
import type { DockerApi, EngineIdentity } from "./docker-api";
import { describeDockerError } from "./errors";
import type { HostFirewall, HostRead, KernelReader } from "./kernel";
import { isKernelHelper } from "./kernel-facts";
import { firstTarEntry } from "./tar";

export interface EngineCollectorOptions {
  /** netdive's name for this engine ("local"). */
  engineId: string;
  /** Where the engine is, for messages and the kernel decision. */
  url: string;
  /** Opens (and version-negotiates) a connection; called again after the engine was lost. */
  connect: () => Promise<DockerApi>;
  kernel: KernelReader;
  /** How many inspects or namespace reads run at once. */
  concurrency?: number;
}

const MAX_FILE_BYTES = 256 * 1024;

/** Whether a container has a network namespace of its own that netdive should read. */
export function ownsNetns(raw: RawContainer): boolean {
  const mode = raw.HostConfig.NetworkMode ?? "default";
  return raw.State.Running && raw.State.Pid > 0 && mode !== "host" && !mode.startsWith("container:");
}

/** Whether a second inspect shows the same process still owning its namespace. */
function stillRunsAs(before: RawContainer, after: RawContainer | null): boolean {
  return after !== null && ownsNetns(after) && after.State.Pid === before.State.Pid;
}

/**
 * Reads one engine and the kernel behind it into an EngineInventory. Knows nothing of HTTP:
 * the server decides when to collect, this decides how.
 */
export class EngineCollector {
  private api: DockerApi | null = null;
  private identity: EngineIdentity | null = null;
  private kernelReason: string | null | undefined;
  private readonly concurrency: number;

  constructor(private readonly options: EngineCollectorOptions) {
    this.concurrency = options.concurrency ?? 8;
  }

  get engineId(): string {
    return this.options.engineId;
  }

  get url(): string {
    return this.options.url;
  }

  /** The connection, opened on first use; throws a user-facing sentence when it cannot be. */
  async docker(): Promise<DockerApi> {
    if (!this.api) {
      const api = await this.options.connect();
      this.identity = await api.identify().catch((err: unknown) => {
        throw new Error(describeDockerError(err, this.options.url), { cause: err });
      });
      this.api = api;
    }
    return this.api;
  }

  /** The dockerode client of this engine's connection (for the probes); throws when it has none. */
  async client(): Promise<Docker> {
    const { client } = await this.docker();
    if (!client) throw new Error(`the connection to ${this.options.url} has no dockerode client`);
    return client;
  }

  /** Forget the connection so the next call renegotiates (the engine may have been upgraded). */
  disconnect(): void {
    this.api = null;
    this.identity = null;
    // The engine that comes back may be another process, in another namespace: look again.
    this.kernelReason = undefined;
  }

  /** An inventory that says only that the engine cannot be reached, and why. */
  unreachable(error: string): EngineInventory {
    return {
      engine: { id: this.options.engineId, url: this.options.url, reachable: false, error },
      networks: [],
      containers: [],
      host: { ok: false, reason: "The Docker engine is not reachable." },
      netns: {},
    };
  }

  /** A full collection: every network, every container (running or not), the host and each netns. */
  async collect(): Promise<EngineInventory> {
    let api: DockerApi;
    try {
      api = await this.docker();
    } catch (err) {
      return this.unreachable((err as Error).message);
    }
    try {
      // The host read runs beside the listing; a namespace is read as soon as its container's
      // inspect says it owns one, so inspects and namespace reads overlap.
      const hostRead = this.readHost({ cached: true });
      const [networks, summaries] = await Promise.all([api.listNetworks(), api.listContainers()]);
      const netns: Record<string, NetnsRead> = {};
      // A container that vanishes between list and inspect is simply gone.
      const inspected = await mapLimit(summaries, this.concurrency, async (s) => {
        const raw = await api.inspectContainer(s.Id);
        if (raw && ownsNetns(raw) && (await hostRead).ok) {
          netns[raw.Id] = await this.options.kernel.readNetns(raw.Id, raw.State.Pid);
        }
        return raw;
      });
      const host = await hostRead;
      // A kernel helper (--kernel-helper) is netdive's own, short-lived: not part of the picture.
      let containers = inspected.filter((c): c is RawContainer => c !== null && !isKernelHelper(c));
      containers = await this.recheckFailedReads(api, containers, netns);
      this.options.kernel.forget?.(new Set(containers.map((c) => c.Id)));
      return { engine: this.engineFacts(), networks, containers, host, netns };
    } catch (err) {
      this.disconnect();
      return this.unreachable(describeDockerError(err, this.options.url));
    }
  }

  /** One container re-read: its inspect (null when gone) and, when it owns one, its netns. */
  async readContainer(id: string): Promise<{ raw: RawContainer | null; netns: NetnsRead | undefined }> {
    const api = await this.docker();
    const raw = await api.inspectContainer(id);
    if (raw && isKernelHelper(raw)) return { raw: null, netns: undefined };
    if (!raw || !ownsNetns(raw)) return { raw, netns: undefined };
    const reason = await this.kernelUnavailable();
    const netns = reason ? { ok: false as const, reason } : await this.options.kernel.readNetns(raw.Id, raw.State.Pid);
    if (netns.ok || reason) return { raw, netns };
    // The read failed: if the container stopped or went away meanwhile, that is the truth to show.
    const again = await api.inspectContainer(id);
    return stillRunsAs(raw, again) ? { raw, netns } : { raw: again, netns: undefined };
  }

  /** One network re-read, or null when it is gone. */
  async readNetwork(id: string): Promise<RawNetwork | null> {
    return (await this.docker()).inspectNetwork(id);
  }

  /** The host's links; `cached` accepts a read no announced kernel change has outdated (see KernelReader). */
  async readHost(options?: { cached?: boolean }): Promise<HostRead> {
    const reason = await this.kernelUnavailable();
    return reason ? { ok: false, reason } : this.options.kernel.readHost(options);
  }

  /**
   * The /proc entry of a process in this engine's host namespace (see KernelReader.hostProc); null
   * when not known here; undefined when the kernel reader does not say (netdive's own, then).
   */
  async hostProc(): Promise<string | null | undefined> {
    if (await this.kernelUnavailable()) return null;
    return this.options.kernel.hostProc?.();
  }

  /** Stops the kernel reader's background work; the collector is not used after this. */
  close(): void {
    this.options.kernel.close?.();
  }

  /** Engine facts for the inventory, from the identity read when the connection opened. */
  engineFacts(): EngineInventory["engine"] {
    return {
      id: this.options.engineId,
      url: this.options.url,
      reachable: true,
      ...(this.identity
        ? {
            name: this.identity.name,
            version: this.identity.version,
            apiVersion: this.identity.apiVersion,
            ...(this.identity.firewallBackend ? { firewallBackend: this.identity.firewallBackend } : {}),
          }
        : {}),
    };
  }

  /**
   * resolv.conf and /etc/hosts through the archive API (works on images with no shell or cat),
   * and the embedded DNS hooks from the NAT table of the namespace the container uses: that of
   * `netns`, the container that owns it (the model's `netnsOwner`; the container itself unless it
   * joined another's).
   */
  async readFiles(container: Container, netns: Container): Promise<ContainerFiles> {
    const netnsPid = netns.pid;
    const api = await this.docker();
    const unavailable: ContainerFiles["unavailable"] = {};
    const [resolvConf, hostsFile] = await Promise.all(
      (["/etc/resolv.conf", "/etc/hosts"] as const).map(async (path) => {
        const read = await this.readTextFile(api, container.id, path);
        if (typeof read === "string") return read;
        unavailable[path === "/etc/hosts" ? "hostsFile" : "resolvConf"] = read.reason;
        return null;
      }),
    );

    let dnsRules: DnsRule[] | null = null;
    const kernelReason = await this.kernelUnavailable();
    if (kernelReason) unavailable.dnsRules = kernelReason;
    else if (netnsPid === null) unavailable.dnsRules = "The container is not running, so it has no NAT table.";
    else {
      const read = await this.options.kernel.readDnsRules(netns.id, netnsPid, this.identity?.firewallBackend);
      if (read.ok) dnsRules = read.rules;
      else unavailable.dnsRules = read.reason;
    }
    return { resolvConf: resolvConf ?? null, hostsFile: hostsFile ?? null, dnsRules, unavailable };
  }

  /**
   * The host's firewall rules and docker-proxy processes, read now (a reach question, a click):
   * each with the reason it is not visible when the kernel is not.
   */
  async readFirewall(): Promise<HostFirewall> {
    const reason = await this.kernelUnavailable();
    if (reason) return { rules: { ok: false, reason }, proxies: { ok: false, reason } };
    return this.options.kernel.readFirewall(this.identity?.firewallBackend);
  }

  /** The embedded DNS hooks of `netns`'s namespace (the reach evidence of a lookup). */
  async readDnsHooks(netns: Container): Promise<DnsRule[] | null> {
    if ((await this.kernelUnavailable()) || netns.pid === null) return null;
    const read = await this.options.kernel.readDnsRules(netns.id, netns.pid, this.identity?.firewallBackend);
    return read.ok ? read.rules : null;
  }

  private async readTextFile(
    api: DockerApi,
    id: string,
    path: string,
    depth = 0,
  ): Promise<string | { reason: string }> {
    let archive: Buffer | null;
    try {
      archive = await api.getArchive(id, path, MAX_FILE_BYTES);
    } catch (err) {
      return {
        reason: `Reading ${path} through the archive API failed: ${describeDockerError(err, this.options.url)}.`,
      };
    }
    if (!archive) return { reason: `The container has no ${path}.` };
    const entry = firstTarEntry(archive);
    if (entry?.type === "file") return entry.content.toString("utf8");
    if (entry?.type === "symlink" && depth < 2) {
      const target = entry.target.startsWith("/")
        ? entry.target
        : `${path.slice(0, path.lastIndexOf("/"))}/${entry.target}`;
      return this.readTextFile(api, id, target, depth + 1);
    }
    return { reason: `${path} in the container is not a regular file.` };
  }

  private async kernelUnavailable(): Promise<string | null> {
    if (this.kernelReason === undefined)
      this.kernelReason = await this.options.kernel.unavailableReason(this.options.url);
    return this.kernelReason;
  }

  /**
   * A namespace read fails when the container stopped after its inspect. Inspect those again:
   * gone ones are dropped, stopped ones shown stopped; only a container still running with the
   * same process keeps the failure's reason.
   */
  private async recheckFailedReads(
    api: DockerApi,
    containers: RawContainer[],
    netns: Record<string, NetnsRead>,
  ): Promise<RawContainer[]> {
    const failed = containers.filter((c) => netns[c.Id]?.ok === false);
    if (failed.length === 0) return containers;
    const again = await mapLimit(failed, this.concurrency, (c) => api.inspectContainer(c.Id));
    const replaced = new Map<string, RawContainer | null>();
    failed.forEach((c, i) => {
      const now = again[i] ?? null;
      if (stillRunsAs(c, now)) return;
      replaced.set(c.Id, now);
      delete netns[c.Id];
    });
    return containers.flatMap((c) =>
      replaced.has(c.Id) ? (replaced.get(c.Id) ? [replaced.get(c.Id) as RawContainer] : []) : [c],
    );
  }
}
