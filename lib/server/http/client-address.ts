/**
 * The client's address: the socket's peer, unless that peer is one of ROLLGATE_TRUSTED_PROXIES;
 * then X-Forwarded-For is read from the right, skipping trusted proxies, and the first address
 * not trusted is the client. A client cannot choose its address by sending the header itself:
 * only what trusted proxies appended is believed.
 */
import "server-only";
import { BlockList, isIP } from "node:net";

export function parseTrustedProxies(spec: string): BlockList {
  const list = new BlockList();
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`ROLLGATE_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`ROLLGATE_TRUSTED_PROXIES: "${entry}" has an invalid prefix length`);
      }
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** "::ffff:127.0.0.1" → "127.0.0.1", so IPv4 ranges match IPv4-mapped peers. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, proxies: BlockList): string {
  let client = plain(socketAddress ?? "unknown");
  if (!trusted(proxies, client) || !forwardedFor) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map((h) => plain(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!isIP(hop)) return client; // garbage: stop at the last address we could vouch for
    client = hop;
    if (!trusted(proxies, hop)) return client;
  }
  return client;
}
