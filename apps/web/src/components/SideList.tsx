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
  // With several engines, each engine's entries stand together under its id, in the topology's order.
  const engineIds = Object.keys(topology?.engines ?? {});
  const several = engineIds.length > 1;
  const byEngine = (a: { engineId: string; name: string }, b: { engineId: string; name: string }) =>
    engineIds.indexOf(a.engineId) - engineIds.indexOf(b.engineId) || a.name.localeCompare(b.name);
  const containers = Object.values(topology?.containers ?? {})
    .filter((c) => topology && matchesView(view, c, topology))
    .sort(byEngine);
  const networks = Object.values(topology?.networks ?? {})
    .filter((n) => networkListed(n, view, containers))
    .sort((a: Network, b: Network) => byEngine(a, b));
  const heading = (list: ReadonlyArray<{ engineId: string }>, i: number, kind: string) =>
    several && list[i]?.engineId !== list[i - 1]?.engineId ? (
      <li
        key={`engine-${kind}-${list[i]!.engineId}`}
        className="list-engine"
        data-testid={`list-engine-${list[i]!.engineId}`}
      >
        {list[i]!.engineId}
      </li>
    ) : null;
  const testName = (e: { engineId: string; name: string }) => (several ? `${e.engineId}/${e.name}` : e.name);
  const isSelected = (ref: Ref) =>
    selected?.type === ref.type && "id" in selected && "id" in ref && selected.id === ref.id;
  return (
    <nav className={`side-list${open ? " open" : ""}`} aria-label={`${t("containers")} / ${t("networks")}`}>
      <h2>{t("containers")}</h2>
      <ul>
        {containers.map((c, i) => {
          const ref: Ref = { type: "container", id: c.id };
          return [
            heading(containers, i, "c"),
            <li key={c.id}>
              <button
                type="button"
                aria-pressed={isSelected(ref)}
                onClick={() => select(ref)}
                data-testid={`list-container-${testName(c)}`}
              >
                <span className={`dot dot-${c.state}`} aria-hidden="true" />
                <span className="item-name">{c.name}</span>
                <span className="item-meta">{topology ? meta(c, topology) : ""}</span>
              </button>
            </li>,
          ];
        })}
      </ul>
      {several ? (
        <ul>
          {Object.values(topology?.engines ?? {})
            .filter((e) => !e.reachable)
            .map((e) => (
              <li key={e.id} className="list-engine list-engine-down" data-testid={`list-engine-down-${e.id}`}>
                {e.id} — {t("engineDown")}
              </li>
            ))}
        </ul>
      ) : null}
      <h2>{t("networks")}</h2>
      <ul>
        {networks.map((n, i) => {
          const ref: Ref = { type: "network", id: n.id };
          return [
            heading(networks, i, "n"),
            <li key={n.id}>
              <button
                type="button"
                aria-pressed={isSelected(ref)}
                onClick={() => {
                  select(ref);
                  // A bridge network opens as a scene: its room alone, framed to read.
                  if (n.bridge) setView({ scene: n.id });
                }}
                data-testid={`list-network-${testName(n)}`}
              >
                <span className="item-name">{n.name}</span>
                <span className="item-meta">{n.bridge ?? n.driver}</span>
              </button>
            </li>,
          ];
        })}
      </ul>
    </nav>
  );
}
