import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (pure, no engine, runs anywhere) and `integration` (a real Docker engine;
 * it fails, never skips, when none answers). Tests import packages from source: no build first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "apps/*/test/**/*.unit.test.ts",
            "eslint/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.int.test.ts", "apps/*/test/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["./vitest.engine-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Scenarios share one engine; running files one at a time keeps their timing honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
