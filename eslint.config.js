// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Package boundaries (../shared/STYLE.md): web -> model; server -> collector -> model. */
const noIoInModel = {
  patterns: [
    { group: ["node:*"], message: "packages/model does no I/O: move this to packages/collector or apps/server." },
    {
      group: ["@netdive/collector", "@netdive/server", "@netdive/web", "**/apps/**"],
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
    files: ["packages/collector/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@netdive/server", "@netdive/web", "**/apps/**"],
              message: "packages/collector must not import an app.",
            },
          ],
        },
      ],
    },
  },
);
