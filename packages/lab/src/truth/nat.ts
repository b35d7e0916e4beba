import { nsenterNet } from "./kernel";

/** One embedded-DNS DNAT rule, as the tests compare it. */
export interface DnsHook {
  proto: string;
  port: number;
  target: string;
}

/**
 * `iptables-save -t nat` in the namespace of `pid`. Docker writes its rules with whichever
 * backend it found, so the legacy table is read when the default one has no DOCKER_OUTPUT.
 */
export async function natTable(pid: number): Promise<string> {
  const text = await nsenterNet(pid, ["iptables-save", "-t", "nat"]);
  if (text.includes("DOCKER_OUTPUT")) return text;
  const legacy = await nsenterNet(pid, ["iptables-legacy-save", "-t", "nat"]).catch(() => "");
  return legacy.includes("DOCKER_OUTPUT") ? legacy : text;
}

/**
 * The DNAT rules of the DOCKER_OUTPUT chain, read option by option (not netdive's regex): each
 * `-A DOCKER_OUTPUT … -p <proto> … --dport <port> … -j DNAT --to-destination <ip:port>`.
 */
export function dnsHooks(iptablesSave: string): DnsHook[] {
  const hooks: DnsHook[] = [];
  for (const line of iptablesSave.split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== "-A" || words[1] !== "DOCKER_OUTPUT") continue;
    const opt = (name: string) => {
      const at = words.indexOf(name);
      return at >= 0 ? words[at + 1] : undefined;
    };
    if (opt("-j") !== "DNAT") continue;
    const proto = opt("-p");
    const dport = opt("--dport");
    const target = opt("--to-destination");
    if (proto && dport && target) hooks.push({ proto, port: Number(dport), target });
  }
  return hooks.sort((a, b) => a.proto.localeCompare(b.proto));
}
