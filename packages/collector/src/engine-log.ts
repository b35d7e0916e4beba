import type { EngineInventory } from "@netdive/model";

/** Least time between two reminders that an engine is still unreachable. */
export const REMINDER_MS = 60_000;

/** A structured logger's one level: pino's (Fastify's `app.log`) fits. */
export type LogFn = (fields: object, message: string) => void;

/** What the watch loop logs through: pino's levels, without depending on pino or Fastify. */
export interface WatchLog {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
}

export interface EngineLogOptions {
  log: WatchLog;
  /** Least time (ms) between reminders while the engine stays away; a minute unless told. */
  reminderMs?: number;
  /** The clock (ms); tests pass their own. */
  now?: () => number;
}

/**
 * What a person watching the terminal is told about one engine: one line when it is first read
 * or comes back, one warning when it is lost, and at most one reminder per `reminderMs` while it
 * stays away. Every retry in between goes to the debug level only: a retry every few seconds is
 * netdive doing its job, not news.
 */
export class EngineLog {
  private state: "unknown" | "up" | "down" = "unknown";
  private lostAt = 0;
  private remindedAt = 0;
  private kernelTold = false;
  private readonly reminderMs: number;
  private readonly now: () => number;

  constructor(private readonly options: EngineLogOptions) {
    this.reminderMs = options.reminderMs ?? REMINDER_MS;
    this.now = options.now ?? Date.now;
  }

  /** Takes every inventory the watcher publishes and logs what changed for a person. */
  seen(inventory: EngineInventory): void {
    const { log } = this.options;
    const { engine } = inventory;
    const now = this.now();
    const fields = { engine: engine.id, url: engine.url };
    if (engine.reachable) {
      if (this.state === "up") return;
      const what = `${engine.version ? `Docker ${engine.version}` : "the engine"}${engine.apiVersion ? ` (Engine API ${engine.apiVersion})` : ""} at ${engine.url}`;
      const facts = { ...fields, version: engine.version, api: engine.apiVersion };
      if (this.state === "down") {
        log.info({ ...facts, downMs: now - this.lostAt }, `engine back after ${span(now - this.lostAt)}: ${what}`);
      } else {
        log.info(facts, `engine: ${what}`);
      }
      this.state = "up";
      if (!inventory.host.ok && !this.kernelTold) {
        this.kernelTold = true;
        log.warn(fields, `host interfaces, veths and DNS rules are not visible from here: ${inventory.host.reason}`);
      }
      return;
    }
    const reason = engine.error ?? `cannot reach Docker at ${engine.url}`;
    if (this.state !== "down") {
      this.state = "down";
      this.lostAt = now;
      this.remindedAt = now;
      log.warn(fields, reason);
      return;
    }
    if (now - this.remindedAt >= this.reminderMs) {
      this.remindedAt = now;
      log.warn(
        { ...fields, downMs: now - this.lostAt },
        `${reason} (for ${span(now - this.lostAt)} now; netdive keeps retrying)`,
      );
      return;
    }
    log.debug(fields, reason);
  }
}

/** "12 s", "3 min", "2 h": how long, for a person. */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min` : `${Math.round(min / 60)} h`;
}
