import type { Flow, FlowPeer, Topology } from "@netdive/model";
import type { Language } from "../i18n";
import { useNetdive } from "../store/hooks";
import { Field } from "./Field";

/** The flow panel's words (kept beside it: only this panel says them). */
const WORDS: Record<Language, Record<string, string>> = {
  en: {
    title: "Flow",
    from: "From",
    to: "To",
    service: "Service",
    status: "Status",
    open: "open now",
    ended: "ended",
    ago: "s ago",
    connections: "Connections",
    evidence: "Evidence (the kernel's lines)",
    host: "the host",
    outside: "outside",
    gone: "This flow has left the window: nothing was seen of it lately.",
    counters: "packets / bytes",
    flows: "flows",
  },
  es: {
    title: "Flujo",
    from: "Desde",
    to: "Hacia",
    service: "Servicio",
    status: "Estado",
    open: "abierto ahora",
    ended: "terminado",
    ago: "s atrás",
    connections: "Conexiones",
    evidence: "Evidencia (líneas del kernel)",
    host: "el host",
    outside: "exterior",
    gone: "Este flujo salió de la ventana: no se vio nada de él últimamente.",
    counters: "paquetes / bytes",
    flows: "flujos",
  },
};

function peerName(peer: FlowPeer, topology: Topology, w: Record<string, string>): string {
  if (peer.kind === "container") return topology.containers[peer.containerId]?.name ?? peer.containerId.slice(0, 12);
  if (peer.kind === "host") return peer.interface ? `${w.host} (${peer.interface})` : (w.host as string);
  return [peer.address ?? w.outside, peer.nic ? `(${peer.nic})` : ""].join(" ").trim();
}

/** A clicked flow edge: who talks to whom on which port, and the conntrack lines or socket rows behind it. */
export function FlowDetails({ ids, topology }: { ids: readonly string[]; topology: Topology }) {
  const { answer, language } = useNetdive((s) => ({ answer: s.flows, language: s.language }));
  const flows = ids.flatMap((id) => answer?.flows.find((f: Flow) => f.id === id) ?? []);
  const w = WORDS[language] ?? WORDS.en;
  const [only] = flows;
  if (!only) return <p>{w.gone}</p>;
  if (flows.length === 1) {
    return (
      <>
        <h2>
          {w.title} {service(only)}
        </h2>
        <OneFlow flow={only} topology={topology} w={w} />
      </>
    );
  }
  // An edge to a closed room's card stands for every flow between the two: one section each.
  return (
    <>
      <h2>
        {flows.length} {w.flows}
      </h2>
      {flows.map((flow) => (
        <details key={flow.id} className="flow-one" open={flows.length <= 2}>
          <summary>
            {peerName(flow.client, topology, w)} → {peerName(flow.server, topology, w)} · {service(flow)}
          </summary>
          <OneFlow flow={flow} topology={topology} w={w} />
        </details>
      ))}
    </>
  );
}

const service = (flow: Flow) => (flow.port === null ? flow.protocol : `${flow.protocol}/${flow.port}`);

function OneFlow({ flow, topology, w }: { flow: Flow; topology: Topology; w: Record<string, string> }) {
  const status = flow.status === "open" ? w.open : `${w.ended}, ${(flow.idleMs / 1000).toFixed(1)} ${w.ago}`;
  return (
    <>
      <dl>
        <Field label={w.from as string} value={peerName(flow.client, topology, w)} mono={false} />
        <Field label={w.to as string} value={peerName(flow.server, topology, w)} mono={false} />
        <Field
          label={w.service as string}
          value={flow.port === null ? flow.protocol : `${flow.protocol} ${flow.port}`}
        />
        <Field label={w.status as string} value={status} mono={false} />
        <Field label={w.connections as string} value={flow.connections} />
      </dl>
      <h3>{w.evidence}</h3>
      <ul className="flow-evidence" data-testid="flow-evidence">
        {flow.evidence.map((e, i) => (
          <li key={i}>
            <small>
              {e.table} · {e.protocol}
              {e.state ? ` · ${e.state}` : ""}
              {e.packets !== undefined ? ` · ${w.counters} ${e.packets} / ${e.bytes ?? 0}` : ""}
            </small>
            <pre className="mono">{e.line}</pre>
          </li>
        ))}
      </ul>
    </>
  );
}
