/**
 * Enforces lib/domain/webhooks/target.ts: at create/update on the URL (IP literals, localhost
 * names, and what the name resolves to now) and at send time on the address actually connected
 * to, through the socket's own DNS lookup, so a name that resolves to a public address when
 * checked and to a private one when sending (DNS rebinding) is still refused.
 * ROLLGATE_WEBHOOK_ALLOW_PRIVATE=1 turns both checks off for on-premise receivers.
 */
import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { DomainError } from "../../domain/errors";
import { addressRefusal, hostRefusal } from "../../domain/webhooks/target";
import { getEnv } from "../../env";

export const ALLOW_PRIVATE_HINT = "set ROLLGATE_WEBHOOK_ALLOW_PRIVATE=1 for on-premise receivers";

export const privateTargetsAllowed = () => getEnv().ROLLGATE_WEBHOOK_ALLOW_PRIVATE;

/** A refusal to connect; its message says why and never what (if anything) listens there. */
export class RefusedTarget extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}; webhooks reach public addresses only (${ALLOW_PRIVATE_HINT})`);
    this.name = "RefusedTarget";
  }
}

const LOOKUP_TIMEOUT_MS = 2000;

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/** 400 naming `url` when the target is refused now. A name that does not resolve is left to send time. */
export async function assertWebhookTarget(url: string): Promise<void> {
  if (privateTargetsAllowed()) return;
  const { hostname } = new URL(url);
  const refuse = (reason: string) => {
    const message = `${reason}; webhooks reach public addresses only (${ALLOW_PRIVATE_HINT})`;
    throw new DomainError("invalid_input", `Invalid body: url: ${message}`, { errors: [{ path: "url", message }] });
  };
  const literal = hostRefusal(hostname);
  if (literal) refuse(literal);
  if (/^[\d.]+$|^\[/.test(hostname)) return; // a public IP literal
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolveAll(hostname).catch(() => [] as LookupAddress[]),
    new Promise<LookupAddress[]>((resolve) => (timer = setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  for (const a of addresses) {
    const reason = addressRefusal(a.address);
    if (reason) refuse(`${hostname} resolves to ${reason.replace(/^\S+ is /, `${a.address}, `)}`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests: resolves like the system would, then refuses the
 * connection if any resolved address is not public (unless allowed).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (!privateTargetsAllowed()) {
      for (const a of addresses) {
        const reason = addressRefusal(a.address);
        if (reason) return callback(Object.assign(new RefusedTarget(`${hostname} resolved to ${reason.replace(/^\S+ is /, `${a.address}, `)}`), { code: "EREFUSEDTARGET" }), []);
      }
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}

/** Why the URL's host may not be contacted without any DNS (IP literals, localhost names). */
export function literalRefusal(url: URL): RefusedTarget | null {
  if (privateTargetsAllowed()) return null;
  const reason = hostRefusal(url.hostname);
  return reason ? new RefusedTarget(reason) : null;
}
