import type { FastifyInstance } from "fastify";

export interface JsonReply<T> {
  status: number;
  contentType: string;
  body: T;
}

/** GET through `server.inject()`: no port is opened. */
export async function getJson<T>(server: FastifyInstance, url: string): Promise<JsonReply<T>> {
  const reply = await server.inject({ method: "GET", url });
  const contentType = String(reply.headers["content-type"] ?? "");
  return {
    status: reply.statusCode,
    contentType,
    body: (contentType.includes("json") ? reply.json() : reply.body) as T,
  };
}
