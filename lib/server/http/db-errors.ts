/**
 * Classifies errors thrown by Prisma (with the `pg` driver adapter) for the HTTP edge:
 * an unreachable or vanished database is a 503 the client may retry, and a value the
 * database refused to store (out of its column's range, text it cannot hold) is a 400.
 * Schemas and lib/schemas/hygiene.ts refuse such input first; this is the net below them.
 */
import "server-only";

/** Prisma's codes for "no database to talk to" (connection, timeouts, pool exhaustion). */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver adapter error kinds meaning the same. */
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist"]);
/** Node socket errors and Postgres SQLSTATEs of class 08 (connection) and 57P (shutdown). */
const UNAVAILABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
const UNAVAILABLE_MESSAGES = [
  /can't reach database server/i,
  /connection terminated/i,
  /connection (?:is )?closed/i,
  /server closed the connection/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection due to administrator command/i,
  /the database system is (?:starting up|shutting down)/i,
  /ECONNREFUSED|ECONNRESET/,
];

/** SQLSTATEs of values a column cannot hold: numeric out of range, invalid text. */
const UNSTORABLE_SQLSTATES = new Set(["22003", "22P05", "22021", "22001", "54000"]);

interface ErrorLike {
  name?: string;
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } }; code?: string };
  cause?: unknown;
}

function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = error;
  while (e && typeof e === "object" && out.length < 5) {
    out.push(e as ErrorLike);
    e = (e as ErrorLike).cause;
  }
  return out;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return chain(error).some((e) => {
    const code = typeof e.code === "string" ? e.code : "";
    if (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_ERRNO.has(code)) return true;
    if (/^(08|57P)/.test(code)) return true;
    const kind = e.meta?.driverAdapterError?.cause?.kind ?? (e as { kind?: string }).kind;
    if (kind && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    const message = typeof e.message === "string" ? e.message : "";
    return UNAVAILABLE_MESSAGES.some((re) => re.test(message));
  });
}

export function isUnstorableValue(error: unknown): boolean {
  return chain(error).some((e) => {
    const code = typeof e.code === "string" ? e.code : "";
    if (code === "P2020" || code === "P2000") return true; // value out of range / too long for the column
    const original = e.meta?.driverAdapterError?.cause?.originalCode ?? e.meta?.code ?? (/^\d{2}[0-9A-Z]{3}$/.test(code) ? code : "");
    if (UNSTORABLE_SQLSTATES.has(original)) return true;
    const message = typeof e.message === "string" ? e.message : "";
    return /unsupported Unicode escape sequence|invalid byte sequence|out of range for type|value too long/i.test(message);
  });
}
