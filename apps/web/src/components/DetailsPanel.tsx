import { type Container, type Engine, type Network, type Subnet, type Topology } from "@netdive/model";
import type cytoscape from "cytoscape";
import type { Ref } from "../graph/elements";
import { stateWord } from "../graph/words";
import { messages } from "../i18n";
import { useNetdive, useT } from "../store/hooks";
import { Field, FileBlock } from "./Field";
import { FlowDetails } from "./FlowDetails";
import { Legend } from "./Legend";
import { NetworkRulesView } from "./NetworkRulesView";
import { PublishedView } from "./PortDetails";
import { ReachPanel } from "./ReachPanel";
import { useContainerDetails } from "./useContainerDetails";

/** Details of whatever is selected: a container, a network or an interface. */
export function DetailsPanel({ cy, open }: { cy: cytoscape.Core | null; open: boolean }) {
  const t = useT();
  const { selected, topology, select } = useNetdive((s) => ({
    selected: s.selected,
    topology: s.topology,
    select: s.select,
  }));
  if (!selected || !topology) {
    return (
      <aside className={`details empty${open ? " open" : ""}`}>
        <p>{t("nothingSelected")}</p>
        <Legend open />
      </aside>
    );
  }
  return (
    <aside className={`details${open ? " open" : ""}`} aria-label="details" data-testid="details">
      <button type="button" className="close" onClick={() => select(null)} aria-label={t("close")}>
        ×
      </button>
      <Body selected={selected} topology={topology} cy={cy} />
      <Legend open={false} />
    </aside>
  );
}

function Body({ selected, topology, cy }: { selected: Ref; topology: Topology; cy: cytoscape.Core | null }) {
  const t = useT();
  switch (selected.type) {
    case "published":
      return <PublishedView selected={selected} topology={topology} />;
    case "flow":
      return <FlowDetails ids={selected.ids ?? [selected.id]} topology={topology} />;
    case "container": {
      const c = topology.containers[selected.id];
      return c ? <ContainerView container={c} topology={topology} cy={cy} /> : <p>{t("none")}</p>;
    }
    case "network": {
      const n = topology.networks[selected.id];
      return n ? <NetworkView network={n} topology={topology} /> : <p>{t("none")}</p>;
    }
    case "hostInterface": {
      const i = topology.hosts[selected.engineId]?.interfaces.find((x) => x.name === selected.name);
      if (!i) return <p>{t("none")}</p>;
      const engine = topology.engines[selected.engineId];
      return (
        <>
          <h2>{i.name}</h2>
          <dl>
            <Field label={t("kind")} value={i.kind} />
            <Field label={t("ifindex")} value={i.ifindex} />
            <Field label={t("peer")} value={i.peerIfindex} />
            <Field label={t("master")} value={i.master} />
            <Field label={t("mac")} value={i.mac} />
            <Field label={t("mtu")} value={i.mtu} />
            <Field label={t("state")} value={i.state} />
            <Field label={t("addresses")} value={i.addresses.join(", ")} />
            <Field label={t("engine")} value={engine && engineLine(engine, t("firewall"))} />
          </dl>
        </>
      );
    }
  }
}

