import { describe, expect, it } from "vitest";
import { firstTarEntry } from "./tar";

/** A ustar header block for one entry, as `docker cp` / the archive API produce. */
function header(name: string, size: number, typeflag: string, linkname = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "utf8");
  h.write("0000644\0", 100);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write(typeflag, 156);
  h.write(linkname, 157);
  h.write("ustar\0", 257);
  return h;
}

function entry(name: string, content: string, typeflag = "0", linkname = ""): Buffer {
  const body = Buffer.from(content);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header(name, body.length, typeflag, linkname), padded]);
}

const END = Buffer.alloc(1024);

describe("firstTarEntry", () => {
  it("reads a regular file's content", () => {
    const text = "nameserver 127.0.0.11\noptions ndots:0\n";
    const got = firstTarEntry(Buffer.concat([entry("resolv.conf", text), END]));
    expect(got).toMatchObject({ type: "file", name: "resolv.conf" });
    expect(got?.type === "file" && got.content.toString()).toBe(text);
  });

  it("skips a pax header and reads the entry after it", () => {
    const archive = Buffer.concat([
      entry("PaxHeaders/hosts", "30 mtime=1700000000.000000000\n", "x"),
      entry("hosts", "127.0.0.1 localhost\n"),
      END,
    ]);
    const got = firstTarEntry(archive);
    expect(got?.type === "file" && got.content.toString()).toBe("127.0.0.1 localhost\n");
  });

  it("reports a symlink with its target", () => {
    expect(firstTarEntry(Buffer.concat([entry("resolv.conf", "", "2", "../run/resolv.conf"), END]))).toEqual({
      type: "symlink",
      name: "resolv.conf",
      target: "../run/resolv.conf",
    });
  });

  it("returns null for empty and truncated archives instead of reading past the end", () => {
    expect(firstTarEntry(Buffer.alloc(0))).toBeNull();
    expect(firstTarEntry(END)).toBeNull();
    expect(firstTarEntry(entry("big", "x".repeat(2000)).subarray(0, 1024))).toBeNull();
  });
});
