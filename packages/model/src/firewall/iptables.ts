/** `iptables-save` text as a ruleset (firewall.ts says which layouts are read). */
import { parsePorts, setPorts, type Cond, type FwChain, type FwRule, type Ruleset } from "./rules";

const BUILTIN_HOOK: Record<string, string> = {
  PREROUTING: "prerouting",
  INPUT: "input",
  FORWARD: "forward",
  OUTPUT: "output",
  POSTROUTING: "postrouting",
};
const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, nat: -100, filter: 0 };

/** Splits an iptables-save line into words, keeping a quoted comment whole. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] as string));
  return out;
}

/** `iptables-save` output (any tables) as a ruleset. */
export function parseIptablesSave(text: string): Ruleset {
  const chains: FwChain[] = [];
  const rules: FwRule[] = [];
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) table = line.slice(1);
    else if (line.startsWith(":")) {
      const [name = "", policy = "-"] = line.slice(1).split(/\s+/);
      const hook = BUILTIN_HOOK[name];
      chains.push(hook ? { table, name, hook, priority: TABLE_PRIORITY[table] ?? 0, policy } : { table, name });
    } else if (line.startsWith("-A ")) rules.push(parseIptablesRule(table, line));
  }
  return { from: "iptables", chains, rules };
}

/** iptables match modules whose options the walk evaluates (any other `-m` makes the rule opaque). */
const EVALUATED_MODULES = ["tcp", "udp", "sctp", "comment", "conntrack", "state", "multiport", "iprange"];

function parseIptablesRule(table: string, line: string): FwRule {
  const w = words(line);
  const rule: FwRule = { table, chain: w[1] ?? "", rule: line, verdict: null };
  let not = false;
  const cond = (value: string | undefined): Cond => ({ value: value ?? "", not });
  for (let i = 2; i < w.length; i++) {
    const word = w[i] as string;
    const next = w[i + 1];
    if (word === "!") {
      not = true;
      continue;
    }
    switch (word) {
      case "-s":
        rule.src = cond(next);
        i++;
        break;
      case "-d":
        rule.dst = cond(next);
        i++;
        break;
      case "-i":
        rule.in = cond(next);
        i++;
        break;
      case "-o":
        rule.out = cond(next);
        i++;
        break;
      case "-p":
        rule.proto = next;
        i++;
        break;
      case "--dport":
      case "--destination-port":
      case "--dports":
      case "--destination-ports":
      case "--ports":
        setPorts(rule, parsePorts(next ?? "", ":"), not);
        i++;
        break;
      case "--sport":
      case "--source-port":
      case "--sports":
      case "--source-ports":
        // The walk's packet has no source port (a new connection's is ephemeral).
        rule.opaque = word.slice(2);
        i++;
        break;
      case "--src-range":
      case "--dst-range": {
        // Kept as an address condition ("a-b"); with -s/-d beside it, both would have to hold.
        const side = word === "--src-range" ? "src" : "dst";
        if (rule[side]) rule.opaque = "iprange";
        else rule[side] = cond(next);
        i++;
        break;
      }
      case "--ctstate":
      case "--state":
        if (not) rule.opaque = "negated state";
        rule.ctstate = next;
        i++;
        break;
      case "--comment":
        rule.comment = next;
        i++;
        break;
      case "--to-destination":
        rule.to = next;
        i++;
        break;
      case "-m":
        if (next && !EVALUATED_MODULES.includes(next)) rule.opaque = next;
        i++;
        break;
      case "-j":
      case "-g": {
        const t = next ?? "";
        if (["ACCEPT", "DROP", "REJECT", "RETURN", "DNAT", "SNAT", "MASQUERADE"].includes(t)) rule.verdict = t;
        else if (t) {
          rule.verdict = word === "-g" ? "GOTO" : "JUMP";
          rule.target = t;
        }
        i++;
        break;
      }
      default:
        // Other options (--sport, --dst-type, --to-source …) take a value; none of them decides a
        // container-to-container packet except through `opaque` above.
        if (word.startsWith("--") && next !== undefined && !next.startsWith("-")) i++;
    }
    not = false;
  }
  return rule;
}
