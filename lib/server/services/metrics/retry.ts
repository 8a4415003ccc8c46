/**
 * Retries a transaction that Postgres aborted to resolve a deadlock (40P01) or a serialization
 * conflict (40001). Both leave nothing behind, so running the transaction again is safe.
 */
import "server-only";

const RETRYABLE = /\b(40P01|40001)\b|deadlock detected|could not serialize/i;

export function isRetryableTransactionError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== "object" || seen.has(e) || depth > 4) return false;
    seen.add(e);
    const o = e as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown; originalCode?: unknown };
    for (const v of [o.code, o.originalCode, o.message]) if (typeof v === "string" && RETRYABLE.test(v)) return true;
    return visit(o.meta, depth + 1) || visit(o.cause, depth + 1);
  };
  return visit(error, 0);
}

export async function withTransactionRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(attempt * 10 * Math.random())));
    }
  }
}
