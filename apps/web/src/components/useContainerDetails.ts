import { ContainerDetails, ErrorReply, fits, type Container } from "@netdive/model";
import { useEffect, useState } from "react";
import { useNetdive, useT } from "../store/hooks";
import { recordedDetails } from "../store/replay-slice";

/** A container's files and DNS hooks, or why they are not there. */
export type Loaded = { id: string; details: ContainerDetails } | { id: string; error: string };

/**
 * A container's details (resolv.conf, /etc/hosts, the embedded DNS rules): asked of the server
 * while live, and checked against the contract before anything shows them; taken from the
 * recording in a replay or an exported moment. Null while the answer is on its way.
 */
export function useContainerDetails(c: Container | null): Loaded | null {
  const t = useT();
  const [fetched, setLoaded] = useState<Loaded | null>(null);
  const recorded = useNetdive((s) => ({ details: c ? recordedDetails(s, c.id) : undefined })).details;
  useEffect(() => {
    if (!c || recorded !== undefined) return;
    let live = true;
    fetch(`/api/containers/${c.id}`)
      .then(async (res) => {
        const body: unknown = await res.json();
        if (!live) return;
        if (res.ok && fits(ContainerDetails, body)) setLoaded({ id: c.id, details: body });
        else if (res.ok) setLoaded({ id: c.id, error: t("detailsMalformed") });
        else setLoaded({ id: c.id, error: fits(ErrorReply, body) ? body.message : res.statusText });
      })
      .catch((err: unknown) => live && setLoaded({ id: c.id, error: String(err) }));
    return () => {
      live = false;
    };
  }, [c, recorded]);
  if (!c) return null;
  const loaded: Loaded | null =
    recorded === undefined
      ? fetched
      : recorded
        ? { id: c.id, details: recorded }
        : { id: c.id, error: t("notRecorded") };
  return loaded?.id === c.id ? loaded : null;
}
