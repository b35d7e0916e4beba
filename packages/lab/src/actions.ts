/**
 * What the server may take from the lab: bringing the workshop's scenarios up and down (its
 * scenario routes, under --allow-actions). Nothing else: the lab's reads of the truth (docker
 * CLI, iproute2, nsenter, iptables-save) are for the tests, and never reach the server's bundle
 * (apps/server/test/bundle.unit.test.ts looks for them there).
 */
export { scenarioActions } from "./scenario-actions";
