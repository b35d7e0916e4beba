import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { execArgv, LAB_IMAGE } from "@netdive/lab";
import { bash } from "./lab-cli";

const SCRIPT = fileURLToPath(new URL("../../../../docker/private-engine.sh", import.meta.url));

/**
 * A throw-away second dockerd in its own network namespace (docker/private-engine.sh), under a
 * short directory of its own: socket `<dir>/docker.sock`, pid in `<dir>/docker.pid`.
 */
export class PrivateEngine {
  readonly sock: string;
  readonly url: string;

  constructor(readonly dir: string) {
    this.sock = `${dir}/docker.sock`;
    this.url = `unix://${this.sock}`;
  }

  /**
   * Starts it. `firewall`: a default bridge docker0 with NAT and the firewall on (iptables or
   * nftables), all inside its own network namespace, as a real host runs it; off (no bridge) by default.
   */
  async start(options: { firewall?: "iptables" | "nftables" } = {}): Promise<void> {
    const env = options.firewall ? { NETDIVE_PRIVATE_FIREWALL: options.firewall } : undefined;
    await execArgv("bash", [SCRIPT, "start", this.dir], { timeoutMs: 90_000, ...(env ? { env } : {}) });
  }

  /** The pid of its dockerd, from its pidfile. */
  pid(): number {
    return Number(readFileSync(`${this.dir}/docker.pid`, "utf8").trim());
  }

  /** Stops it (gracefully, then by force) and cleans up what a killed engine left behind. */
  async stop(): Promise<void> {
    await execArgv("bash", [SCRIPT, "stop", this.dir], { timeoutMs: 90_000 });
  }

  /** Copies the lab image from the main engine into this one (no registry involved). */
  async loadLabImage(): Promise<void> {
    await bash('docker save "$IMAGE" | DOCKER_HOST="$PRIVATE" docker load', { IMAGE: LAB_IMAGE, PRIVATE: this.url });
  }

  /** SIGKILL to this engine's dockerd, checked to be the dockerd this directory's pidfile names. */
  kill(): void {
    const pid = this.pid();
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    if (!Number.isInteger(pid) || pid <= 1 || comm !== "dockerd") {
      throw new Error(`${this.dir}/docker.pid names pid ${pid} (${comm}), not a dockerd`);
    }
    process.kill(pid, "SIGKILL");
  }

  /** Removes the directory, unless something is still mounted under it (then says what). */
  remove(): void {
    if (!existsSync(this.dir)) return;
    const mounted = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[4] ?? "")
      .filter((point) => point === this.dir || point.startsWith(`${this.dir}/`));
    if (mounted.length > 0) throw new Error(`not removing ${this.dir}: still mounted there: ${mounted.join(", ")}`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
