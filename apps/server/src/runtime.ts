import { readFileSync } from "node:fs";
import type { EngineCollector } from "@netdive/collector";
import { ownMissingCapabilities, type MissingCapability } from "./capabilities";

/**
 * Where netdive runs, as `/api/health` reports it: in a container or not, which capabilities it
 * lacks, and whether an engine is Docker Desktop's (its Linux VM: kernel facts come only from a
 * netdive running inside that VM, i.e. as a container on it).
 */

/** The id of the Docker container this process runs in, from the files the engine bind-mounts; null outside one. */
export function ownContainerId(mountinfo: string): string | null {
  return /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf) /.exec(mountinfo)?.[1] ?? null;
}

/** This process's container id (/proc/self/mountinfo), or null. */
export function readOwnContainerId(mountinfo = "/proc/self/mountinfo"): string | null {
  try {
    return ownContainerId(readFileSync(mountinfo, "utf8"));
  } catch {
    return null;
  }
}

/** Docker Desktop's engine names itself in `GET /info` OperatingSystem ("Docker Desktop", "Docker Desktop 4.x"). */
export function isDockerDesktop(operatingSystem: string | null): boolean {
  return operatingSystem?.startsWith("Docker Desktop") ?? false;
}

export interface Runtime {
  /** The container netdive runs in (64 hex), or null on a host. */
  containerId: string | null;
  missingCapabilities: MissingCapability[];
}

export function readRuntime(): Runtime {
  return { containerId: readOwnContainerId(), missingCapabilities: ownMissingCapabilities() };
}

/** Each engine's `/info` OperatingSystem, asked once per engine on its own connection, then kept. */
export class EnginePlatforms {
  private readonly known = new Map<string, string>();

  constructor(private readonly collectors: readonly EngineCollector[]) {}

  /** "Debian GNU/Linux 12 (bookworm)", "Docker Desktop", …; null while the engine does not answer. */
  async operatingSystem(engineId: string): Promise<string | null> {
    const cached = this.known.get(engineId);
    if (cached !== undefined) return cached;
    const collector = this.collectors.find((c) => c.engineId === engineId);
    if (!collector) return null;
    try {
      const info = (await (await collector.client()).info()) as { OperatingSystem?: string };
      const os = info.OperatingSystem ?? "";
      this.known.set(engineId, os);
      return os;
    } catch {
      return null;
    }
  }
}
