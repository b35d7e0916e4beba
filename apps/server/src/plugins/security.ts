import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

export interface SecurityOptions {
  /** The address netdive listens on; its name is an allowed Host besides the loopback names. */
  host: string;
  /** Required on every request when set (header, or a cookie set from `?token=`). */
  token: string | null;
  /**
   * Without a token: the peers answered besides loopback (the gateway a loopback-only publish
   * arrives from); absent: any peer (netdive then listens on loopback only).
   */
  trustedPeers?: readonly string[];
}

export const TOKEN_COOKIE = "netdive_token";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const LOOPBACK_PEERS = new Set(["127.0.0.1", "::1"]);

/**
 * Security headers on every answer. Scripts only from this origin (no inline script); styles
 * may be inline because the graph library sets them; images may be data/blob URLs for export.
 */
const HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Constant-time comparison: both sides are hashed to the same length first. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** Splits a Host (or Origin authority) into a lowercase name and a port. */
function splitAuthority(authority: string): { name: string; port: string | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority.toLowerCase());
  return m ? { name: m[1] as string, port: m[2] ?? null } : { name: "", port: null };
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

function refuse(reply: FastifyReply, statusCode: 401 | 403, message: string) {
  return reply.code(statusCode).send({ statusCode, error: statusCode === 401 ? "Unauthorized" : "Forbidden", message });
}

/**
 * Guards every request, WebSocket upgrades included (their hooks run before the upgrade):
 * - Host must name this server (DNS rebinding: a hostile name resolving to 127.0.0.1);
 * - a WebSocket upgrade or any non-GET must come from this server's own Origin, if any
 *   (cross-site WebSocket hijacking);
 * - with a token, every request carries it.
 */
export default fp<SecurityOptions>(
  async (app, opts) => {
    const allowedNames = new Set(LOOPBACK_NAMES);
    const configured = opts.host.includes(":") && !opts.host.startsWith("[") ? `[${opts.host}]` : opts.host;
    if (configured !== "0.0.0.0" && configured !== "[::]") allowedNames.add(configured.toLowerCase());

    const allowedAuthority = (authority: string, request: FastifyRequest): boolean => {
      const { name, port } = splitAuthority(authority);
      if (!allowedNames.has(name)) return false;
      // The port the connection really arrived on (absent under inject()).
      const localPort = request.socket?.localPort;
      return localPort === undefined || port === String(localPort) || (port === null && localPort === 80);
    };

    app.addHook("onRequest", async (request, reply) => {
      const host = request.headers.host ?? "";
      if (!allowedAuthority(host, request)) {
        return refuse(reply, 403, `Host "${host}" is not this server's name — open netdive at http://localhost:<port>`);
      }
      const origin = request.headers.origin;
      const guarded = request.method !== "GET" && request.method !== "HEAD";
      if (origin !== undefined && (guarded || request.headers.upgrade?.toLowerCase() === "websocket")) {
        let authority = "";
        try {
          authority = new URL(origin).host;
        } catch {
          // a malformed Origin is refused below
        }
        if (!allowedAuthority(authority, request)) {
          return refuse(reply, 403, `requests from the origin ${origin} are not allowed — open netdive's own page`);
        }
      }
      if (opts.token === null) {
        const peer = (request.socket?.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
        if (opts.trustedPeers && !LOOPBACK_PEERS.has(peer) && !opts.trustedPeers.includes(peer)) {
          return refuse(
            reply,
            403,
            `netdive answers ${peer} only with a token: without one it is reachable only through its loopback publish`,
          );
        }
        return;
      }

      const query = request.query as Record<string, unknown> | undefined;
      const fromQuery = typeof query?.token === "string" ? query.token : undefined;
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      if (tokenMatches(bearer, opts.token) || tokenMatches(cookie(request, TOKEN_COOKIE), opts.token)) return;
      if (request.method === "GET" && !request.url.startsWith("/api/") && tokenMatches(fromQuery, opts.token)) {
        // The page's first load carries ?token=; keep it in a cookie the page's own requests
        // send, and drop it from the address bar.
        const url = new URL(request.url, "http://netdive");
        url.searchParams.delete("token");
        return reply
          .header("set-cookie", `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`)
          .redirect(url.pathname + url.search, 303);
      }
      return refuse(
        reply,
        401,
        "this netdive needs its token: open the page with ?token=<token>, or send Authorization: Bearer <token>",
      );
    });

    app.addHook("onSend", async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
      return payload;
    });
  },
  { name: "security" },
);
