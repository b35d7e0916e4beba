import type { Container, ContainerDetails, RecordingTimeline } from "@netdive/model";
import { TopologyService } from "./topology-service";

/**
 * The topology service of `--replay`: no engine and no watcher, the recording's last moment as
 * the current topology, and the details the recording holds for it. Every read-only route works
 * on it unchanged; the page steps through the moments itself (from `GET /api/recording`).
 */
export class ReplayTopologyService extends TopologyService {
  constructor(readonly timeline: RecordingTimeline) {
    super([], { log: { info: () => undefined, warn: () => undefined, debug: () => undefined }, reconcileMs: 60_000 });
    this.topology = timeline.topologyAt(timeline.moments.length - 1);
  }

  /** The last moment of the recording. */
  get last(): number {
    return this.timeline.moments.length - 1;
  }

  override async details(container: Container): Promise<ContainerDetails> {
    return this.timeline.detailsAt(this.last, container.id) ?? notRecorded(container);
  }
}

/** A container whose details the recording never held: said, not an empty file. */
export function notRecorded(container: Container): ContainerDetails {
  const reason = "not in the recording: the container's files were not read while it was recorded";
  return {
    ...container,
    resolvConf: null,
    hostsFile: null,
    dnsRules: null,
    unavailable: { resolvConf: reason, hostsFile: reason, dnsRules: reason },
  };
}
