export * from "./topology";
export * from "./inventory";
export { buildTopology } from "./build-topology";
export { resolveRef, isValidRef, REF_PATTERN, type RefMatch } from "./refs";
export * from "./json-patch";
export { parseDnsRules } from "./dns-rules";
export * from "./protocol";
export { explainReach, reachTargets } from "./reach";
export type { ReachAnswer, ReachVia, IpAnswer, DnsAnswer, IpCode, DnsCode, ReachLanguage } from "./reach";
