import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nftDnsHooks } from "./nat";

describe("nftDnsHooks", () => {
  it("reads the DNATs of chain dns-dnat from nft's text, not the SNATs of dns-snat", () => {
    const table = readFileSync(
      new URL("../../../model/test/fixtures/nftables/docker-dns.txt", import.meta.url),
      "utf8",
    );
    expect(nftDnsHooks(table)).toEqual([
      { proto: "tcp", port: 53, target: "127.0.0.11:37063" },
      { proto: "udp", port: 53, target: "127.0.0.11:52828" },
    ]);
  });

  it("finds none in an empty text (no table docker-dns)", () => {
    expect(nftDnsHooks("")).toEqual([]);
  });
});
