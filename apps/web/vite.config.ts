import { defineConfig } from "vite";

/** `pnpm --filter @netdive/web dev` proxies the API and the stream to a server on :3000. */
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", ws: true, changeOrigin: false },
    },
  },
});
