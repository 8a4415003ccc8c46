/**
 * Leader election for the evaluator: a session-level Postgres advisory lock held on a dedicated
 * connection. The instance that holds it evaluates; the others try again every tick. The lock
 * lives as long as the connection: a crashed or partitioned leader's session ends and the lock
 * passes to the next instance that asks, with no lease to tune.
 *
 * On embedded PGlite all connections share one backend session, so every caller "holds" the
 * lock — harmless there, since the embedded database serves exactly one process.
 */
import "server-only";
import pg from "pg";
import { ADVISORY_LOCKS } from "../db/advisory-locks";

/** Arbitrary constant naming the evaluator lock ("RGEVAL"). */
export const EVALUATOR_LOCK_KEY = ADVISORY_LOCKS.evaluatorLeader;

export interface LeaderLock {
  /** True when this instance holds the lock now (acquiring it if free). Never throws. */
  ensure(): Promise<boolean>;
  /** Releases the lock and closes the connection. */
  close(): Promise<void>;
}

export function createLeaderLock(opts: { connectionString: string; key?: number; onError?: (error: Error) => void }): LeaderLock {
  const key = opts.key ?? EVALUATOR_LOCK_KEY;
  let client: pg.Client | null = null;
  let leader = false;
  let closed = false;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: opts.connectionString, application_name: "rollgate-evaluator-lock" });
    c.on("error", (error) => {
      // The connection died: so did the lock. Reconnect on the next ensure().
      leader = false;
      if (client === c) client = null;
      opts.onError?.(error);
    });
    await c.connect();
    return c;
  }

  return {
    async ensure() {
      if (closed) return false;
      try {
        client ??= await connect();
        if (leader) {
          // Cheap liveness check: a dead session has lost the lock.
          await client.query("SELECT 1");
          return true;
        }
        const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
        leader = rows[0]?.locked === true;
        return leader;
      } catch (error) {
        leader = false;
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
        opts.onError?.(error as Error);
        return false;
      }
    },
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c && leader) await c.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => undefined);
      leader = false;
      await c?.end().catch(() => undefined);
    },
  };
}