function ContainerView({
  container: c,
  topology,
  cy,
}: {
  container: Container;
  topology: Topology;
  cy: cytoscape.Core | null;
}) {
  const t = useT();
  const language = useNetdive((s) => s.language);
  const loaded = useContainerDetails(c);
  const details = loaded && "details" in loaded ? loaded.details : null;
  const joinedBy = Object.values(topology.containers).filter((x) => x.netnsOwnerId === c.id || x.pidnsOwnerId === c.id);
  const nameOf = (id: string | null) => (id ? (topology.containers[id]?.name ?? id.slice(0, 12)) : null);

  return (
    <>
      <h2 data-testid="details-title">{c.name}</h2>
      <dl>
        <Field label={t("id")} value={c.id} />
        <Field label={t("image")} value={c.image} />
        <Field label={t("state")} value={stateWord(messages[language], c.state)} />
        <Field label={t("networkMode")} value={c.networkMode} />
      </dl>
      <ReachPanel key={c.id} from={c} topology={topology} cy={cy} />
      <h3>{t("endpoints")}</h3>
      {Object.entries(c.endpoints).map(([netId, ep]) => (
        <dl key={netId} className="group">
          <Field label={t("networks")} value={ep.networkName} mono={false} />
          <Field
            label={t("ip")}
            value={ep.ipv4 ? `${ep.ipv4}/${ep.prefixLen}` : ep.ipv6 ? t("noIpv4") : null}
            mono={Boolean(ep.ipv4)}
          />
          {ep.ipv6 || topology.networks[netId]?.subnets.some((s) => s.subnet.includes(":")) ? (
            <Field label={t("ipv6")} value={ep.ipv6 ?? t("noIpv6")} mono={Boolean(ep.ipv6)} />
          ) : null}
          <Field label={t("mac")} value={ep.mac} />
          <Field label={t("gateway")} value={ep.gateway} />
          <Field label={t("aliases")} value={ep.aliases.join(", ")} />
        </dl>
      ))}
      <h3>{t("interfaces")}</h3>
      {c.kernel.visible ? null : <p className="muted">{c.kernel.reason ?? t("notVisible")}</p>}
      {c.interfaces.map((i) => (
        <dl key={i.name} className="group">
          <Field label={i.name} value={i.addresses.join(", ")} />
          <Field label={t("mac")} value={i.mac} />
          {i.kind ? <Field label={t("linkKind")} value={i.mode ? `${i.kind} (${i.mode})` : i.kind} /> : null}
          {i.parent !== undefined ? (
            // A macvlan or ipvlan child has no veth: it rides on its parent, a host interface.
            <Field label={t("parentIface")} value={i.parent?.name ?? t("parentUnseen")} />
          ) : i.name === "lo" ? null : (
            <Field
              label={t("hostVeth")}
              value={i.hostPeer ? `${i.hostPeer.name} → ${i.hostPeer.bridge ?? "—"}` : t("noHostVeth")}
              mono={Boolean(i.hostPeer)}
            />
          )}
        </dl>
      ))}
      {c.ports.length > 0 ? (
        <>
          <h3>{t("ports")}</h3>
          <ul className="plain">
            {c.ports.map((p, k) => (
              <li key={k} className="mono">
                {p.hostPort !== undefined ? `${p.hostIp ?? ""}:${p.hostPort} → ` : ""}
                {p.containerPort}/{p.protocol}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c.ignoredPorts?.length ? (
        <div data-testid="ignored-ports">
          <h3>{t("ignoredPorts")}</h3>
          <p className="muted">{c.networkMode === "host" ? t("ignoredHost") : t("ignoredNone")}</p>
          <ul className="plain">
            {c.ignoredPorts.map((p, k) => (
              <li key={k} className="mono">
                -p {p.hostIp ? `${p.hostIp}:` : ""}
                {p.hostPort ?? ""}
                {p.hostPort !== undefined ? ":" : ""}
                {p.containerPort}/{p.protocol}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h3>{t("namespaces")}</h3>
      <ul className="plain">
        {c.netnsOwnerId ? <li>{`${t("netnsOf")} ${nameOf(c.netnsOwnerId)}`}</li> : null}
        {c.pidnsOwnerId ? <li>{`${t("pidnsOf")} ${nameOf(c.pidnsOwnerId)}`}</li> : null}
        {joinedBy.map((x) => (
          <li key={x.id}>{`${t("joinedBy")} ${x.name}`}</li>
        ))}
        {!c.netnsOwnerId && !c.pidnsOwnerId && joinedBy.length === 0 ? <li>{t("none")}</li> : null}
      </ul>
      {loaded && "error" in loaded ? <p className="error">{loaded.error}</p> : null}
      {details ? (
        <>
          <h3>{t("dnsRules")}</h3>
          {details.dnsRules ? (
            details.dnsRules.length > 0 ? (
              <ul className="plain" data-testid="dns-rules">
                {details.dnsRules.map((r) => (
                  <li key={r.proto} className="mono">{`${r.proto} 127.0.0.11:${r.port} → ${r.target}`}</li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("none")}</p>
            )
          ) : (
            <p className="muted">{details.unavailable.dnsRules}</p>
          )}
          <FileBlock title={t("resolvConf")} text={details.resolvConf} reason={details.unavailable.resolvConf} />
          <FileBlock title={t("hostsFile")} text={details.hostsFile} reason={details.unavailable.hostsFile} />
        </>
      ) : loaded ? null : (
        <p className="muted">{t("loading")}</p>
      )}
    </>
  );
}

function NetworkView({ network: n, topology }: { network: Network; topology: Topology }) {
  const t = useT();
  const select = useNetdive((s) => s.select);
  return (
    <>
      <h2 data-testid="details-title">{n.name}</h2>
      <dl>
        <Field label={t("id")} value={n.id} />
        <Field label={t("driver")} value={n.driver} />
        <Field label={t("subnet")} value={n.subnets.map((s) => s.subnet).join(", ")} />
        <Field
          label={t("gateway")}
          value={n.subnets
            .map((s) => gatewayText(s, t))
            .filter(Boolean)
            .join(", ")}
        />
        {n.parent !== undefined ? (
          <>
            <Field label={t("parentIface")} value={n.parent ?? t("parentUnseen")} />
            <Field label={t("linkMode")} value={n.mode ?? null} />
          </>
        ) : (
          <Field label={t("bridge")} value={n.bridge} />
        )}
        {n.gatewayMode ? (
          <Field label={t("gatewayMode")} value={`IPv4 ${n.gatewayMode.ipv4} · IPv6 ${n.gatewayMode.ipv6}`} />
        ) : null}
        {n.trustedHostInterfaces ? (
          <Field label={t("trustedHostInterfaces")} value={n.trustedHostInterfaces.join(", ")} />
        ) : null}
        <Field label={t("internal")} value={n.internal ? t("yes") : t("no")} mono={false} />
        <Field label={t("icc")} value={n.icc ? t("yes") : t("no")} mono={false} />
        <Field label={t("embeddedDns")} value={n.embeddedDns ? t("yes") : t("no")} mono={false} />
        <Field label={t("composeProject")} value={n.composeProject} />
      </dl>
      {n.bridge ? <NetworkRulesView networkId={n.id} /> : null}
      <h3>{t("members")}</h3>
      <ul className="plain">
        {n.containerIds.map((id) => {
          const c = topology.containers[id];
          const ep = c?.endpoints[n.id];
          return (
            <li key={id}>
              <button type="button" className="link" onClick={() => select({ type: "container", id })}>
                {c?.name ?? id.slice(0, 12)}
              </button>{" "}
              <span className="mono">{ep?.ipv4 ?? ""}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** "Docker 28.5.2 · API 1.51 · firewall nftables": what the host's engine is and where its rules live. */
function engineLine(e: Engine, firewall: string): string | null {
  const parts = [e.version && `Docker ${e.version}`, e.apiVersion && `API ${e.apiVersion}`];
  parts.push(`${firewall} ${e.firewallBackend ?? "iptables"}`);
  return e.version ? parts.filter(Boolean).join(" · ") : null;
}

/** "172.17.0.1", or "172.17.0.1 (the bridge's address)" when the IPAM config named none. */
function gatewayText(s: Subnet, t: ReturnType<typeof useT>): string {
  if (!s.gateway) return "";
  if (s.gatewaySource === "bridge") return `${s.gateway} (${t("gatewayFromBridge")})`;
  if (s.gatewaySource === "endpoints") return `${s.gateway} (${t("gatewayFromEndpoints")})`;
  return s.gateway;
}
