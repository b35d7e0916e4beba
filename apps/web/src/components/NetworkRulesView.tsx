import { ErrorReply, fits, NetworkRules } from "@netdive/model";
import { useEffect, useState } from "react";
import { useNetdive, useT } from "../store/hooks";
import { EvidenceList } from "./Evidence";

type Loaded = { id: string; rules: NetworkRules } | { id: string; error: string };

/** A bridge's rules, read from the host when its details open: its NAT line's MASQUERADE first. */
export function NetworkRulesView({ networkId }: { networkId: string }) {
  const t = useT();
  const live = useNetdive((s) => s.source === "live");
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (!live) return;
    let mounted = true;
    fetch(`/api/networks/${networkId}/rules`, { credentials: "same-origin" })
      .then(async (res) => {
        const body: unknown = await res.json();
        if (!mounted) return;
        if (res.ok && fits(NetworkRules, body)) setLoaded({ id: networkId, rules: body });
        else setLoaded({ id: networkId, error: fits(ErrorReply, body) ? body.message : res.statusText });
      })
      .catch((err: unknown) => mounted && setLoaded({ id: networkId, error: String(err) }));
    return () => {
      mounted = false;
    };
  }, [live, networkId]);
  if (!live || loaded?.id !== networkId) return null;
  return (
    <div data-testid="network-rules">
      <h3>{t("portRules")}</h3>
      {"error" in loaded ? (
        <p className="error">{loaded.error}</p>
      ) : (
        <EvidenceList evidence={loaded.rules.rules} unavailable={loaded.rules.unavailable} />
      )}
    </div>
  );
}
