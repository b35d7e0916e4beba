import {
  ipOf,
  onEveryAddress,
  ridesOnParent,
  publishedPorts,
  subnetOf,
  type Container,
  type Network,
  type PublishedPort,
} from "@netdive/model";
import { stateWord, type GraphWords } from "./words";

/** The words of cards: what a container box, a host-mode container or a room says from afar. */

/**
 * Breaks a long name after its separators (-, _, .) into lines of at most `max` characters; a
 * name that fits is never broken, and a token longer than a whole line (no separator to break
 * at) is the only thing cut inside.
 */
export function wrapName(name: string, max: number): string {
  if (name.length <= max) return name;
  // An image's reference also breaks after / and : (a container's name never holds them).
  const parts = name.split(/(?<=[-_./: ])/);
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

/**
 * A name the canvas may wrap to its box's width (a bridge's network): a zero-width
 * space after each separator (-, _, .) is where Cytoscape may break it, which it otherwise does
 * only at spaces, so a long name ran past its box and widened its room over the next one.
 */
export function breakable(name: string): string {
  return name.replace(/([-_.])(?=.)/g, "$1\u200b");
}

/** Characters per line of a container's title close up (its box is 200 model units wide, the font 12). */
export const TITLE_CHARS = 28;

/** Characters per line of a container's card (what its box says from afar). */
export const CARD_CHARS = 14;

/** A container's card: its name, then its address on the room's network (or how it is networked). */
export function containerCard(
  c: Container,
  network: Network | null,
  joined: readonly Container[],
  w: GraphWords,
): string {
  const state = stateWord(w, c.state);
  // Both families where the endpoint has both; an IPv6-only endpoint says its IPv6 address.
  const v4 = network ? ipOf(c, network) : "";
  const v6 = (network ? c.endpoints[network.id]?.ipv6 : null)?.split("/")[0] ?? "";
  const where = network ? v4 || v6 || state : c.networkMode === "none" ? w.gNoneMode : state;
  const lines = [wrapName(c.name, CARD_CHARS), where, ...(v4 && v6 ? [v6] : []), ...cardPorts(c)];
  for (const j of joined) lines.push(joinedLine(j));
  return lines.join("\n");
}

/** A container inside another's box, on that box's card: `+ name`, the name wrapped after the mark. */
export function joinedLine(j: Container): string {
  return `+ ${wrapName(j.name, CARD_CHARS - 2)}`;
}

/** A published port in a few characters: `:8080 → 80/tcp`, or `127.0.0.1:8080 → 80/tcp` when bound on one address. */
function portText(p: PublishedPort): string {
  const on = onEveryAddress(p) ? "" : p.hostIps.map((ip) => (ip.includes(":") ? `[${ip}]` : ip)).join(" + ");
  return `${on}:${p.hostPort} → ${p.containerPort}/${p.protocol}`;
}

/** The host addresses a port listening on every address is bound on: `0.0.0.0 + ::`. */
function families(p: PublishedPort): string {
  return onEveryAddress(p) ? `  ${p.hostIps.join(" + ")}` : "";
}

/** The lines a container's box adds close up: one per published port, both address families on one line. */
function portLines(container: Container): string[] {
  return publishedPorts(container).map((p) => `${portText(p)}${families(p)}`);
}

/** Close up, under a box's name: its published ports, one per line (empty when it publishes none). */
export function portsLabel(container: Container): string {
  return portLines(container)
    .map((line) => `\n${line}`)
    .join("");
}

/** Most port lines a container's card holds; the rest are counted ("+3"). */
const CARD_PORT_LINES = 2;

/** What a card says of a container's ports: its host ports, `:80 :443`, in at most two lines, then "+N". */
export function cardPorts(container: Container): string[] {
  const ports = publishedPorts(container).map((p) => `:${p.hostPort}${p.protocol === "udp" ? "/udp" : ""}`);
  const lines: string[] = [];
  for (let i = 0; i < ports.length; i++) {
    const port = ports[i] as string;
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${port}`.length <= CARD_CHARS) {
      lines[last] = `${lines[last]} ${port}`;
    } else if (lines.length < CARD_PORT_LINES) {
      lines.push(port);
    } else {
      // The rest counted, on the last line, which gives up ports until the count fits it.
      let line = lines[last] as string;
      let rest = ports.length - i;
      while (`${line} +${rest}`.length > CARD_CHARS && line.includes(" ")) {
        line = line.slice(0, line.lastIndexOf(" "));
        rest++;
      }
      lines[last] = `${line} +${rest}`;
      break;
    }
  }
  return lines;
}

/** What a room's card says: the network, its bridge and subnet, how many containers; the names are fitted by the layout. */
/** "macvlan on eth0", with the mode where it is not the driver's default ("macvlan private on eth0", "ipvlan l3 on eth0"). */
export function ridingWords(network: Network, w: GraphWords): string {
  const defaults: Record<string, string> = { macvlan: "bridge", ipvlan: "l2" };
  const mode = network.mode && network.mode !== defaults[network.driver] ? ` ${network.mode}` : "";
  return `${network.driver}${mode} ${w.gOnParent} ${network.parent ?? "?"}`;
}

export function roomTitle(network: Network | null, members: number, w: GraphWords): string {
  const count = `${members} ${members === 1 ? w.gContainer : w.gContainers}`;
  // From afar the words must fit a narrow room: the short form (close up the room says it whole).
  if (!network) return `${w.gNoNetworkShort}\n\n${count}`;
  // A macvlan or ipvlan network says what it rides on where a bridge network names its bridge.
  const bar = ridesOnParent(network) ? ridingWords(network, w) : network.bridge;
  return `${network.name}\n${bar}  ${subnetOf(network)}\n${count}`;
}
