import { isIP } from "node:net";

/**
 * The key a client's address is counted under. An IPv6 host usually holds a whole /64 and picks
 * addresses in it freely, so IPv6 counts by its /64 prefix; IPv4 (also written as ::ffff:a.b.c.d)
 * counts by the single address. Anything else (no socket in tests) is its own key.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const bare = ip.split("%")[0] ?? ip; // zone index (fe80::1%eth0) is not part of the address
  return `${expandIpv6(bare).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case and without leading zeros. */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z: a process on this machine. */
export function isLoopback(ip: string): boolean {
  const v4 = addressKey(ip);
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return isIP(ip) === 6 && expandIpv6(ip).join(":") === "0:0:0:0:0:0:0:1";
}
