import type { KernelReader } from "@netdive/collector";
import { describe, expect, it } from "vitest";
import { effectiveCapabilities, missingCapabilities, withCapabilities } from "./capabilities";

// CapEff lines as /proc/self/status shows them: root on a host (all 41 capabilities), and root in
// `docker run --cap-drop ALL --cap-add SYS_ADMIN --cap-add NET_ADMIN` (bits 12 and 21).
const HOST_ROOT = "Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
const ADMIN_NET_ADMIN = "CapEff:\t0000000000201000\n";

function fakeKernel(reason: string | null = null): KernelReader {
  return {
    unavailableReason: async () => reason,
    readHost: async () => ({ ok: true, links: [], defaultRoutes: [] }),
    readNetns: async () => ({ ok: true, links: [] }),
    readDnsRules: async () => ({ ok: true, rules: [], from: "iptables" }),
    readFirewall: async () => ({
      rules: { ok: true, rules: { from: "iptables", chains: [], rules: [] }, tools: ["iptables-save"], ms: 1 },
      proxies: { ok: true, proxies: [] },
    }),
  };
}

describe("capabilities", () => {
  it("root on a host lacks nothing", () => {
    expect(missingCapabilities(effectiveCapabilities(HOST_ROOT))).toEqual([]);
  });

  it("names exactly the capability the run line left out", () => {
    const missing = missingCapabilities(effectiveCapabilities(ADMIN_NET_ADMIN));
    expect(missing.map((m) => m.capability)).toEqual(["SYS_PTRACE"]);
  });

  it("a status without CapEff (not Linux) claims nothing is missing", () => {
    expect(missingCapabilities(effectiveCapabilities("Name:\tnode\n"))).toEqual([]);
  });

  it("without SYS_ADMIN the kernel is unavailable with the capability and the flag that adds it", async () => {
    const kernel = withCapabilities(
      fakeKernel(),
      missingCapabilities(effectiveCapabilities("CapEff:\t0000000000081000\n")), // NET_ADMIN, SYS_PTRACE
    );
    const reason = await kernel.unavailableReason("unix:///var/run/docker.sock");
    expect(reason).toContain("cannot enter container network namespaces (setns): CAP_SYS_ADMIN is missing");
    expect(reason).toContain("--cap-add SYS_ADMIN");
    expect(reason).not.toContain("SYS_PTRACE");
  });

  it("without NET_ADMIN only the firewall read is refused, and it says why", async () => {
    const kernel = withCapabilities(
      fakeKernel(),
      missingCapabilities(effectiveCapabilities("CapEff:\t0000000000280000\n")), // SYS_PTRACE, SYS_ADMIN
    );
    expect(await kernel.unavailableReason("unix:///var/run/docker.sock")).toBeNull();
    const nat = await kernel.readDnsRules("c1", 42, "iptables");
    expect(nat).toEqual({
      ok: false,
      reason: expect.stringContaining("CAP_NET_ADMIN is missing — add --cap-add NET_ADMIN"),
    });
    const firewall = await kernel.readFirewall("iptables");
    expect(firewall.rules).toEqual({ ok: false, reason: expect.stringContaining("CAP_NET_ADMIN is missing") });
    expect(firewall.proxies).toEqual({ ok: true, proxies: [] });
  });

  it("a reason the reader already has (a remote engine, not root) is kept", async () => {
    const notRoot = withCapabilities(
      fakeKernel("netdive is not running as root"),
      missingCapabilities(new Set()),
      false,
    );
    expect(await notRoot.unavailableReason("unix:///var/run/docker.sock")).toBe("netdive is not running as root");
    const remote = withCapabilities(fakeKernel("not a local socket"), missingCapabilities(new Set()), true);
    expect(await remote.unavailableReason("tcp://10.0.0.5:2375")).toBe("not a local socket");
  });

  it("as root beside a local socket, an engine process it cannot see is blamed on the missing capability", async () => {
    const kernel = withCapabilities(
      fakeKernel("No process that listens on /var/run/docker.sock is visible from here"),
      missingCapabilities(effectiveCapabilities("CapEff:\t0000000000201000\n")), // NET_ADMIN, SYS_ADMIN
      true,
    );
    const reason = await kernel.unavailableReason("unix:///var/run/docker.sock");
    expect(reason).toContain("CAP_SYS_PTRACE is missing — add --cap-add SYS_PTRACE");
  });
});
