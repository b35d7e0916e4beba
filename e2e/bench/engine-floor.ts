import { request } from "node:http";
import { readdirSync, readFileSync } from "node:fs";

/**
 * The floor a collection is compared with: the bare Engine API requests for the same facts,
 * made by a minimal client (list containers, list networks, inspect each, a few in parallel),
 * plus the sysfs reads of each container's namespace. No parsing beyond JSON, no model.
 */
const SOCKET = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");

export function engineGet<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, path, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`${path}: ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as T);
      });
    });
    req.on("error", reject);
    req.end();
  });
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Synchronous, as netdive reads them: kernel files never wait on a disk, and libuv's pool is slower. */
function readNetnsSysfs(pid: number): void {
  const dir = `/proc/${pid}/root/sys/class/net`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    for (const f of ["ifindex", "iflink", "address", "mtu", "operstate"]) {
      try {
        readFileSync(`${dir}/${n}/${f}`, "utf8");
      } catch {
        // gone meanwhile
      }
    }
  }
}

/** One floor collection; resolves when every fact has been fetched. */
export async function floorCollection(apiVersion: string): Promise<void> {
  const v = `/v${apiVersion}`;
  const [containers] = await Promise.all([
    engineGet<Array<{ Id: string }>>(`${v}/containers/json?all=1`),
    engineGet<unknown[]>(`${v}/networks`),
  ]);
  await inParallel(containers, 8, async (c) => {
    const inspect = await engineGet<{ State: { Pid: number; Running: boolean } }>(`${v}/containers/${c.Id}/json`);
    if (inspect.State.Running && inspect.State.Pid > 0) readNetnsSysfs(inspect.State.Pid);
  });
}
