// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Package boundaries, as README.md's architecture paragraph draws them: web -> model;
 * server -> collector -> model; lab -> model (server -> lab only in apps/server/src/main.ts's
 * wiring, under --allow-actions). Nothing imports apps/*. The model does no I/O.
 */
const APPS = { group: ["@netdive/server", "@netdive/web", "**/apps/**"], message: "nothing imports apps/*." };

/** A `no-restricted-imports` rule that forbids these groups of import paths, each with why. */
const forbid = (...patterns) => ["error", { patterns }];

const noIoInModel = {
  patterns: [
    { group: ["node:*"], message: "packages/model does no I/O: move this to packages/collector or apps/server." },
    {
      group: ["@netdive/collector", "@netdive/lab", "@netdive/server", "@netdive/web", "**/apps/**"],
      message: "packages/model depends on nothing of netdive's.",
    },
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
          patterns: [
            { group: ["node:*"], message: "apps/web runs in the browser." },
            {
              group: ["@netdive/collector", "@netdive/server", "@netdive/lab", "**/apps/server/**"],
              message: "apps/web depends on packages/model only.",
            },
          ],
        },
      ],
    },
  },
  {
    // The canvas layer: the store, the panels and the tour use it, never the other way round.
    files: ["apps/web/src/graph/**/*.{ts,tsx}"],
    ignores: ["apps/web/src/**/*.test.ts", "apps/web/src/**/*.test-support.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*"], message: "apps/web runs in the browser." },
            {
              group: ["@netdive/collector", "@netdive/server", "@netdive/lab", "**/apps/server/**"],
              message: "apps/web depends on packages/model only.",
            },
            {
              group: ["../store", "../store/*", "../components/*", "../tour/*", "../App", "../stream/*"],
              message: "graph/ draws the topology; the store, the panels and the tour use it, not the reverse.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/collector/src/**/*.ts"],
    rules: {
      "no-restricted-imports": forbid(
        APPS,
        {
          group: ["@netdive/lab"],
          message: "packages/collector reads the engine; the lab is for tests and workshops.",
        },
        {
          group: ["fastify", "fastify-plugin", "@fastify/*", "ws"],
          message: "packages/collector knows nothing about HTTP or the browser: that is apps/server's.",
        },
      ),
    },
  },
  {
    files: ["packages/lab/src/**/*.ts"],
    rules: {
      "no-restricted-imports": forbid(APPS, {
        group: ["@netdive/collector"],
        message: "packages/lab imports the model only: its reads of the truth stay independent of netdive's.",
      }),
    },
  },
  {
    // The fixture recorder makes scenarios with the lab and reads them with the collector.
    files: ["packages/lab/scripts/**/*.ts"],
    rules: { "no-restricted-imports": forbid(APPS) },
  },
  {
    files: ["apps/server/src/**/*.ts"],
    ignores: ["apps/server/src/main.ts", "apps/server/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": forbid(
        { group: ["@netdive/web", "**/apps/web/**"], message: "apps/server does not import the page." },
        {
          group: ["@netdive/lab"],
          message: "apps/server runs without the lab: only main.ts wires it in, under --allow-actions.",
        },
      ),
    },
  },
  {
    files: ["apps/server/src/main.ts"],
    rules: {
      "no-restricted-imports": forbid({
        group: ["@netdive/web", "**/apps/web/**"],
        message: "apps/server does not import the page.",
      }),
    },
  },
  {
    files: ["e2e/**/*.ts"],
    rules: {
      "no-restricted-imports": forbid({
        group: ["@netdive/server", "@netdive/web", "**/apps/*/src/**"],
        message: "e2e drives the built system; nothing imports apps/*.",
      }),
    },
  },
);
