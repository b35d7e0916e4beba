import { createServer } from "node:net";

/**
 * `preferred` when nothing listens on it at 127.0.0.1, else a port the kernel picks. Another
 * program may still take it before Docker binds it; the caller's bind then fails loudly.
 */
export async function freeTcpPort(preferred: number): Promise<number> {
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? preferred;
}

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}
