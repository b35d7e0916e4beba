/** A dotted IPv4 address as an unsigned 32-bit number, or null when it is not one. */
export function ipv4ToNumber(address: string): number | null {
  const parts = address.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

/**
 * Whether the IPv4 `address` ("172.17.0.1", no prefix) lies in `cidr` ("172.17.0.0/16", or a bare
 * address: /32). False for anything that is not IPv4 (an IPv6 address or subnet, 172.17.0.300).
 * netdive's one CIDR test: the model, the firewall walk and the lab's truth checks all use it.
 */
export function ipv4InSubnet(address: string, cidr: string): boolean {
  const [base = "", bits = "32", extra] = cidr.split("/");
  const a = ipv4ToNumber(address);
  const b = ipv4ToNumber(base);
  const prefix = Number(bits);
  if (a === null || b === null || extra !== undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(a / size) === Math.floor(b / size);
}
