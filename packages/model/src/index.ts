export * from "./topology";
export * from "./inventory";
export { buildTopology } from "./build-topology";
export { EngineTopology, EVERYTHING, type EnginePart, type PartUpdate, type TouchedIds } from "./engine-topology";
export { resolveRef, isValidRef, REF_PATTERN, type RefMatch } from "./refs";
export * from "./json-patch";
export { parseDnsRules, parseNftDnsRules } from "./dns-rules";
export * from "./protocol";
export { bridgeAddress, firstV4, homeNetwork, ipOf, isLive, ridesOnParent, subnetOf } from "./queries";
export { explainReach, netnsOwner, reachTargets } from "./reach";
export * from "./lab";
export * from "./language";
export { SCENARIO_TEXT } from "./scenario-text";
export * from "./wire/index";
export {
  momentRecording,
  sessionStart,
  parseRecording,
  RecordingError,
  RecordingTimeline,
  type Moment,
  type Recording,
} from "./recording";
export {
  parseIptablesSave,
  parseNftRuleset,
  walkForward,
  dnatRules,
  masqueradeRules,
  mergeRulesets,
  isDockerChain,
  type FwRule,
  type FwChain,
  type Ruleset,
  type Packet,
  type Walk,
} from "./firewall";
export { withEvidence } from "./reach-evidence";
export { ipv4InSubnet, ipv4ToNumber } from "./ipv4";
export { ipv6InSubnet, ipv6ToBigInt } from "./ipv6";
export { mapLimit } from "./map-limit";
export { onEveryAddress, parseProxyArgs, publishedPaths, publishedPorts, type PublishedPort } from "./published";
export { networkRules } from "./network-rules";
export * from "./flow-tables";
export * from "./flows";
export { generateHost, HOST_SHAPES, withOneMoreContainer, type HostShape } from "./generated-host";
export { RIDING, withParentNetwork } from "./riding-host";
