/**
 * The keyed audit chain and its signed checkpoint on a real Postgres, attacked as a database
 * superuser who does not hold the server secret: a deleted tail, a rewritten-and-rehashed last
 * record and a checkpoint moved back are all reported by verify; a chain written before the
 * checkpoint existed still verifies after the migration, and is keyed from the cut-over on.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, test } from "vitest";
import { GENESIS_HASH, hashAuditRecord, type AuditContent } from "@/lib/domain/audit/chain";
import { resetEnvCache } from "@/lib/env";
import { db } from "@/lib/server/db";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { clearSingleton } from "@/lib/server/singleton";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { verifyAuditChain } from "@/lib/server/services/audit";
import { createUser } from "@/lib/server/services/users";
import { createTestUser, ctx } from "./helpers/actors";
import { createScratchDatabase, withPgClient } from "./helpers/db";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const CHECKPOINT_MIGRATION = "20261203000300_audit_checkpoint";

/** Runs statements as the superuser would, with the append-only triggers off. */
async function asSuperuser(url: string, fn: (c: pg.Client) => Promise<void>) {
  await withPgClient(url, async (c) => {
    await c.query("BEGIN");
    await c.query("ALTER TABLE audit_records DISABLE TRIGGER USER");
    await fn(c);
    await c.query("ALTER TABLE audit_records ENABLE TRIGGER USER");
    await c.query("COMMIT");
  });
}

async function someAuditedMutations(n: number) {
  const admin = await createTestUser(["admin"]);
  for (let i = 0; i < n; i++) {
    await createUser(admin, { email: `cp-${i}-${Date.now()}@rollgate.test`, name: `CP${i}`, roles: ["viewer"], password: "a-long-password-123" }, ctx());
  }
}

