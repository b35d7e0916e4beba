import { connectDocker, createLinuxKernel, EngineCollector, type DockerApi } from "@netdive/collector";

/** Hooks that run inside netdive's calls to the engine, to open the gaps a real engine opens rarely. */
export interface Gaps {
  /** After `GET /containers/json` answered, before netdive inspects anything. */
  afterList?: (ids: string[]) => Promise<void>;
  /** After the inspect of container `id` answered, before netdive reads its namespace. */
  afterInspect?: { id: string; run: () => Promise<void> };
}

/**
 * netdive's own EngineCollector on the real engine, with `gaps` run between its calls. The gaps
 * are armed by the caller and fire once each.
 */
export function collectorWithGaps(dockerHost: string, gaps: Gaps): EngineCollector {
  return new EngineCollector({
    engineId: "local",
    url: dockerHost,
    kernel: createLinuxKernel(),
    connect: async (): Promise<DockerApi> => {
      const api = await connectDocker({ host: dockerHost });
      return {
        ...api,
        async listContainers() {
          const list = await api.listContainers();
          const hook = gaps.afterList;
          gaps.afterList = undefined;
          await hook?.(list.map((c) => c.Id));
          return list;
        },
        async inspectContainer(id) {
          const raw = await api.inspectContainer(id);
          const hook = gaps.afterInspect;
          if (hook?.id === id) {
            gaps.afterInspect = undefined;
            await hook.run();
          }
          return raw;
        },
      };
    },
  });
}
