import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExportedMoment } from "@netdive/model";

/** The page built for export (apps/web: `vite build --mode export`) is missing; the message says how to build it. */
export class ExportNotBuilt extends Error {
  override name = "ExportNotBuilt";
}

/** Inside an inline <script>, `</script` and `<!--` would end or bend the element: escape their `<`. */
function inlineScript(text: string): string {
  return text.replace(/<(\/script|!--)/gi, "\\x3C$1");
}

/** JSON inside <script type="application/json">: no `<` at all, so no tag can close it early. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * One self-contained HTML file: the export build's page with its script and styles inlined, the
 * moment as JSON, and a CSP that allows that one script (by hash), inline styles and data/blob
 * images, and nothing else: no request leaves the page, no eval.
 */
export async function exportHtml(exportRoot: string, moment: ExportedMoment): Promise<string> {
  let html: string;
  try {
    html = await readFile(join(exportRoot, "index.html"), "utf8");
  } catch {
    throw new ExportNotBuilt(
      `the exportable page is not built (no ${join(exportRoot, "index.html")}): run pnpm build, or pnpm start, which builds it`,
    );
  }
  const asset = (ref: string) => readFile(join(exportRoot, ref.replace(/^\.?\//, "")), "utf8");
  const scripts: string[] = [];
  for (const m of html.matchAll(/<script type="module"[^>]*src="([^"]+)"[^>]*><\/script>/g)) {
    scripts.push(inlineScript(await asset(m[1] as string)));
  }
  const styles: string[] = [];
  for (const m of html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g)) {
    styles.push((await asset(m[1] as string)).replace(/<\/style/gi, "<\\/style"));
  }
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`);
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    ...styles.map((s) => `<style>${s}</style>`),
    `<script type="application/json" id="netdive-moment">${inlineJson(moment)}</script>`,
  ].join("\n");
  const body = scripts.map((s) => `<script type="module">${s}</script>`).join("\n");
  return html
    .replace(/<script type="module"[^>]*src="[^"]+"[^>]*><\/script>/g, "")
    .replace(/<link rel="(stylesheet|modulepreload)"[^>]*>/g, "")
    .replace("</head>", () => `${head}\n</head>`)
    .replace("</body>", () => `${body}\n</body>`);
}
