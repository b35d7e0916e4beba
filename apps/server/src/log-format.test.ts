import { describe, expect, it } from "vitest";
import { formatLine, humanLog } from "./log-format";

const at = new Date(2026, 11, 1, 9, 5, 7).getTime();
const line = (entry: object) => JSON.stringify({ pid: 1, hostname: "vm", time: at, ...entry });

describe("human log lines", () => {
  it("is the time and the message; fields stay out", () => {
    expect(formatLine(line({ level: 30, engine: "local", msg: "open http://localhost:3000/" }), { color: false })).toBe(
      "09:05:07 open http://localhost:3000/",
    );
  });

  it("labels warnings and errors, and gives an attached error's message", () => {
    expect(formatLine(line({ level: 40, msg: "cannot reach Docker" }), { color: false })).toBe(
      "09:05:07 warning: cannot reach Docker",
    );
    expect(formatLine(line({ level: 50, msg: "request failed", err: { message: "boom" } }), { color: false })).toBe(
      "09:05:07 error: request failed: boom",
    );
  });

  it("colours only when asked, and passes on what is not pino's JSON", () => {
    expect(formatLine(line({ level: 40, msg: "x" }), { color: true })).toContain("\x1b[33mwarning:");
    expect(formatLine("plain text\n", { color: false })).toBe("plain text");
  });

  it("writes one line per entry", () => {
    const out: string[] = [];
    const log = humanLog({ write: (t: string) => out.push(t) }, { color: false });
    log.write(`${line({ level: 30, msg: "a" })}\n`);
    log.write(`${line({ level: 30, msg: "b" })}\n`);
    expect(out).toEqual(["09:05:07 a\n", "09:05:07 b\n"]);
  });
});
