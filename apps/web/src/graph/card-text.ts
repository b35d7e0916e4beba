import { ipOf, subnetOf, type Container, type Network } from "@netdive/model";
import type { GraphWords } from "./words";

/** The words of cards: what a container box, a host-mode container or a room says from afar. */

/** Breaks a long name after its separators (-, _, .) into lines of at most `max` characters. */
export function wrapName(name: string, max: number): string {
  if (name.length <= max) return name;
  const parts = name.split(/(?<=[-_.])/);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (line && (line + part).length > max) {
      lines.push(line);
      line = "";
    }
    line += part;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

/** Characters per line of a container's card (what its box says from afar). */
export const CARD_CHARS = 14;

/** A container's card: its name, then its address on the room's network (or how it is networked). */
export function containerCard(
  c: Container,
  network: Network | null,
  joined: readonly Container[],
  w: GraphWords,
): string {
  const where = network ? ipOf(c, network) || c.state : c.networkMode === "none" ? w.gNoneMode : c.state;
  const lines = [wrapName(c.name, CARD_CHARS), where];
  for (const j of joined) lines.push(wrapName(`+ ${j.name}`, CARD_CHARS));
  return lines.join("\n");
}

export function portsLabel(container: Container, w: GraphWords): string {
  const seen = new Set<string>();
  for (const p of container.ports) {
    if (p.hostPort === undefined) continue;
    const hostIp = p.hostIp && p.hostIp !== "0.0.0.0" && p.hostIp !== "::" ? `${p.hostIp}:` : "";
    seen.add(`${hostIp}${p.hostPort} → ${p.containerPort}/${p.protocol}`);
  }
  return seen.size === 0 ? "" : `\n${w.gPorts} ${[...seen].join(", ")}`;
}

/** What a room's card says: the network, its bridge and subnet, how many containers; the names are fitted by the layout. */
export function roomTitle(network: Network | null, members: number, w: GraphWords): string {
  const count = `${members} ${members === 1 ? w.gContainer : w.gContainers}`;
  // From afar the words must fit a narrow room: the short form (close up the room says it whole).
  if (!network) return `${w.gNoNetworkShort}\n\n${count}`;
  return `${network.name}\n${network.bridge}  ${subnetOf(network)}\n${count}`;
}
