import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netdive</title></head>
<body>
<h1>netdive</h1>
<p>The API is up, but the page has not been built: run <code>pnpm build</code> (or <code>pnpm start</code>, which builds it).</p>
<ul>
<li><a href="/api/health">/api/health</a>: is the engine reachable?</li>
<li><a href="/api/topology">/api/topology</a>: networks, containers, host interfaces</li>
<li>/api/containers/&lt;name or id&gt;: one container with resolv.conf, /etc/hosts and DNS hooks</li>
<li>/api/networks/&lt;name or id&gt;: one network and its members</li>
</ul>
</body></html>`;

/** `/`: the built page and its assets, or a plain page that says how to build it. */
const root: FastifyPluginAsync<{ webRoot: string | null }> = async (app, { webRoot }) => {
  if (webRoot !== null && existsSync(`${webRoot}/index.html`)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ["index.html"] });
    return;
  }
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(NOT_BUILT));
};

export default root;
