/**
 * Bundles the server, with netdive's workspace packages and its npm dependencies, into
 * dist/main.mjs: `pnpm start` runs plain Node (no TypeScript loader thread: ~40 MB less RSS, a
 * faster start), and dist/ with apps/web/dist beside it runs from any directory, with no
 * node_modules and no checkout. Left out: optional native add-ons that their packages load inside
 * a try (ssh2's cpu-features, ws's bufferutil and utf-8-validate).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
// `node build.mjs [--outfile=PATH]`: dist/main.mjs unless told (the bundle test builds into a
// scratch directory). Other arguments are pnpm's (`build --logLevel warn` reaches us too).
const outfileArg = process.argv.find((a) => a.startsWith("--outfile="));
const outfile = outfileArg ? outfileArg.slice("--outfile=".length) : join(here, "dist", "main.mjs");

// CommonJS packages inside an ES module bundle still call require and read __dirname.
const commonJsShim = [
  'import { createRequire as __ndRequire } from "node:module";',
  'import { fileURLToPath as __ndPath } from "node:url";',
  "const require = __ndRequire(import.meta.url);",
  "const __filename = __ndPath(import.meta.url);",
  'const __dirname = __ndPath(new URL(".", import.meta.url));',
].join(" ");

await build({
  entryPoints: [join(here, "src", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  external: ["cpu-features", "bufferutil", "utf-8-validate", "*.node"],
  banner: { js: commonJsShim },
});
