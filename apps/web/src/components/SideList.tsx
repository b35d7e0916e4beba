import type { Container, Network, Topology } from "@netdive/model";
import type { Ref } from "../graph/elements";
import { matchesView, networkListed } from "../graph/view-filter";
import { useNetdive, useT } from "../store/hooks";

/** What the list shows beside a name: the first IP, or how the container is networked. */
function meta(c: Container, topology: Topology): string {
  const ip = Object.values(c.endpoints).find((e) => e.ipv4)?.ipv4;
  if (ip) return ip;
  if (c.netnsOwnerId) return `↳ ${topology.containers[c.netnsOwnerId]?.name ?? c.netnsOwnerId.slice(0, 12)}`;
  return c.networkMode;
}

/**
 * Every container and network as a real button, so keyboard and screen-reader users can select
 * anything the canvas shows; selecting here selects on the canvas too.
 */
export function SideList({ topology, open }: { topology: Topology | null; open: boolean }) {
  const t = useT();
  const { selected, select, view, setView } = useNetdive((s) => ({
    selected: s.selected,
    select: s.select,
    view: s.view,
    setView: s.setView,
  }));
  const containers = Object.values(topology?.containers ?? {})
    .filter((c) => topology && matchesView(view, c, topology))
    .sort((a, b) => a.name.localeCompare(b.name));
  const networks = Object.values(topology?.networks ?? {})
    .filter((n) => networkListed(n, view, containers))
    .sort((a: Network, b: Network) => a.name.localeCompare(b.name));
  const isSelected = (ref: Ref) =>
    selected?.type === ref.type && "id" in selected && "id" in ref && selected.id === ref.id;
  return (
    <nav className={`side-list${open ? " open" : ""}`} aria-label={`${t("containers")} / ${t("networks")}`}>
      <h2>{t("containers")}</h2>
      <ul>
        {containers.map((c) => {
          const ref: Ref = { type: "container", id: c.id };
          return (
            <li key={c.id}>
              <button
                type="button"
                aria-pressed={isSelected(ref)}
                onClick={() => select(ref)}
                data-testid={`list-container-${c.name}`}
              >
                <span className={`dot dot-${c.state}`} aria-hidden="true" />
                <span className="item-name">{c.name}</span>
                <span className="item-meta">{topology ? meta(c, topology) : ""}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <h2>{t("networks")}</h2>
      <ul>
        {networks.map((n) => {
          const ref: Ref = { type: "network", id: n.id };
          return (
            <li key={n.id}>
              <button
                type="button"
                aria-pressed={isSelected(ref)}
                onClick={() => {
                  select(ref);
                  // A bridge network opens as a scene: its room alone, framed to read.
                  if (n.bridge) setView({ scene: n.id });
                }}
                data-testid={`list-network-${n.name}`}
              >
                <span className="item-name">{n.name}</span>
                <span className="item-meta">{n.bridge ?? n.driver}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
