import { useState } from "react";
import { useT } from "../store/hooks";

/** A labelled value with a copy button. */
export function Field({
  label,
  value,
  mono = true,
}: {
  label: string;
  value: string | number | null | undefined;
  mono?: boolean;
}) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const text = value === null || value === undefined || value === "" ? "—" : String(value);
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  };
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>
        <span className={mono ? "mono" : undefined} data-field={label}>
          {text}
        </span>
        {text !== "—" ? (
          <button type="button" className="copy" onClick={copy} aria-label={`${t("copy")} ${label}`}>
            {copied ? t("copied") : t("copy")}
          </button>
        ) : null}
      </dd>
    </div>
  );
}

/** A file's text, or why it could not be read. */
export function FileBlock({
  title,
  text,
  reason,
}: {
  title: string;
  text: string | null;
  reason?: string | undefined;
}) {
  return (
    <section className="file">
      <h3>{title}</h3>
      {text !== null ? <pre data-testid={`file-${title}`}>{text}</pre> : <p className="muted">{reason ?? "—"}</p>}
    </section>
  );
}
