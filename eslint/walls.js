// @ts-check
/**
 * netdive's walls, by path: which folders may import which. An import is resolved to the file or
 * folder it names first, whatever it is written as (a workspace package's name, a relative path
 * that climbs into another package, `export … from`, a dynamic `import()`, `require()`, or a type's
 * `import("…")`), and the wall is checked on that path. Matching the import's string instead let
 * `../../collector/src/x` through where `@netdive/collector` was stopped.
 *
 * Paths are relative to the repository's root, with `/` separators. A wall's `files` and `from`
 * are folder prefixes (`apps/web/`) or file suffixes (`.test-support.ts`); `except` lists files of
 * `files` the wall does not hold for.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Each workspace package's name and folder, read from its package.json. */
function workspacePackages() {
  /** @type {Map<string, { dir: string, exports: Record<string, string> }>} */
  const out = new Map();
  for (const parent of ["packages", "apps"]) {
    for (const entry of readdirSync(join(ROOT, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      try {
        const pkg = JSON.parse(readFileSync(join(ROOT, parent, entry.name, "package.json"), "utf8"));
        const exports = typeof pkg.exports === "object" && pkg.exports !== null ? pkg.exports : {};
        out.set(pkg.name, { dir: `${parent}/${entry.name}`, exports });
      } catch {
        // A folder without a package.json is not a package.
      }
    }
  }
  return out;
}

const PACKAGES = workspacePackages();

/**
 * Where an import goes, relative to the root (`packages/lab/src/index.ts`), or null when it leaves
 * netdive (node:, npm packages).
 */
export function resolveImport(spec, fromFile) {
  if (spec.startsWith(".") || spec.startsWith("/")) return toRoot(resolve(dirname(fromFile), spec));
  const match = /^(@netdive\/[^/]+)(\/.*)?$/.exec(spec);
  if (!match) return null;
  const pkg = PACKAGES.get(match[1] ?? "");
  if (!pkg) return null;
  const sub = `.${match[2] ?? ""}`;
  const target = pkg.exports[sub];
  return `${pkg.dir}/${(typeof target === "string" ? target : sub).replace(/^\.\/?/, "")}`.replace(/\/$/, "");
}

const toRoot = (absolute) => relative(ROOT, absolute).split(sep).join("/");

/** Whether a root-relative path falls under a prefix (`apps/web/`) or ends with a suffix (`.test-support.ts`). */
const under = (path, pattern) =>
  pattern.startsWith(".") ? path.endsWith(pattern) : path === pattern.replace(/\/$/, "") || path.startsWith(pattern);

/** @type {import("eslint").Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: { description: "Walls between netdive's folders, checked on the path an import resolves to." },
    schema: [
      {
        type: "object",
        properties: {
          walls: {
            type: "array",
            items: {
              type: "object",
              properties: {
                files: { type: "array", items: { type: "string" } },
                except: { type: "array", items: { type: "string" } },
                from: { type: "array", items: { type: "string" } },
                message: { type: "string" },
              },
              required: ["files", "from", "message"],
              additionalProperties: false,
            },
          },
        },
        required: ["walls"],
        additionalProperties: false,
      },
    ],
    messages: {
      wall: "{{path}} is behind a wall: {{message}}",
      computed:
        "A dynamic import of a computed path: the walls cannot see where it goes. Import a fixed path, or a module that chooses.",
    },
  },
  create(context) {
    const file = toRoot(context.filename);
    /** @type {Array<{ files: string[], except?: string[], from: string[], message: string }>} */
    const walls = context.options[0]?.walls ?? [];
    const here = walls.filter(
      (w) => w.files.some((f) => under(file, f)) && !(w.except ?? []).some((e) => under(file, e)),
    );
    if (here.length === 0) return {};

    /** @param {any} node the import's string literal */
    const check = (node) => {
      if (!node) return;
      let spec = null;
      if (node.type === "Literal" && typeof node.value === "string") spec = node.value;
      else if (node.type === "TemplateLiteral" && node.expressions.length === 0) spec = node.quasis[0].value.cooked;
      if (spec === null) return context.report({ node, messageId: "computed" });
      const path = resolveImport(spec, context.filename);
      if (path === null) return;
      const wall = here.find((w) => w.from.some((f) => under(path, f)));
      if (wall) context.report({ node, messageId: "wall", data: { path, message: wall.message } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === "Identifier" && node.callee.name === "require" && node.arguments.length === 1)
          check(node.arguments[0]);
      },
      // `typeof import("…")` and `import("…").Type` in types.
      TSImportType: (node) => {
        const arg = node.argument;
        check(arg?.type === "TSLiteralType" ? arg.literal : (node.source ?? arg));
      },
    };
  },
};

export const walls = { rules: { paths: rule } };
