// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { walls } from "./eslint/walls.js";

/**
 * Package boundaries, as README.md's architecture paragraph draws them: web -> model;
 * server -> collector -> model; lab -> model (server -> lab only in apps/server/src/main.ts's
 * wiring, under --allow-actions). Nothing imports apps/*. The model does no I/O.
 *
 * The walls between netdive's own folders are checked on the path an import resolves to
 * (eslint/walls.js), so a relative path or a dynamic import() cannot climb over them; tests and
 * scripts are inside them. `no-restricted-imports` keeps what is not netdive's out by name
 * (node:, I/O and HTTP libraries). eslint/walls.test.ts tries each forbidden import.
 */
export const WALLS = [
  {
    files: ["packages/model/"],
    from: ["packages/collector/", "packages/lab/", "apps/", "e2e/"],
    message: "packages/model depends on nothing of netdive's.",
  },
  {
    files: ["packages/collector/"],
    from: ["packages/lab/", "apps/", "e2e/"],
    message: "packages/collector reads the engine: it imports the model only, never the lab or the apps.",
  },
  {
    files: ["packages/lab/"],
    except: ["packages/lab/scripts/"],
    from: ["packages/collector/", "apps/", "e2e/"],
    message: "packages/lab imports the model only: its reads of the truth stay independent of netdive's.",
  },
  {
    // The fixture recorder makes scenarios with the lab and reads them with the collector.
    files: ["packages/lab/scripts/"],
    from: ["apps/", "e2e/"],
    message: "nothing imports apps/*.",
  },
  {
    files: ["apps/web/"],
    from: ["packages/collector/", "packages/lab/", "apps/server/", "e2e/"],
    message: "apps/web depends on packages/model only.",
  },
  {
    files: ["apps/web/src/graph/"],
    except: [".test.ts", ".test-support.ts"],
    from: [
      "apps/web/src/store/",
      "apps/web/src/components/",
      "apps/web/src/tour/",
      "apps/web/src/stream/",
      "apps/web/src/App.tsx",
    ],
    message: "graph/ draws the topology; the store, the panels and the tour use it, not the reverse.",
  },
  {
    files: ["apps/server/"],
    from: ["apps/web/", "e2e/"],
    message: "apps/server does not import the page.",
  },
  {
    files: ["apps/server/src/"],
    except: ["apps/server/src/main.ts", ".test.ts"],
    from: ["packages/lab/"],
    message: "apps/server runs without the lab: only main.ts wires it in, under --allow-actions.",
  },
  {
    files: ["apps/server/src/", "apps/web/src/", "packages/collector/src/", "packages/model/src/"],
    except: [".test.ts", ".test-support.ts"],
    from: [".test-support.ts"],
    message: "test-only code never reaches what ships.",
  },
  {
    files: ["e2e/"],
    from: ["apps/server/src/", "apps/server/test/", "apps/web/src/"],
    message: "e2e drives the built system; nothing imports apps/*.",
  },
];

/** A `no-restricted-imports` rule that forbids these groups of import paths, each with why. */
const forbid = (...patterns) => ["error", { patterns }];

const noIoInModel = {
  patterns: [
    { group: ["node:*"], message: "packages/model does no I/O: move this to packages/collector or apps/server." },
  ],
  paths: ["fs", "child_process", "net", "http", "https", "os", "dockerode", "ws", "react", "fastify"].map((name) => ({
    name,
    message: "packages/model does no I/O.",
  })),
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/test-results/**", "docs/**"] },
  { files: ["**/*.{ts,tsx}"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["packages/model/src/**/*.ts"],
    ignores: ["packages/model/src/**/*.test.ts"],
    languageOptions: { globals: {} },
    rules: {
      "no-restricted-imports": ["error", noIoInModel],
      "no-restricted-globals": ["error", "process", "setTimeout", "setInterval", "fetch", "require"],
    },
  },
  {
    files: ["apps/web/src/**/*.{ts,tsx}"],
    ignores: ["apps/web/src/**/*.test.ts", "apps/web/src/**/*.test-support.ts"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["node:*"], message: "apps/web runs in the browser." }],
        },
      ],
    },
  },
  {
    files: ["packages/collector/src/**/*.ts"],
    rules: {
      "no-restricted-imports": forbid({
        group: ["fastify", "fastify-plugin", "@fastify/*", "ws"],
        message: "packages/collector knows nothing about HTTP or the browser: that is apps/server's.",
      }),
    },
  },
  {
    files: ["**/*.{ts,tsx,js}"],
    plugins: { walls },
    rules: { "walls/paths": ["error", { walls: WALLS }] },
  },
);
