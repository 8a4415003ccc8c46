/**
 * Every Postgres advisory lock key Rollgate takes, in one place so two never collide (the
 * price-table seed once shared the evaluator's key and waited forever for a running instance's
 * leader lock). Session locks are held while a process works; transaction locks until commit.
 */
import "server-only";

export const ADVISORY_LOCKS = {
  /** Transaction lock: appending to the audit hash chain. */
  auditChain: 7_266_756_001,
  /** Session lock: the background evaluator's leader. */
  evaluatorLeader: 7_266_756_002,
  /** Transaction lock: one instance prunes raw events at a time. */
  pruneEvents: 7_266_756_003,
  /** Transaction lock: seeding the model price table on first start. */
  seedPrices: 7_266_756_004,
  /** Session lock: applying migrations. */
  migrations: 72_707_369,
} as const;
