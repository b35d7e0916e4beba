import { execFileSync } from "node:child_process";

/** Integration tests need a real engine and the lab image: fail loudly, never skip. */
export default function setup(): void {
  try {
    execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], { stdio: "pipe", timeout: 15_000 });
  } catch (err) {
    const detail = String((err as { stderr?: Buffer }).stderr ?? err).trim();
    throw new Error(
      `integration tests need a Docker engine and none answers (${detail}) — run \`bash docker/ensure-engine.sh\` as root, or start Docker`,
    );
  }
  try {
    execFileSync("docker", ["image", "inspect", "netdive/lab:latest"], { stdio: "pipe", timeout: 15_000 });
  } catch {
    throw new Error("integration tests need the lab image netdive/lab:latest — run `bash docker/lab-image.sh`");
  }
}
