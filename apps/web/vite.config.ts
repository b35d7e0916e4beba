import { defineConfig } from "vite";

/**
 * `pnpm --filter @netdive/web dev` proxies the API and the stream to a server on :3000.
 * `vite build --mode export` builds the page that `GET /api/export.html` inlines into one file:
 * one script (no chunk to load from disk, which file:// would refuse) and one stylesheet, in
 * dist/export beside the served page.
 */
export default defineConfig(({ mode }) =>
  mode === "export"
    ? {
        base: "./",
        build: {
          outDir: "dist/export",
          emptyOutDir: false,
          chunkSizeWarningLimit: 4000,
          cssCodeSplit: false,
          modulePreload: false,
          rolldownOptions: { output: { codeSplitting: false } },
        },
      }
    : {
        build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
        server: {
          proxy: {
            "/api": { target: "http://127.0.0.1:3000", ws: true, changeOrigin: false },
          },
        },
      },
);
