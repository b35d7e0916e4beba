import type { FastifyPluginAsync } from "fastify";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netdive</title></head>
<body>
<h1>netdive</h1>
<p>The API is up. The live page comes with the web app; until then:</p>
<ul>
<li><a href="/api/health">/api/health</a>: is the engine reachable?</li>
<li><a href="/api/topology">/api/topology</a>: networks, containers, host interfaces</li>
<li>/api/containers/&lt;name or id&gt;: one container with resolv.conf, /etc/hosts and DNS hooks</li>
<li>/api/networks/&lt;name or id&gt;: one network and its members</li>
</ul>
</body></html>`;

/** `/`: a plain page that links the API. */
const root: FastifyPluginAsync = async (app) => {
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(PAGE));
};

export default root;
