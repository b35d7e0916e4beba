import {
  ErrorReply,
  explainReach,
  fits,
  ProbeAnswer,
  ReachAnswer,
  ScenarioList,
  type Container,
  type ProbeKind,
  type ReachQuery,
  type Topology,
} from "@netdive/model";
import type cytoscape from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "react";
import { focusCanvas } from "../graph/focus-canvas";
import { reachSpots } from "../graph/reach-path";
import { drawerInset } from "../drawers";
import { isCompact } from "../store/ui-slice";
import { useNetdive, useT } from "../store/hooks";
import { EvidenceList } from "./Evidence";

type ProbeState =
  { status: "running" } | { status: "done"; result: ProbeAnswer } | { status: "error"; message: string };

/**
 * "Can it reach…?": pick a second container and see both answers (IP and name) with the reason,
 * the path lit on the canvas, and, when the server allows actions, the same question asked of the
 * engine with one ping or one lookup, side by side with the prediction.
 */
export function ReachPanel({ from, topology, cy }: { from: Container; topology: Topology; cy: cytoscape.Core | null }) {
  const t = useT();
  const { language, setSpots, projector, drawers } = useNetdive((s) => ({
    language: s.language,
    setSpots: s.setSpots,
    projector: isCompact(s),
    drawers: s.drawers,
  }));
  const right = drawerInset(projector, drawers).right;
  const [toId, setToId] = useState("");
  const [probes, setProbes] = useState<Partial<Record<ProbeKind, ProbeState>>>({});
  const actions = useActionsAllowed();
  const others = useMemo(
    () =>
      Object.values(topology.containers)
        .filter((c) => c.id !== from.id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [topology, from.id],
  );
  const to = toId ? topology.containers[toId] : undefined;
  const documented = useMemo(
    () => (to ? explainReach(topology, from.id, to.id, language) : null),
    [topology, from.id, to, language],
  );
  // The server's answer carries the host's rules, and follows them where they overrule Docker's.
  const ruled = useRuledAnswer(from.id, to?.id ?? null, language, topology.revision);
  const answer = ruled ?? documented;

  useEffect(() => {
    setProbes({});
  }, [from.id, toId]);
  const spots = useMemo(() => (answer ? reachSpots(topology, answer) : {}), [answer, topology]);
  useEffect(() => setSpots("reach", spots), [spots, setSpots]);
  // Bring the two ends into view when the question changes (not on every live update).
  const spotsRef = useRef(spots);
  spotsRef.current = spots;
  const pair = to ? `${from.id} ${to.id}` : "";
  useEffect(() => {
    if (cy && pair) focusCanvas(cy, Object.keys(spotsRef.current), { bottom: 0, right });
  }, [cy, pair, right]);
  useEffect(() => () => setSpots("reach", {}), [setSpots]);

  const probe = async (kind: ProbeKind) => {
    if (!to) return;
    setProbes((p) => ({ ...p, [kind]: { status: "running" } }));
    const next = await runProbe(from.id, to.id, kind);
    setProbes((p) => ({ ...p, [kind]: next }));
  };

  return (
    <section className="reach" aria-label={t("reachTitle")} data-testid="reach">
      <h3>{t("reachTitle")}</h3>
      <select
        value={toId}
        onChange={(e) => setToId(e.target.value)}
        aria-label={t("reachTitle")}
        data-testid="reach-to"
      >
        <option value="">{t("reachPick")}</option>
        {others.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {answer ? (
        <>
          <Answer
            testId="reach-ip"
            title={t("reachIp")}
            ok={answer.ip.reachable}
            headline={answer.ip.via ? `${t("reachVia")} ${answer.ip.via.address}` : null}
            reason={answer.ip.reason}
            probe={actions ? probes.ping : undefined}
            onProbe={actions ? () => void probe("ping") : undefined}
            probeLabel={t("probePing")}
          />
          {ruled?.caveats?.map((c) => (
            <p key={c} className="caveat" data-testid="reach-caveat">
              {c}
            </p>
          ))}
          {ruled || documented ? (
            <div className="evidence-block">
              <p className="muted">{t("evidence")}</p>
              <EvidenceList evidence={ruled?.evidence} unavailable={ruled?.evidenceUnavailable} />
            </div>
          ) : null}
          <Answer
            testId="reach-dns"
            title={t("reachDns")}
            ok={answer.dns.resolves}
            headline={
              answer.dns.address ? `${answer.dns.names[0] ?? ""} ${t("reachResolvesTo")} ${answer.dns.address}` : null
            }
            reason={answer.dns.reason}
            probe={actions ? probes.dns : undefined}
            onProbe={actions ? () => void probe("dns") : undefined}
            probeLabel={t("probeDns")}
          />
        </>
      ) : null}
    </section>
  );
}

function Answer(props: {
  testId: string;
  title: string;
  ok: boolean;
  headline: string | null;
  reason: string;
  probe: ProbeState | undefined;
  onProbe: (() => void) | undefined;
  probeLabel: string;
}) {
  const t = useT();
  const { probe } = props;
  return (
    <div className={`answer ${props.ok ? "yes" : "no"}`} data-testid={props.testId} data-ok={String(props.ok)}>
      <p className="verdict">
        <span aria-hidden="true">{props.ok ? "✓" : "✗"}</span> <strong>{props.title}:</strong>{" "}
        {props.ok ? t("yes") : t("no")}
        {props.headline ? <span className="mono"> — {props.headline}</span> : null}
      </p>
      <p className="reason">{props.reason}</p>
      {props.onProbe ? (
        <div className="probe" data-testid={`${props.testId}-probe`}>
          <button type="button" onClick={props.onProbe} disabled={probe?.status === "running"}>
            {t("reachLive")}: {props.probeLabel}
          </button>
          <ProbeLine probe={probe} predicted={props.ok} />
        </div>
      ) : null}
    </div>
  );
}

function ProbeLine({ probe, predicted }: { probe: ProbeState | undefined; predicted: boolean }) {
  const t = useT();
  if (!probe) return null;
  if (probe.status === "running") return <p className="muted">{t("probeRunning")}</p>;
  if (probe.status === "error") return <p className="probe-result error">{`${t("probeFailed")}: ${probe.message}`}</p>;
  const { result } = probe;
  if (!result.ran) return <p className="probe-result muted">{`${t("probeNotRun")}: ${result.reason}`}</p>;
  const agrees = result.ok === predicted;
  return (
    <p className={`probe-result ${agrees ? "agrees" : "disagrees"}`} data-agrees={String(agrees)}>
      <span aria-hidden="true">{result.ok ? "✓" : "✗"}</span> {result.reason}{" "}
      <strong>({agrees ? t("probeAgrees") : t("probeDisagrees")})</strong>
    </p>
  );
}

async function runProbe(from: string, to: string, kind: ProbeKind): Promise<ProbeState> {
  try {
    const res = await fetch("/api/probes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ from, to, kind }),
    });
    const body: unknown = await res.json();
    if (res.ok && fits(ProbeAnswer, body)) return { status: "done", result: body };
    if (fits(ErrorReply, body)) return { status: "error", message: body.message };
    return { status: "error", message: res.ok ? "the server's answer does not fit the page" : res.statusText };
  } catch (err) {
    return { status: "error", message: String(err) };
  }
}

/**
 * `GET /api/reach` for the pair, asked again when the topology changes: the same explanation with
 * the firewall rules that decide it. Null until it answers, on a replay, or when it fails (the
 * page's own explanation stands).
 */
function useRuledAnswer(fromId: string, toId: string | null, language: string, revision: number): ReachAnswer | null {
  const live = useNetdive((s) => s.source === "live");
  const [answer, setAnswer] = useState<{ key: string; body: ReachAnswer } | null>(null);
  const key = `${fromId} ${toId} ${language}`;
  useEffect(() => {
    if (!live || !toId) return;
    let mounted = true;
    const asked: ReachQuery = { from: fromId, to: toId, lang: language === "es" ? "es" : "en" };
    const query = new URLSearchParams(asked as Record<string, string>);
    fetch(`/api/reach?${query}`, { credentials: "same-origin" })
      .then(async (res) => {
        const body: unknown = res.ok ? await res.json() : null;
        if (mounted && fits(ReachAnswer, body)) setAnswer({ key, body });
      })
      .catch(() => undefined);
    return () => {
      mounted = false;
    };
  }, [live, fromId, toId, language, key, revision]);
  return answer?.key === key ? answer.body : null;
}

let actionsAllowed: Promise<boolean> | null = null;

/** Whether the server runs with --allow-actions (asked once per page, from GET /api/scenarios). */
function useActionsAllowed(): boolean {
  const [allowed, setAllowed] = useState(false);
  // An exported page has no server to ask, and a replay has no engine to probe.
  const live = useNetdive((s) => s.source === "live");
  useEffect(() => {
    if (!live) return;
    let mounted = true;
    actionsAllowed ??= fetch("/api/scenarios", { credentials: "same-origin" })
      .then(async (res) => {
        const body: unknown = res.ok ? await res.json() : null;
        return fits(ScenarioList, body) && body.actions;
      })
      .catch(() => false);
    void actionsAllowed.then((a) => mounted && setAllowed(a));
    return () => {
      mounted = false;
    };
  }, [live]);
  return allowed && live;
}
