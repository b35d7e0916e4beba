import type { Topology } from "@netdive/model";
import { useContainerDetails } from "../components/useContainerDetails";
import type { Language } from "../i18n";
import { fill, tourText } from "./tour-text";
import type { Cite } from "./types";

/** The lines of a resolv.conf a reader needs: what it asks and where (comments and blanks left out). */
export function resolvLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * What a step's text quotes, in the tour's own panel: on a projector the details drawer is
 * closed, and the room reads the lines where the presenter points, not one key away.
 */
export function TourCite({ cite, topology, language }: { cite: Cite; topology: Topology; language: Language }) {
  const c = topology.containers[cite.container] ?? null;
  const loaded = useContainerDetails(c);
  const w = tourText[language];
  if (!c) return null;
  if (!loaded) return <p className="tour-cite muted">{w.citeLoading}</p>;
  if ("error" in loaded) return <p className="tour-cite error">{loaded.error}</p>;
  const { details } = loaded;
  return (
    <div className="tour-cite" data-testid="tour-cite">
      {cite.show.includes("resolvConf") ? (
        <figure>
          <figcaption>{fill(w.citeResolv, { name: c.name })}</figcaption>
          <pre>{details.resolvConf ? resolvLines(details.resolvConf).join("\n") : details.unavailable.resolvConf}</pre>
        </figure>
      ) : null}
      {cite.show.includes("dnsRules") ? (
        <figure>
          <figcaption>{fill(w.citeDns, { name: c.name })}</figcaption>
          <pre>
            {details.dnsRules
              ? details.dnsRules.map((r) => `${r.proto} 127.0.0.11:${r.port} → ${r.target}`).join("\n")
              : details.unavailable.dnsRules}
          </pre>
        </figure>
      ) : null}
    </div>
  );
}
