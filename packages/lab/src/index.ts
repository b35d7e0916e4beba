/**
 * The document's scenarios on a real engine, labelled and cleaned up by label, and independent
 * reads of the truth (docker CLI, iproute2, nsenter, iptables-save): never netdive's own code.
 */
export { docker, execArgv, type ExecOptions } from "./exec";
export {
  LAB_IMAGE,
  LAB_LABEL,
  RUN_LABEL,
  cleanup,
  cleanupAll,
  labelArgs,
  labelled,
  leftovers,
  newRun,
  type Run,
} from "./conventions";
export { createNetwork, runContainer, type ContainerSpec, type LabObject } from "./containers";
export { freeTcpPort } from "./free-port";
export { mapLimit } from "./map-limit";
export * from "./scenarios/index";
export * from "./truth/docker-inspect";
export * from "./truth/kernel";
export * from "./truth/nat";
export * from "./truth/files";
