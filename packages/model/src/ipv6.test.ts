import { describe, expect, it } from "vitest";
import { ipv6InSubnet, ipv6ToBigInt } from "./ipv6";

describe("IPv6 addresses and subnets", () => {
  it("reads the :: shorthand and full forms alike", () => {
    expect(ipv6ToBigInt("fd77:1::1")).toBe(ipv6ToBigInt("fd77:0001:0:0:0:0:0:0001"));
    expect(ipv6ToBigInt("::")).toBe(0n);
    expect(ipv6ToBigInt("::1")).toBe(1n);
    expect(ipv6ToBigInt("fe80::")).toBe(0xfe80n << 112n);
  });

  it("refuses what is not an IPv6 address", () => {
    for (const bad of ["172.17.0.1", "fd77::1::2", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "fd77:1::1/64", ""])
      expect(ipv6ToBigInt(bad), bad).toBeNull();
  });

  it("tells whether an address is in a subnet, at any prefix", () => {
    expect(ipv6InSubnet("fd77:1::1", "fd77:1::/64")).toBe(true);
    expect(ipv6InSubnet("fd77:2::1", "fd77:1::/64")).toBe(false);
    expect(ipv6InSubnet("fe80::42:acff:fe11:1", "fd77:1::/64")).toBe(false);
    expect(ipv6InSubnet("2001:db8:abcd:12::5", "2001:db8:abcd::/48")).toBe(true);
    expect(ipv6InSubnet("2001:db8::5", "2001:db8::5")).toBe(true);
    expect(ipv6InSubnet("2001:db8::6", "2001:db8::5")).toBe(false);
    // An IPv4 address or subnet is never in an IPv6 one, nor the reverse.
    expect(ipv6InSubnet("172.17.0.1", "fd77:1::/64")).toBe(false);
    expect(ipv6InSubnet("fd77:1::1", "172.17.0.0/16")).toBe(false);
  });
});
