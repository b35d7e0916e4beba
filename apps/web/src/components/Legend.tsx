import { FLOW_COLOR } from "../graph/flow-style";
import { COLORS } from "../graph/style";
import { useT } from "../store/hooks";
import type { MessageKey } from "../i18n";

const NODES: Array<[MessageKey, React.CSSProperties]> = [
  ["legendHost", { background: COLORS.host, border: `2px solid ${COLORS.hostBorder}` }],
  ["legendRoom", { background: COLORS.room, border: `2px solid ${COLORS.roomBorder}` }],
  ["legendNic", { background: COLORS.nic }],
  ["legendBridge", { background: COLORS.bridgeFill, border: `2px solid ${COLORS.bridge}` }],
  ["legendRiding", { background: COLORS.nic, border: `2px dashed ${COLORS.bridgeFill}` }],
  ["legendDns", { background: COLORS.dns, transform: "rotate(45deg) scale(0.8)" }],
  ["legendVeth", { background: COLORS.veth, borderRadius: "50%" }],
  ["legendNetns", { background: COLORS.netns, border: `2px solid ${COLORS.netnsBorder}` }],
  ["legendIface", { background: COLORS.iface, border: `1px solid ${COLORS.netnsBorder}` }],
  ["legendJoined", { background: COLORS.joined, border: "1px dashed #374151" }],
  ["legendHostMode", { background: COLORS.hostmode }],
  ["legendCompose", { border: `2px dashed ${COLORS.compose}` }],
];

const EDGES: Array<[MessageKey, string, string]> = [
  ["legendPair", COLORS.pair, "solid"],
  ["legendMaster", COLORS.master, "solid"],
  ["legendNat", COLORS.nat, "dotted"],
  ["legendRides", COLORS.nic, "solid"],
  ["legendPid", COLORS.pid, "dashed"],
  ["legendUnverified", COLORS.master, "dashed"],
  ["legendMember", COLORS.master, "dashed"],
  ["legendFlow", FLOW_COLOR, "solid"],
];

/** Every shape and line on the canvas, explained. */
export function Legend({ open }: { open: boolean }) {
  const t = useT();
  return (
    <details className="legend" open={open}>
      <summary>{t("legend")}</summary>
      <ul>
        {NODES.map(([key, style]) => (
          <li key={key}>
            <span className="swatch" style={style} aria-hidden="true" />
            {t(key)}
          </li>
        ))}
        {EDGES.map(([key, color, line]) => (
          <li key={key}>
            <span className="line" style={{ borderTop: `3px ${line} ${color}` }} aria-hidden="true" />
            {t(key)}
          </li>
        ))}
      </ul>
    </details>
  );
}
