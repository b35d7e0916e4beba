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
export { modemOptions, type EngineEndpoint, type EngineTls } from "./engine-endpoint";
export {
  createLinuxKernel,
  type KernelReader,
  type HostRead,
  type HostFirewall,
  type Exec,
  type DnsRulesRead,
} from "./kernel";
export {
  HelperKernel,
  dockerHelperEngine,
  HELPER_MIN_INTERVAL_MS,
  HELPER_TIMEOUT_MS,
  type HelperEngine,
  type HelperKernelOptions,
  type DockerHelperOptions,
} from "./helper-kernel";
export { HelperError, helperContainerOptions, splitStreams, HELPER_CAPABILITIES } from "./helper-run";
export {
  KERNEL_FACTS_FLAG,
  KERNEL_HELPER_LABEL,
  KERNEL_HELPER_PREFIX,
  isKernelHelper,
  kernelFactsArgs,
  parseKernelFacts,
  parseKernelFactsArgs,
  readKernelFacts,
  type FactsTarget,
  type KernelFacts,
} from "./kernel-facts";
export { readHostFirewall, readProxies, type FirewallRead, type ProxiesRead, type InHost } from "./firewall";
export { EngineCollector, ownsNetns, type EngineCollectorOptions } from "./collector";
export { describeDockerError } from "./errors";
export { firstTarEntry, type TarEntry } from "./tar";
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
