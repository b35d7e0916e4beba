import {
  createLinuxKernel,
  dockerHelperEngine,
  HelperKernel,
  type EngineTls,
  type KernelReader,
} from "@netdive/collector";
import { ownMissingCapabilities, withCapabilities } from "./capabilities";

/** The image the kernel helper runs unless `--kernel-helper-image` says otherwise. */
export const DEFAULT_KERNEL_HELPER_IMAGE = "netdive:latest";

/** How kernel facts may be read: `--kernel-helper` and `--kernel-helper-image` (a part of Config). */
export interface KernelChoice {
  /** Whether netdive may start its helper container on engines it cannot read itself. */
  kernelHelper: boolean;
  kernelHelperImage: string;
}

export const NO_KERNEL_HELPER: KernelChoice = { kernelHelper: false, kernelHelperImage: DEFAULT_KERNEL_HELPER_IMAGE };

/**
 * Which KernelReader an engine gets. A local socket: this machine's kernel (with the sentence for
 * a capability netdive lacks in a container); with `--kernel-helper`, the helper wherever that
 * kernel cannot be read. Any other engine (tcp://, ssh://): the helper with `--kernel-helper`,
 * else none, with a reason that names the flag.
 */
export function kernelFor(
  engineUrl: string,
  choice: KernelChoice,
  helperLabels?: Readonly<Record<string, string>>,
  tls?: EngineTls,
): KernelReader {
  const helper = () =>
    new HelperKernel({
      url: engineUrl,
      engine: dockerHelperEngine({
        url: engineUrl,
        image: choice.kernelHelperImage,
        ...(helperLabels ? { labels: helperLabels } : {}),
        ...(tls ? { tls } : {}),
      }),
    });
  if (engineUrl.startsWith("unix://")) {
    const local = withCapabilities(createLinuxKernel({ engineUrl }), ownMissingCapabilities());
    return choice.kernelHelper ? localOrHelper(local, helper()) : local;
  }
  if (choice.kernelHelper) return helper();
  return unreadable(
    `The engine at ${engineUrl} is not on this machine, so its host's interfaces, veth pairs and DNS hooks are not visible from here — run netdive on the Docker host, or pass --kernel-helper to read them with a short-lived helper container on that engine (it runs ${choice.kernelHelperImage} there with --pid host --network host).`,
  );
}

/** A reader that reads nothing, for the reason given. */
function unreadable(reason: string): KernelReader {
  return {
    unavailableReason: async () => reason,
    readHost: async () => ({ ok: false, reason }),
    readNetns: async () => ({ ok: false, reason }),
    readDnsRules: async () => ({ ok: false, reason }),
    readFirewall: async () => ({ rules: { ok: false, reason }, proxies: { ok: false, reason } }),
  };
}

/**
 * This machine's kernel when it can read the engine, else the helper. Decided once, at the first
 * `unavailableReason` (the collector asks it before any read).
 */
function localOrHelper(local: KernelReader, helper: KernelReader): KernelReader {
  let current = local;
  let decided: Promise<string | null> | undefined;
  return {
    unavailableReason(engineUrl) {
      decided ??= local.unavailableReason(engineUrl).then(async (reason) => {
        if (reason === null) return null;
        local.close?.();
        current = helper;
        return helper.unavailableReason(engineUrl);
      });
      return decided;
    },
    readHost: (options) => current.readHost(options),
    readNetns: (containerId, pid) => current.readNetns(containerId, pid),
    readDnsRules: (containerId, pid, firewallBackend) => current.readDnsRules(containerId, pid, firewallBackend),
    readFirewall: (firewallBackend) => current.readFirewall(firewallBackend),
    forget: (keep) => current.forget?.(keep),
    hostProc: async () => current.hostProc?.(),
    close: () => {
      local.close?.();
      helper.close?.();
    },
  };
}
