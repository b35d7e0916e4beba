import { ContainerPorts, ErrorReply, fits, type Topology } from "@netdive/model";
import { useEffect, useMemo, useState } from "react";
import type { Ref } from "../graph/elements";
import { publishedSpots } from "../graph/port-elements";
import { useNetdive, useT } from "../store/hooks";
import { EvidenceList } from "./Evidence";
import { Field } from "./Field";

type Published = Extract<Ref, { type: "published" }>;
type Loaded = { key: string; ports: ContainerPorts } | { key: string; error: string };

/**
 * A published port's path: host address:port → the engine's NAT → container IP:port, and what
 * carries it on this engine (the DNAT rule, docker-proxy, or both), asked of the server on click.
 */
export function PublishedView({ selected, topology }: { selected: Published; topology: Topology }) {
  const t = useT();
  const c = topology.containers[selected.containerId];
  const key = `${selected.containerId}:${selected.protocol}:${selected.hostIp}:${selected.hostPort}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const setSpots = useNetdive((s) => s.setSpots);
  // The path lit along the lines already drawn: DNAT line, NIC, NAT line, bridge, the container.
  const spots = useMemo(() => publishedSpots(topology, selected), [topology, selected]);
  useEffect(() => {
    setSpots("reach", spots);
    return () => setSpots("reach", {});
  }, [spots, setSpots]);
  useEffect(() => {
    let live = true;
    fetch(`/api/containers/${selected.containerId}/ports`, { credentials: "same-origin" })
      .then(async (res) => {
        const body: unknown = await res.json();
        if (!live) return;
        if (res.ok && fits(ContainerPorts, body)) setLoaded({ key, ports: body });
        else setLoaded({ key, error: fits(ErrorReply, body) ? body.message : res.statusText });
      })
      .catch((err: unknown) => live && setLoaded({ key, error: String(err) }));
    return () => {
      live = false;
    };
  }, [key, selected.containerId]);
  const ports = loaded?.key === key && "ports" in loaded ? loaded.ports : null;
  const path = ports?.paths.find(
    (p) => p.protocol === selected.protocol && p.hostIp === selected.hostIp && p.hostPort === selected.hostPort,
  );
  const mechanism = path
    ? {
        dnat: t("portMechanismDnat"),
        proxy: t("portMechanismProxy"),
        both: t("portMechanismBoth"),
        none: t("portMechanismNone"),
      }[path.mechanism]
    : null;
  return (
    <div data-testid="published-details">
      <h2>
        {t("portPath")} {selected.hostIp}:{selected.hostPort}/{selected.protocol}
      </h2>
      <p className="mono" data-testid="published-path">
        {selected.hostIp}:{selected.hostPort} → NAT → {c?.name ?? selected.containerId.slice(0, 12)}{" "}
        {path?.containerIp ?? "?"}:{path?.containerPort ?? "?"}
      </p>
      {loaded && "error" in loaded ? <p className="error">{loaded.error}</p> : null}
      {path ? (
        <>
          <dl>
            <Field label={t("portMechanism")} value={mechanism} mono={false} />
          </dl>
          <h3>{t("portRules")}</h3>
          <EvidenceList evidence={path.rules} unavailable={ports?.unavailable.rules} />
          <h3>{t("portProxy")}</h3>
          {ports?.unavailable.proxies ? <p className="muted">{ports.unavailable.proxies}</p> : null}
          {path.proxies.map((p) => (
            <p key={p.pid} className="mono" data-testid="published-proxy">
              pid {p.pid}: {p.command}
            </p>
          ))}
        </>
      ) : null}
    </div>
  );
}
