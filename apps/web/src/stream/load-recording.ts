import { parseRecording, RecordingTimeline } from "@netdive/model";
import type { NetdiveStore } from "../store";
import type { RecordingOrigin } from "../store/replay-slice";

/**
 * Fetches a recording (NDJSON) from this server, reads it with the model's reader (the same
 * checks as the server's: the format version, each line against the contract) and replays it.
 * A recording that cannot be replayed is said in the status line, never an empty picture.
 */
export async function loadRecording(url: string, origin: RecordingOrigin, store: NetdiveStore): Promise<void> {
  try {
    const res = await fetch(url, { credentials: "same-origin" });
    const text = await res.text();
    if (!res.ok) throw new Error(messageOf(text) ?? `${url} answered ${res.status}`);
    const name = origin === "demo" ? "the built-in demo" : "the recording";
    store.getState().loadTimeline(new RecordingTimeline(parseRecording(text, name)), origin);
  } catch (err) {
    store.getState().setConnection("incompatible", err instanceof Error ? err.message : String(err));
  }
}

function messageOf(text: string): string | null {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null && "message" in body ? String(body.message) : null;
  } catch {
    return null;
  }
}
