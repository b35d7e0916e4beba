import { describe, expect, it } from "vitest";
import { ipv4InSubnet } from "./ipv4";

describe("ipv4InSubnet", () => {
  it("holds addresses inside the prefix and refuses those outside", () => {
    expect(ipv4InSubnet("172.17.0.1", "172.17.0.0/16")).toBe(true);
    expect(ipv4InSubnet("172.17.255.254", "172.17.0.0/16")).toBe(true);
    expect(ipv4InSubnet("172.18.0.1", "172.17.0.0/16")).toBe(false);
    expect(ipv4InSubnet("10.0.0.129", "10.0.0.128/25")).toBe(true);
    expect(ipv4InSubnet("10.0.0.127", "10.0.0.128/25")).toBe(false);
    expect(ipv4InSubnet("1.2.3.4", "0.0.0.0/0")).toBe(true);
  });

  it("is false for what is not IPv4", () => {
    expect(ipv4InSubnet("fd00::1", "172.17.0.0/16")).toBe(false);
    expect(ipv4InSubnet("172.17.0.1", "fd00::/64")).toBe(false);
    expect(ipv4InSubnet("172.17.0.300", "172.17.0.0/16")).toBe(false);
  });
});

describe("ipv4InSubnet, as the firewall walk and the lab's checks use it", () => {
  it("takes a bare address as a /32", () => {
    expect(ipv4InSubnet("10.0.0.5", "10.0.0.5")).toBe(true);
    expect(ipv4InSubnet("10.0.0.6", "10.0.0.5")).toBe(false);
  });

  it("refuses a malformed prefix", () => {
    expect(ipv4InSubnet("10.0.0.5", "10.0.0.0/33")).toBe(false);
    expect(ipv4InSubnet("10.0.0.5", "10.0.0.0/8/1")).toBe(false);
    expect(ipv4InSubnet("10.0.0.5", "10.0.0.0/x")).toBe(false);
  });
});
