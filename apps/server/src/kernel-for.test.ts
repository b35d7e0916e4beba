import { HelperKernel } from "@netdive/collector";
import { describe, expect, it } from "vitest";
import { kernelFor, NO_KERNEL_HELPER } from "./kernel-for";

const WITH_HELPER = { kernelHelper: true, kernelHelperImage: "netdive:latest" };

describe("kernelFor: which kernel reader an engine gets", () => {
  it("a remote engine without --kernel-helper reads nothing and says why, naming the flag", async () => {
    const kernel = kernelFor("tcp://10.0.0.5:2376", NO_KERNEL_HELPER);
    const reason = await kernel.unavailableReason("tcp://10.0.0.5:2376");
    expect(reason).toBe(
      "The engine at tcp://10.0.0.5:2376 is not on this machine, so its host's interfaces, veth pairs and DNS hooks are not visible from here — run netdive on the Docker host, or pass --kernel-helper to read them with a short-lived helper container on that engine (it runs netdive:latest there with --pid host --network host).",
    );
    expect(await kernel.readHost()).toEqual({ ok: false, reason });
    expect(await kernel.readNetns("a".repeat(64), 1)).toEqual({ ok: false, reason });
  });

  it("a remote engine with --kernel-helper gets the helper, which has no reason of its own", async () => {
    const kernel = kernelFor("ssh://me@build", WITH_HELPER);
    expect(kernel).toBeInstanceOf(HelperKernel);
    expect(await kernel.unavailableReason("ssh://me@build")).toBeNull();
    kernel.close?.();
  });

  it("a local socket keeps this machine's kernel, with or without the flag, and names the helper image only when asked", () => {
    expect(kernelFor("unix:///var/run/docker.sock", NO_KERNEL_HELPER)).not.toBeInstanceOf(HelperKernel);
    expect(kernelFor("unix:///var/run/docker.sock", WITH_HELPER)).not.toBeInstanceOf(HelperKernel);
  });
});
