import { describe, expect, it } from "vitest";
import { diagnose, report, type DoctorProbes } from "./doctor";

const URL = "unix:///var/run/docker.sock";

/** A machine where everything is there; each test takes one piece away. */
function machine(over: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    url: URL,
    engine: async () => ({ ok: true, identity: { name: "vm", version: "20.10.24", apiVersion: "1.41" } }),
    kernel: async () => null,
    hostIptables: async () => "iptables v1.8.9 (nf_tables)",
    hostNft: async () => "nftables v1.0.6 (Lester Gooch #5)",
    labImage: async () => true,
    chromium: async () => ({ path: "/usr/bin/chromium", version: "Chromium 156.0 built on Debian" }),
    ...over,
  };
}

async function check(probes: DoctorProbes) {
  return report(await diagnose(probes), URL);
}

describe("netdive --check", () => {
  it("says each piece is there, on one screen, and that netdive can run", async () => {
    const { text, ok } = await check(machine());
    expect(ok).toBe(true);
    for (const topic of ["engine", "kernel", "firewall", "lab image", "chromium"]) {
      expect(text).toMatch(new RegExp(`^  ok +${topic}`, "m"));
    }
    expect(text).toContain("Docker 20.10.24 (Engine API 1.41) at unix:///var/run/docker.sock");
    expect(text).toContain("iptables v1.8.9 (nf_tables)");
    expect(text.split("\n").length).toBeLessThanOrEqual(24);
  });

  it("fails without an engine, says why and how to get one, and cannot tell about the lab image", async () => {
    const reason = "cannot reach Docker at unix:///var/run/docker.sock: the socket does not exist";
    const { text, ok } = await check(machine({ engine: async () => ({ ok: false, reason }) }));
    expect(ok).toBe(false);
    expect(text).toMatch(new RegExp(`^  MISSING +engine +${reason}`, "m"));
    expect(text).toContain("pnpm engine");
    expect(text).toMatch(/lab image +unknown: no engine to ask/);
  });

  it("runs without kernel visibility, the lab image or Chromium, and says what to do about each", async () => {
    const { text, ok } = await check(
      machine({
        kernel: async () => "netdive is not running as root, so it cannot enter network namespaces.",
        labImage: async () => false,
        chromium: async () => ({ path: "/usr/bin/chromium", version: null }),
      }),
    );
    expect(ok).toBe(true);
    expect(text).toMatch(/note +kernel +not visible: netdive is not running as root/);
    expect(text).toMatch(/note +lab image .*\n.*→ build it offline: pnpm engine/);
    expect(text).toMatch(/note +chromium .*\n.*→ apt-get install chromium/);
  });

  it("reads an nftables engine's DNS hooks with nft, and says to install it when it is missing", async () => {
    const nftables = async () => ({
      ok: true as const,
      identity: { name: "vm", version: "28.5.2", apiVersion: "1.51", firewallBackend: "nftables" },
    });
    expect((await check(machine({ engine: nftables }))).text).toMatch(
      /ok +firewall +nftables \(the engine says\); DNS hooks read with nftables v1.0.6/,
    );
    const { text } = await check(machine({ engine: nftables, hostNft: async () => null }));
    expect(text).toMatch(/note +firewall +the engine's firewall backend is nftables and this machine has no nft/);
    expect(text).toContain("→ apt-get install nftables");
  });
});
