import { describe, expect, it } from "vitest";
import { dnsSafety, isIpv4, nameserversOf, parseNslookup, pingAnswered } from "./probe-plan";

/** Busybox 1.35 nslookup, recorded in the lab image against Docker 20.10's embedded DNS. */
const RESOLVED = `Server:		127.0.0.11
Address:	127.0.0.11:53

Non-authoritative answer:

Non-authoritative answer:
Name:	nd-x-mynet-db
Address: 172.21.0.3
`;

const TIMED_OUT = `;; connection timed out; no servers could be reached
`;

const REFUSED = `nslookup: write to '127.0.0.1': Connection refused
;; connection timed out; no servers could be reached
`;

describe("parseNslookup", () => {
  it("reads the addresses after the Name: line of the looked-up name, not the server's own", () => {
    expect(parseNslookup(RESOLVED, "nd-x-mynet-db")).toEqual(["172.21.0.3"]);
  });

  it("finds nothing when the lookup timed out or was refused", () => {
    expect(parseNslookup(TIMED_OUT, "db")).toEqual([]);
    expect(parseNslookup(REFUSED, "db")).toEqual([]);
  });

  it("ignores answers for another name and IPv6 addresses", () => {
    const other = "Name:\tweb\nAddress: 172.21.0.2\n\nName:\tdb\nAddress: fd00::3\nAddress: 172.21.0.3\n";
    expect(parseNslookup(other, "db")).toEqual(["172.21.0.3"]);
  });

  it("accepts the name with a search domain appended", () => {
    expect(parseNslookup("Name:\tdb.lab.internal\nAddress: 10.9.0.3\n", "db")).toEqual(["10.9.0.3"]);
  });
});

describe("pingAnswered", () => {
  it("is true only when the one packet came back", () => {
    expect(pingAnswered(0, "1 packets transmitted, 1 packets received, 0% packet loss")).toBe(true);
    expect(pingAnswered(1, "1 packets transmitted, 0 packets received, 100% packet loss")).toBe(false);
    expect(pingAnswered(null, "")).toBe(false);
  });
});

describe("dnsSafety", () => {
  const safe = (resolvConf: string | null, upstream: string[] = []) => dnsSafety("web", false, resolvConf, upstream);

  it("sends a lookup to the embedded DNS only when its upstream is set and all loopback", () => {
    expect(safe("nameserver 127.0.0.11\noptions ndots:0\n", ["127.0.0.1"])).toEqual({
      safe: true,
      nameservers: ["127.0.0.11"],
    });
    expect(safe("nameserver 127.0.0.11\n", [])).toMatchObject({ safe: false, reason: /host's resolvers/ });
    expect(safe("nameserver 127.0.0.11\n", ["127.0.0.1", "8.8.8.8"])).toMatchObject({
      safe: false,
      reason: /forwards names it does not know to 8\.8\.8\.8, outside this engine/,
    });
  });

  it("sends a lookup to a loopback resolver in the container's own namespace", () => {
    expect(safe("nameserver 127.0.0.1\n")).toEqual({ safe: true, nameservers: ["127.0.0.1"] });
  });

  it("never sends one to a resolver off this machine, and says the explainer's answer stands", () => {
    expect(safe("search lan\nnameserver 10.0.0.2\n")).toEqual({
      safe: false,
      reason:
        "web asks 10.0.0.2, outside this engine; netdive sends no lookup off this machine — the explainer's answer stands.",
    });
    expect(safe("nameserver 127.0.0.11\nnameserver 192.168.1.1\n", ["127.0.0.1"])).toMatchObject({ safe: false });
  });

  it("refuses when resolv.conf is unreadable or names no server, and always for host mode", () => {
    expect(safe(null)).toMatchObject({ safe: false, reason: /could not be read/ });
    expect(safe("options ndots:0\n")).toMatchObject({ safe: false, reason: /names no nameserver/ });
    expect(dnsSafety("tools", true, "nameserver 127.0.0.53\n", ["127.0.0.1"])).toMatchObject({
      safe: false,
      reason: /host's resolver/,
    });
  });

  it("reads nameserver lines and nothing else", () => {
    expect(nameserversOf("# nameserver 1.1.1.1\nnameserver 127.0.0.11\n  nameserver 10.0.0.2 \n")).toEqual([
      "127.0.0.11",
      "10.0.0.2",
    ]);
  });
});

describe("isIpv4", () => {
  it("accepts dotted quads only", () => {
    expect(isIpv4("172.18.0.1")).toBe(true);
    for (const text of ["999.1.1.1", "1.2.3", "01.2.3.4x", "1.2.3.4 -c 100", ""])
      expect(isIpv4(text), text).toBe(false);
  });
});
