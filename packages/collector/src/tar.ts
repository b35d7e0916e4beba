/** The one entry of a single-file archive, as the archive API returns it for a path. */
export type TarEntry =
  | { type: "file"; name: string; content: Buffer }
  | { type: "symlink"; name: string; target: string }
  | { type: "other"; name: string; typeflag: string };

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

/**
 * The first real entry of a tar archive (ustar, with pax or GNU long-name headers skipped).
 * Returns null for an empty or truncated archive rather than reading past its end.
 */
export function firstTarEntry(archive: Buffer): TarEntry | null {
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return null;
    const size = octal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156] ?? 0x30);
    const name = field(header, 0, 100);
    const dataStart = offset + BLOCK;
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (!Number.isFinite(size) || size < 0 || dataStart + size > archive.length) return null;
    if (typeflag === "x" || typeflag === "g" || typeflag === "L" || typeflag === "K") {
      offset = next;
      continue;
    }
    if (typeflag === "0" || typeflag === "\0") {
      return { type: "file", name, content: archive.subarray(dataStart, dataStart + size) };
    }
    if (typeflag === "2") return { type: "symlink", name, target: field(header, 157, 100) };
    return { type: "other", name, typeflag };
  }
  return null;
}
