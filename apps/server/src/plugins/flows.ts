import { createFlowReader } from "@netdive/collector";
import fp from "fastify-plugin";
import { FlowService, type FlowServiceOptions } from "../services/flow-service";

declare module "fastify" {
  interface FastifyInstance {
    /** Who is talking now (`--flows`); null when flows are off. */
    flows: FlowService | null;
  }
}

export interface FlowsPluginOptions {
  /** `--flows`'s settings; null: off. */
  flows: { windowSeconds: number; addresses: boolean; sockets?: "auto" | "always" } | null;
  /** How an engine's tables are read (tests inject one); by default /proc on this machine. */
  read?: FlowServiceOptions["read"];
}

/** With `--flows`, decorates the app with the flow service and offers it to the stream's clients. */
export default fp<FlowsPluginOptions>(
  async (app, opts) => {
    const service = opts.flows
      ? new FlowService(app.topology, {
          windowSeconds: opts.flows.windowSeconds,
          addresses: opts.flows.addresses,
          read: opts.read ?? createFlowReader({ sockets: opts.flows.sockets ?? "auto" }),
          onError: (err) => app.log.warn({ err }, "reading flows failed; retrying in a second"),
        })
      : null;
    app.decorate("flows", service);
    if (service) app.hub.offerFlows(service);
    app.addHook("onClose", async () => service?.stop());
  },
  { name: "flows", dependencies: ["topology"] },
);
