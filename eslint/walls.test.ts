import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { ROOT } from "./walls.js";

/**
 * Each forbidden import, written into a file that is not there (ESLint lints the text as if it
 * were at that path, with the repository's own config), must fail lint on the walls; each
 * allowed one must not. Imports are tried in every form: a package's name, a relative path that
 * climbs into another package, `export … from`, a dynamic import(), a type's import("…").
 */
const FORBIDDEN: Array<[file: string, code: string]> = [
  ["packages/model/src/probe.ts", 'import { a } from "../../collector/src/index";'],
  ["packages/model/src/probe.ts", 'import { a } from "@netdive/collector";'],
  ["packages/model/src/probe.ts", 'type T = typeof import("@netdive/collector");'],
  ["packages/collector/src/probe.ts", 'import { a } from "../../lab/src/index";'],
  ["packages/collector/src/probe.ts", 'import { a } from "@netdive/lab";'],
  ["packages/collector/scripts/probe.ts", 'import { a } from "@netdive/lab";'],
  ["packages/collector/src/probe.test.ts", 'import { a } from "../../../apps/server/src/app";'],
  ["packages/lab/src/probe.ts", 'import { a } from "../../collector/src/index";'],
  ["apps/web/src/probe.ts", 'import { a } from "../../../packages/collector/src/index";'],
  ["apps/web/src/probe.ts", 'import { a } from "../../../packages/lab/src/index";'],
  ["apps/web/src/probe.ts", 'import { a } from "../../server/src/app";'],
  ["apps/web/src/probe.ts", 'import { a } from "@netdive/server";'],
  ["apps/web/src/graph/probe.ts", 'import { a } from "../store";'],
  ["apps/web/src/graph/probe.ts", 'import { a } from "../../src/components/Toolbar";'],
  ["apps/server/src/probe.ts", 'import { a } from "../../web/src/App";'],
  ["apps/server/src/probe.ts", 'const lab = await import("@netdive/lab");'],
  ["apps/server/src/routes/probe.ts", 'import { a } from "../../../../packages/lab/src/index";'],
  ["apps/server/src/probe.ts", 'export { a } from "@netdive/lab";'],
  ["apps/server/src/probe.ts", 'import { fakeEngine } from "@netdive/collector/test-support";'],
  ["apps/server/src/probe.ts", "const m = await import(process.env.X!);"],
  ["e2e/tests/probe.ts", 'import { a } from "../../apps/web/src/App";'],
];

const ALLOWED: Array<[file: string, code: string]> = [
  ["apps/server/src/main.ts", 'const lab = await import("@netdive/lab");'],
  ["apps/server/src/probe.ts", 'import { a } from "@netdive/collector";'],
  ["apps/server/src/probe.ts", 'import { a } from "@netdive/model";'],
  ["apps/server/test/probe.int.test.ts", 'import { a } from "@netdive/lab";'],
  ["apps/server/test/probe.int.test.ts", 'import { a } from "@netdive/collector/test-support";'],
  ["apps/web/src/probe.ts", 'import { a } from "@netdive/model";'],
  ["apps/web/src/components/probe.ts", 'import { a } from "../graph/layout";'],
  ["apps/web/src/graph/probe.test.ts", 'import { a } from "../store";'],
  ["packages/lab/scripts/probe.ts", 'import { a } from "@netdive/collector";'],
  ["packages/lab/src/probe.ts", 'import { a } from "@netdive/model";'],
  ["packages/collector/src/probe.ts", 'import { a } from "../../model/src/index";'],
  ["e2e/tests/probe.ts", 'import { a } from "@netdive/lab";'],
];

const eslint = new ESLint({ cwd: ROOT });
const wallsHit = async (file: string, code: string) => {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: `${ROOT}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === "walls/paths").map((m) => m.message);
};

describe("lint's walls, by path", () => {
  it.each(FORBIDDEN)("%s: `%s` fails lint", async (file, code) => {
    expect(await wallsHit(file, code)).not.toEqual([]);
  });

  it.each(ALLOWED)("%s: `%s` passes the walls", async (file, code) => {
    expect(await wallsHit(file, code)).toEqual([]);
  });

  it("says which wall, and why", async () => {
    const [message] = await wallsHit("apps/web/src/probe.ts", 'import { a } from "../../../packages/lab/src/index";');
    expect(message).toBe("packages/lab/src/index is behind a wall: apps/web depends on packages/model only.");
  });
});
