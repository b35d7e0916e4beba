/** How netdive logs: short lines for a person at a terminal, or pino's JSON for a pipe. */
export type LogFormat = "human" | "json";

/** pino's numeric levels at or above which a line is labelled. */
const LABELS: ReadonlyArray<[number, string]> = [
  [60, "fatal"],
  [50, "error"],
  [40, "warning"],
];

const COLORS: Record<string, string> = { fatal: "\x1b[31m", error: "\x1b[31m", warning: "\x1b[33m" };
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

export interface HumanLogOptions {
  /** ANSI colours (a terminal that shows them). */
  color: boolean;
}

/**
 * A pino destination that writes each JSON line as one short line: the local time, the level
 * when it is a warning or worse, and the message (with the error's, when one is attached).
 * The fields stay in the JSON format (`--log-format json`) for whoever needs them.
 */
export function humanLog(
  out: { write(text: string): unknown },
  options: HumanLogOptions,
): { write(line: string): void } {
  return {
    write(line: string) {
      out.write(`${formatLine(line, options)}\n`);
    },
  };
}

/** One pino JSON line as a person reads it; a line that is not pino's JSON is kept as it is. */
export function formatLine(line: string, options: HumanLogOptions): string {
  let entry: { level?: number; time?: number; msg?: string; err?: { message?: string } };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return line.replace(/\n$/, "");
  }
  const level = LABELS.find(([at]) => (entry.level ?? 30) >= at)?.[1];
  let text = entry.msg ?? "";
  const errMessage = entry.err?.message;
  if (errMessage && !text.includes(errMessage)) text = text ? `${text}: ${errMessage}` : errMessage;
  const time = clock(new Date(entry.time ?? Date.now()));
  if (!options.color) return `${time} ${level ? `${level}: ` : ""}${text}`;
  const label = level ? `${COLORS[level] ?? ""}${level}:${RESET} ` : "";
  return `${DIM}${time}${RESET} ${label}${text}`;
}

function clock(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}
