/**
 * Which network addresses a webhook may reach. Outside an on-premise setup
 * (ROLLGATE_WEBHOOK_ALLOW_PRIVATE), only public unicast addresses are allowed: a webhook URL is
 * chosen by an admin but sent from the server, so loopback, link-local (cloud metadata at
 * 169.254.169.254), private, multicast and unspecified addresses would let it probe the server's
 * own network. IPv4-mapped and NAT64 IPv6 forms are judged by the IPv4 address they carry.
 */

export type AddressKind = "public" | "loopback" | "link-local" | "private" | "multicast" | "unspecified" | "reserved";

/** Four octets, or null when `s` is not a dotted IPv4 address. */
export function parseIpv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null when `s` is not an IPv6 address (zone ids are ignored). */
export function parseIpv6(input: string): number[] | null {
  let s = input
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "")
    .toLowerCase();
  if (!s.includes(":")) return null;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const o = parseIpv4(v4[1]);
    if (!o) return null;
    s = s.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const out = all.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return out.every((g) => !Number.isNaN(g)) ? out : null;
}

function ipv4Kind([a, b, c]: number[]): AddressKind {
  if (a === 0) return "unspecified"; // 0.0.0.0/8 "this network"
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, 100.64.0.0/10
  if (a === 192 && b === 0 && c === 0) return "reserved"; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return "reserved"; // benchmarking
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // incl. 255.255.255.255 broadcast
  return "public";
}

function ipv6Kind(g: number[]): AddressKind {
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return "unspecified";
  if (zeroTo(7) && g[7] === 1) return "loopback";
  const embedded = [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  if (zeroTo(5) && g[5] === 0xffff) return ipv4Kind(embedded); // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeroTo(6)) return ipv4Kind(embedded); // ::a.b.c.d (deprecated IPv4-compatible)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Kind(embedded); // NAT64
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xffc0) === 0xfec0 || (g[0] & 0xfe00) === 0xfc00) return "private"; // site-local, unique local
  if ((g[0] & 0xff00) === 0xff00) return "multicast";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "reserved"; // documentation
  return "public";
}

/** The kind of an IP address literal, or null when `address` is not one. */
export function addressKind(address: string): AddressKind | null {
  const v4 = parseIpv4(address);
  if (v4) return ipv4Kind(v4);
  const v6 = parseIpv6(address);
  return v6 ? ipv6Kind(v6) : null;
}

/**
 * Why a URL host (as `new URL().hostname` gives it) may not be a webhook target, judged without
 * DNS: IP literals by their kind, `localhost` names as loopback. Null when allowed or a name.
 */
export function hostRefusal(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return `${hostname} is a loopback name`;
  const kind = addressKind(host);
  return kind && kind !== "public" ? `${host.replace(/^\[|\]$/g, "")} is ${article(kind)} ${kind} address` : null;
}

/** Why a resolved address may not be contacted, or null when it is public. */
export function addressRefusal(address: string): string | null {
  const kind = addressKind(address);
  if (kind === null) return `${address} is not an IP address`;
  return kind === "public" ? null : `${address} is ${article(kind)} ${kind} address`;
}

const article = (kind: AddressKind) => (kind === "unspecified" ? "an" : "a");
