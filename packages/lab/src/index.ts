/**
 * The document's scenarios on a real engine, labelled and cleaned up by label; their workshop
 * lifecycle (idempotent `upScenario`, `downScenario`, `scenarioStates`, `SCENARIO_INFO`, and the
 * `pnpm lab` CLI in cli.ts); and independent reads of the truth (docker CLI, iproute2, nsenter,
 * iptables-save): never netdive's own code.
 */
export { docker, execArgv, tryExecArgv, useEngine, type ExecOptions, type ExecResult } from "./exec";
export { scenarioActions } from "./scenario-actions";
export {
  LAB_IMAGE,
  LAB_LABEL,
  RUN_LABEL,
  SCENARIO_LABEL,
  cleanup,
  cleanupAll,
  labelArgs,
  labelFilters,
  labelled,
  leftovers,
  newRun,
  removeLabelled,
  withScenario,
  type Run,
} from "./conventions";
export {
  LAB_DNS,
  connectNetwork,
  createNetwork,
  runContainer,
  type ContainerSpec,
  type LabObject,
  type NetworkOptions,
} from "./containers";
export { LabError, type LabErrorReason } from "./errors";
export { checkEngine, checkImage, composeCommand, dockerHost } from "./preflight";
export { freeTcpPort } from "./free-port";
export { repoPath } from "./repo-path";
export { requestLoop, type RequestLoop } from "./traffic";
export * from "./scenarios/index";
export * from "./truth/docker-inspect";
export * from "./truth/kernel";
export * from "./truth/nat";
export * from "./truth/files";
