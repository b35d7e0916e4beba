export {
  connectDocker,
  defaultDockerHost,
  negotiateApiVersion,
  MIN_API_VERSION,
  MAX_API_VERSION,
  type DockerApi,
  type DockerEvent,
  type ContainerSummary,
  type EngineIdentity,
  type ConnectOptions,
} from "./docker-api";
export { createLinuxKernel, type KernelReader, type HostRead, type Exec } from "./kernel";
export { EngineCollector, ownsNetns, type EngineCollectorOptions } from "./collector";
export { describeDockerError } from "./errors";
export { firstTarEntry, type TarEntry } from "./tar";
export { mapLimit } from "./map-limit";
export {
  connectProbeEngine,
  demuxLogs,
  probeContainerOptions,
  ProbeError,
  PROBE_LABEL,
  PROBE_LABELS,
  type ProbeEngine,
  type ProbeRun,
  type ProbeSpec,
} from "./probe";
export { EngineWatcher, type Touched, type WatcherOptions } from "./engine-watcher";
export { EngineLog, REMINDER_MS, type LogFn, type WatchLog } from "./engine-log";
export { createFlowReader, type FlowNamespace, type FlowRead, type FlowReader, type FlowReaderOptions } from "./flows";