describe("signed checkpoint", () => {
  const url = () => inject("databaseUrl");

  test("every append advances the signed checkpoint to the new head in the same transaction", async () => {
    await someAuditedMutations(2);
    const head = await db.auditRecord.findFirstOrThrow({ orderBy: { id: "desc" } });
    const cp = await db.auditCheckpoint.findUniqueOrThrow({ where: { id: 1 } });
    expect(cp).toMatchObject({ headId: head.id, headHash: head.hash, records: BigInt(await db.auditRecord.count()) });
    expect(cp.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAuditChain()).toMatchObject({ valid: true, checkpoint: { signed: true } });
  });

  test("a deleted tail is reported (records_missing), and verifies again once restored", async () => {
    await someAuditedMutations(2);
    const tail = await withPgClient(url(), async (c) => (await c.query("SELECT * FROM audit_records ORDER BY id DESC LIMIT 2")).rows);
    await asSuperuser(url(), async (c) => {
      await c.query("DELETE FROM audit_records WHERE id = ANY($1::bigint[])", [tail.map((r) => r.id)]);
    });
    try {
      const verdict = await verifyAuditChain();
      expect(verdict).toMatchObject({ valid: false, reason: "records_missing", firstInvalidId: null });
      expect(verdict.checkpoint!.records - verdict.records).toBe(2);
    } finally {
      await asSuperuser(url(), async (c) => {
        for (const r of tail.reverse()) {
          await c.query(
            `INSERT INTO audit_records (id, occurred_at, actor_type, actor_id, actor_label, actor_roles, action, resource_type, resource_id,
               environment_id, before, after, context, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
            [
              r.id,
              r.occurred_at,
              r.actor_type,
              r.actor_id,
              r.actor_label,
              r.actor_roles,
              r.action,
              r.resource_type,
              r.resource_id,
              r.environment_id,
              r.before === null ? null : JSON.stringify(r.before),
              r.after === null ? null : JSON.stringify(r.after),
              JSON.stringify(r.context),
              r.prev_hash,
              r.hash,
            ],
          );
        }
      });
    }
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });

  test("the last record rewritten and rehashed without the key is reported, and so is the checkpoint moved to match it", async () => {
    await someAuditedMutations(1);
    const last = await db.auditRecord.findFirstOrThrow({ orderBy: { id: "desc" } });
    const content: AuditContent = {
      occurredAt: last.occurredAt.toISOString(),
      actorType: last.actorType,
      actorId: last.actorId,
      actorLabel: last.actorLabel,
      actorRoles: last.actorRoles,
      action: last.action,
      resourceType: last.resourceType,
      resourceId: last.resourceId,
      environmentId: last.environmentId,
      before: null,
      after: { email: "mallory@evil.test", roles: ["admin"] },
      context: last.context as AuditContent["context"],
    };
    // What a superuser without the server secret can compute: the plain SHA-256 of the old scheme.
    const forgedHash = hashAuditRecord(content, last.prevHash);
    const rewrite = (after: unknown, hash: string) =>
      asSuperuser(url(), async (c) => {
        await c.query("UPDATE audit_records SET after = $2, hash = $3 WHERE id = $1", [last.id, JSON.stringify(after), hash]);
      });
    const cpBefore = await db.auditCheckpoint.findUniqueOrThrow({ where: { id: 1 } });
    await rewrite(content.after, forgedHash);
    try {
      expect(await verifyAuditChain()).toMatchObject({ valid: false, reason: "hash_mismatch", firstInvalidId: last.id.toString() });
      // Moving the checkpoint's head to the forged hash needs a signature only the key can make.
      await db.auditCheckpoint.update({ where: { id: 1 }, data: { headHash: forgedHash } });
      expect(await verifyAuditChain()).toMatchObject({ valid: false, reason: "checkpoint_signature" });
    } finally {
      await db.auditCheckpoint.update({ where: { id: 1 }, data: { headHash: cpBefore.headHash, signature: cpBefore.signature } });
      await rewrite(last.after, last.hash);
    }
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });

  test("a checkpoint with a bad signature is not re-signed by later appends (the evidence stays)", async () => {
    const cp = await db.auditCheckpoint.findUniqueOrThrow({ where: { id: 1 } });
    await db.auditCheckpoint.update({ where: { id: 1 }, data: { records: cp.records - 1n } });
    try {
      await someAuditedMutations(1);
      expect(await verifyAuditChain()).toMatchObject({ valid: false, reason: "checkpoint_signature" });
      expect((await db.auditCheckpoint.findUniqueOrThrow({ where: { id: 1 } })).signature).toBe(cp.signature);
    } finally {
      // Re-seal as the application would have: the current head, signed (test-only repair).
      const head = await db.auditRecord.findFirstOrThrow({ orderBy: { id: "desc" } });
      const { signCheckpoint } = await import("@/lib/domain/audit/chain");
      const { auditChainKey } = await import("@/lib/server/audit/chain-key");
      const next = { records: BigInt(await db.auditRecord.count()), headId: head.id, headHash: head.hash, keyedFromId: cp.keyedFromId };
      await db.auditCheckpoint.update({ where: { id: 1 }, data: { ...next, signature: signCheckpoint(await auditChainKey(), next) } });
    }
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });

  test("records added behind the application's back beyond the head are reported", async () => {
    await someAuditedMutations(1);
    const head = await db.auditRecord.findFirstOrThrow({ orderBy: { id: "desc" } });
    await withPgClient(url(), (c) =>
      c.query(
        `INSERT INTO audit_records (occurred_at, actor_type, actor_id, actor_label, actor_roles, action, resource_type, resource_id, context, prev_hash, hash)
         VALUES (now(), 'system', 'x', 'x', '{}', 'forged.action', 'x', 'x', '{}', $1, $2)`,
        [head.hash, "f".repeat(64)],
      ),
    );
    try {
      expect(await verifyAuditChain()).toMatchObject({ valid: false, reason: "records_unaccounted" });
    } finally {
      // Undo the forgery, so later files that verify the whole chain see it intact.
      await asSuperuser(url(), async (c) => {
        await c.query("DELETE FROM audit_records WHERE action = 'forged.action'");
      });
    }
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });
});

describe("migration of a chain written before the checkpoint", () => {
  const restore: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const r of restore.reverse()) await r();
  });

  test("old records still verify as SHA-256; appends after the cut-over are keyed and signed", async () => {
    const scratch = await createScratchDatabase("audit_cutover");
    restore.push(() => scratch.drop());
    // Migrate to the state before the checkpoint, write an old-style chain, then migrate on.
    const before = mkdtempSync(path.join(os.tmpdir(), "rollgate-migrations-"));
    restore.push(async () => rmSync(before, { recursive: true, force: true }));
    for (const name of readdirSync(MIGRATIONS)) {
      if (name < CHECKPOINT_MIGRATION) cpSync(path.join(MIGRATIONS, name), path.join(before, name), { recursive: true });
    }
    await migrateDatabase({ databaseUrl: scratch.url, migrationsDir: before });
    await withPgClient(scratch.url, async (c) => {
      let prev = GENESIS_HASH;
      for (let i = 0; i < 3; i++) {
        const content: AuditContent = {
          occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, i)).toISOString(),
          actorType: "system",
          actorId: "system",
          actorLabel: "system",
          actorRoles: [],
          action: "environment.create",
          resourceType: "environment",
          resourceId: `e${i}`,
          environmentId: null,
          before: null,
          after: { key: `env-${i}` },
          context: { reason: "legacy" },
        };
        const hash = hashAuditRecord(content, prev);
        await c.query(
          `INSERT INTO audit_records (occurred_at, actor_type, actor_id, actor_label, actor_roles, action, resource_type, resource_id, after, context, prev_hash, hash)
           VALUES ($1, 'system', 'system', 'system', '{}', 'environment.create', 'environment', $2, $3, $4, $5, $6)`,
          [content.occurredAt, content.resourceId, JSON.stringify(content.after), JSON.stringify(content.context), prev, hash],
        );
        prev = hash;
      }
    });
    await migrateDatabase({ databaseUrl: scratch.url, migrationsDir: MIGRATIONS });

    // Point the app's one client at the scratch database for the rest of this test.
    const previousUrl = process.env.DATABASE_URL;
    const usePrisma = (dbUrl: string | undefined) => async () => {
      await db.$disconnect().catch(() => undefined);
      clearSingleton("prisma");
      process.env.DATABASE_URL = dbUrl;
      resetEnvCache();
    };
    await usePrisma(scratch.url)();
    restore.push(usePrisma(previousUrl));

    expect(await verifyAuditChain()).toMatchObject({ valid: true, records: 3, checkpoint: { records: 3, headId: expect.any(String), keyedFromId: expect.any(String), signed: false } });
    const keyedFrom = BigInt((await db.auditCheckpoint.findUniqueOrThrow({ where: { id: 1 } })).keyedFromId);
    const admin = await createTestUser(["admin"]);
    await db.$transaction((tx) => recordAudit(tx, { actor: admin, action: "test.after_cutover", resourceType: "test", resourceId: "t" }));
    const appended = await db.auditRecord.findFirstOrThrow({ where: { action: "test.after_cutover" } });
    expect(appended.id >= keyedFrom).toBe(true);
    // Keyed: the plain hash of its content is not what was stored.
    expect(await verifyAuditChain()).toMatchObject({ valid: true, records: 4, checkpoint: { records: 4, signed: true } });

    // An old record altered is still found.
    await asSuperuser(scratch.url, async (c) => {
      await c.query("UPDATE audit_records SET after = '{\"key\":\"evil\"}' WHERE resource_id = 'e1'");
    });
    expect(await verifyAuditChain()).toMatchObject({ valid: false, reason: "hash_mismatch" });
  });
});
