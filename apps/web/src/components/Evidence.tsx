import type { Evidence } from "@netdive/model";
import { useT } from "../store/hooks";

/**
 * Firewall rules as evidence: each with its table and chain, and the rule as the tool prints it
 * (iptables-save's `-A …` line, or nft's), so it can be found again with the same tool.
 */
export function EvidenceList({
  evidence,
  unavailable,
}: {
  evidence: readonly Evidence[] | undefined;
  unavailable?: string;
}) {
  const t = useT();
  if (unavailable) {
    return (
      <p className="muted" data-testid="evidence-unavailable">
        {t("evidenceUnavailable")}: {unavailable}
      </p>
    );
  }
  if (!evidence || evidence.length === 0) return null;
  return (
    <ul className="evidence" data-testid="evidence">
      {evidence.map((e, i) => (
        <li key={i} data-about={e.about} data-verdict={e.verdict ?? ""}>
          <span className="where">
            {e.table} · {e.chain}
            {e.where === "container" ? ` (${t("inContainer")})` : ""}
          </span>
          <code className="rule">{e.rule}</code>
          {e.about === "unevaluated" ? <small className="evidence-note">{t("evidenceUnevaluated")}</small> : null}
        </li>
      ))}
    </ul>
  );
}
