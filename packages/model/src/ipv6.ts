/**
 * An IPv6 address ("fd77:1::1", no prefix, no zone) as a 128-bit number, or null when it is not
 * one. The `::` shorthand is read; an embedded IPv4 tail ("::ffff:1.2.3.4") is not (netdive
 * meets those only in a v4-mapped socket, never on a bridge).
 */
export function ipv6ToBigInt(address: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(address) || address.split("::").length > 2) return null;
  const [head = "", tail] = address.split("::");
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/**
 * Whether the IPv6 `address` lies in `cidr` ("fd77:1::/64", or a bare address: /128). False for
 * anything that is not IPv6, so it can be asked of any address beside {@link ipv4InSubnet}.
 */
export function ipv6InSubnet(address: string, cidr: string): boolean {
  const [base = "", bits = "128", extra] = cidr.split("/");
  const a = ipv6ToBigInt(address);
  const b = ipv6ToBigInt(base);
  const prefix = Number(bits);
  if (a === null || b === null || extra !== undefined || !/^\d{1,3}$/.test(bits) || prefix > 128) return false;
  const shift = BigInt(128 - prefix);
  return a >> shift === b >> shift;
}
