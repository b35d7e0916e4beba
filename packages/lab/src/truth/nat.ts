import { tryExecArgv } from "../exec";
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

/**
 * `nft list table ip docker-dns` in the namespace of `pid`, where Docker's nftables firewall
 * backend puts the hooks; "" when the namespace has no such table. Throws when `nft` cannot run.
 */
export async function nftDnsTable(pid: number): Promise<string> {
  const r = await tryExecArgv("nsenter", ["-t", String(pid), "-n", "nft", "list", "table", "ip", "docker-dns"]);
  if (r.ok) return r.stdout;
  if (/^Error: No such file or directory/m.test(r.stderr)) return "";
  throw new Error(`nft list table ip docker-dns in the namespace of pid ${pid} failed: ${r.stderr.trim()}`);
}

/**
 * The DNAT rules of chain dns-dnat in `nft list table ip docker-dns` text (not netdive's JSON
 * reading): each `ip daddr 127.0.0.11 <proto> dport <port> … dnat to <ip:port>`.
 */
export function nftDnsHooks(table: string): DnsHook[] {
  const hooks: DnsHook[] = [];
  let chain = "";
  for (const line of table.split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words[0] === "chain") chain = words[1] ?? "";
    if (chain !== "dns-dnat" || words[0] !== "ip" || words[1] !== "daddr") continue;
    const dnat = words.indexOf("dnat");
    const proto = words[3];
    if (dnat < 0 || words[dnat + 1] !== "to" || words[4] !== "dport" || !proto) continue;
    hooks.push({ proto, port: Number(words[5]), target: words[dnat + 2] ?? "" });
  }
  return hooks.sort((a, b) => a.proto.localeCompare(b.proto));
}

/**
 * The embedded DNS hooks of the namespace of `pid` and the firewall that holds them: the
 * DOCKER_OUTPUT chain of iptables, else nftables' table docker-dns (when nft is installed); the
 * firewall is null when neither holds any.
 */
export async function dnsHooksOf(pid: number): Promise<{ hooks: DnsHook[]; firewall: "iptables" | "nftables" | null }> {
  const fromIptables = dnsHooks(await natTable(pid));
  if (fromIptables.length > 0) return { hooks: fromIptables, firewall: "iptables" };
  const nft = await tryExecArgv("nft", ["--version"]);
  const fromNft = nft.ok ? nftDnsHooks(await nftDnsTable(pid)) : [];
  return { hooks: fromNft, firewall: fromNft.length > 0 ? "nftables" : null };
}
