/**
 * Turns a failed call to the engine into one sentence that says what failed and what to do.
 * These sentences reach the user through /api/health and the page, so they name the fix.
 */
export function describeDockerError(err: unknown, url: string): string {
  const e = (err ?? {}) as { code?: string; statusCode?: number; message?: string; json?: { message?: string } };
  const where = `cannot reach Docker at ${url}`;
  switch (e.code) {
    case "ENOENT":
      return `${where}: the socket does not exist — start the Docker engine (for example \`sudo systemctl start docker\`, or \`bash docker/ensure-engine.sh\` as root) or point DOCKER_HOST at one`;
    case "EACCES":
    case "EPERM":
      return `${where}: permission denied — run as root or add yourself to the docker group`;
    case "ECONNREFUSED":
      return `${where}: connection refused — the Docker engine is not running; start it or point DOCKER_HOST at one that is`;
    case "ECONNRESET":
    case "EPIPE":
      return `${where}: the engine closed the connection — it may be restarting; netdive retries on its own`;
    case "ETIMEDOUT":
    case "ESOCKETTIMEDOUT":
      return `${where}: no answer in time — the engine is overloaded or hung; check \`docker info\``;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${where}: the host name does not resolve — check DOCKER_HOST`;
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "CERT_SIGNATURE_FAILURE":
      return `${where}: the engine's TLS certificate is not signed by the CA netdive was given (${e.code}) — check ca.pem in DOCKER_CERT_PATH or the context's TLS directory`;
    case "CERT_HAS_EXPIRED":
      return `${where}: the engine's TLS certificate has expired — renew it on the engine`;
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `${where}: the engine's TLS certificate is not made out to this host name — use the name the certificate names, or add it to the certificate`;
    case "EPROTO":
      return `${where}: the TLS handshake failed (${e.message ?? "no detail"}) — check that the engine speaks TLS on this port and accepts your client certificate`;
    default:
      break;
  }
  if (e.message?.includes("Timeout")) {
    return `${where}: no answer in time — the engine is overloaded or hung; check \`docker info\``;
  }
  if (typeof e.statusCode === "number") {
    const detail = e.json?.message ?? e.message ?? "";
    return `Docker at ${url} answered ${e.statusCode}: ${detail.trim() || "no message"}`;
  }
  return `${where}: ${e.message ?? String(err)}`;
}
