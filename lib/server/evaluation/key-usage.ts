/**
 * "Last used" times of API keys, kept in memory on the serving path and written in one UPDATE
 * by the same worker that flushes exposures, so authentication never writes to the database.
 * The stored time may lag by one flush interval.
 */
import "server-only";
import type { DbOrTx } from "../db";

export class KeyUsage {
  private pending = new Map<string, number>();

  /** Records that key `keyId` was used at `now` (ms). */
  touch(keyId: string, now: number): void {
    this.pending.set(keyId, now);
  }

  /** Writes the latest use of every key touched since the last flush; merges back on failure. */
  async flush(client: DbOrTx): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await client.$executeRawUnsafe(
        `UPDATE "api_keys" AS k
            SET "last_used_at" = GREATEST(COALESCE(k."last_used_at", u.ts::timestamptz), u.ts::timestamptz)
           FROM unnest($1::text[], $2::text[]) AS u(id, ts)
          WHERE k."id" = u.id`,
        [...batch.keys()],
        [...batch.values()].map((t) => new Date(t).toISOString()),
      );
      return batch.size;
    } catch (error) {
      for (const [id, t] of batch) if ((this.pending.get(id) ?? 0) < t) this.pending.set(id, t);
      throw error;
    }
  }
}
