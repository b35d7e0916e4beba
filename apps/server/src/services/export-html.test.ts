import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyTopology, type ContainerDetails, type ExportedMoment } from "@netdive/model";
import { afterAll, describe, expect, it } from "vitest";
import { exportHtml, ExportNotBuilt } from "./export-html";

const root = mkdtempSync(join(tmpdir(), "netdive-export-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An export build as vite writes it: index.html naming one script and one stylesheet. */
function build(script: string): string {
  const dir = mkdtempSync(join(root, "build-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html><head><title>netdive</title>
<script type="module" crossorigin src="./assets/index-1.js"></script>
<link rel="stylesheet" crossorigin href="./assets/style-1.css">
</head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(dir, "assets", "index-1.js"), script);
  writeFileSync(join(dir, "assets", "style-1.css"), "body{margin:0}");
  return dir;
}

/** A moment whose container wrote a closing tag and a script into its /etc/hosts. */
function hostileMoment(): ExportedMoment {
  const hostile = '</script><script>alert("x")</script><!--';
  const details = { id: "c".repeat(64), name: "web", hostsFile: hostile } as unknown as ContainerDetails;
  return { type: "netdive-moment", format: 1, t: 0, topology: emptyTopology(), details: { [details.id]: details } };
}

describe("the exported page", () => {
  it("inlines the page's one script, allowed by its hash, and its styles; nothing is loaded from elsewhere", async () => {
    const script = 'const s = "</script>"; console.log(s);';
    const html = await exportHtml(build(script), hostileMoment());
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("<style>body{margin:0}</style>");
    const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(inline).toBe('const s = "\\x3C/script>"; console.log(s);');
    const hash = createHash("sha256").update(inline).digest("base64");
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it("a file's text cannot close the moment's JSON or add a script: it reads back as it was", async () => {
    const moment = hostileMoment();
    const html = await exportHtml(build("1"), moment);
    expect(html.match(/<script/g)?.length, "the JSON block and the page's script, nothing more").toBe(2);
    const json = /<script type="application\/json" id="netdive-moment">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(JSON.parse(json)).toEqual(moment);
  });

  it("an unbuilt export says how to build it", async () => {
    await expect(exportHtml(join(root, "nothing"), hostileMoment())).rejects.toThrow(ExportNotBuilt);
  });
});
