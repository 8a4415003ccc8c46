/**
 * Gates of a draft rollout: replaced per stage with an audit record and a version bump; refused
 * once started, on a stale version, for a viewer; bad gates are refused by the create schema with
 * the field named; the default gates follow the stage's minimum samples.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { gateSpecSchema } from "@/lib/domain/gates";
import { createRolloutRequestSchema } from "@/lib/schemas/rollout-extras";
import { db } from "@/lib/server/db";
import { createRollout, getRollout, runRolloutCommand, updateDraftGates } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { auditCount, createQuickCanary, createTestEnvironment, createTestFlag, ctx } from "./fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  env = await createTestEnvironment("gates");
  operator = await createTestUser(["operator"]);
});

const custom = gateSpecSchema.parse({ name: "error ceiling", kind: "threshold", metric: "error_rate", bound: 0.1, minSamples: 50, critical: true });

describe("updateDraftGates", () => {
  test("replaces one stage's gates of a draft, bumps the version, and is audited with before and after", async () => {
    const flag = await createTestFlag(env.id);
    const id = await createQuickCanary(operator, env.key, flag.key);
    await updateDraftGates(operator, { rolloutId: id, stageIndex: 1, gates: [custom], expectedVersion: 0 }, ctx());
    const detail = await getRollout(operator, id);
    expect(detail.version).toBe(1);
    expect(detail.stages[1]!.gates).toEqual([custom]);
    expect(detail.stages[0]!.gates).toEqual([]);
    expect(await auditCount(id, "rollout.gates_update")).toBe(1);
    const record = await db.auditRecord.findFirstOrThrow({ where: { resourceId: id, action: "rollout.gates_update" } });
    expect(record.before).toEqual({ stage: 2, gates: [] });
    expect(record.after).toEqual({ stage: 2, gates: [custom] });
  });

  test("refused on a stale version, for a stage that does not exist, for a viewer, and once started; nothing changes", async () => {
    const flag = await createTestFlag(env.id);
    const id = await createQuickCanary(operator, env.key, flag.key);
    await expect(updateDraftGates(operator, { rolloutId: id, stageIndex: 0, gates: [custom], expectedVersion: 7 })).rejects.toMatchObject({ code: "precondition_failed" });
    await expect(updateDraftGates(operator, { rolloutId: id, stageIndex: 9, gates: [custom] })).rejects.toMatchObject({ code: "invalid_input" });
    const viewer = await createTestUser(["viewer"]);
    await expect(updateDraftGates(viewer, { rolloutId: id, stageIndex: 0, gates: [custom] })).rejects.toMatchObject({ code: "forbidden" });
    await runRolloutCommand(operator, { rolloutId: id, command: "start" }, ctx());
    await expect(updateDraftGates(operator, { rolloutId: id, stageIndex: 0, gates: [custom] })).rejects.toMatchObject({ code: "conflict" });
    expect((await getRollout(operator, id)).stages[0]!.gates).toEqual([]);
    expect(await auditCount(id, "rollout.gates_update")).toBe(0);
  });
});

describe("gates on create", () => {
  const body = (flagKey: string, stages: unknown[]) => ({ environment: env.key, flagKey, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1", stages });

  test("a stage minimum of 20 gives the default gates a minimum of 20, so 20 per arm is what holds", async () => {
    const flag = await createTestFlag(env.id);
    const parsed = createRolloutRequestSchema.parse(
      body(flag.key, [
        { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 20 },
        { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
      ]),
    );
    const id = await createRollout(operator, { ...parsed, autoAdvance: false, newSalt: false }, ctx());
    const detail = await getRollout(operator, id);
    expect((detail.stages[0]!.gates as { minSamples: number }[]).map((g) => g.minSamples)).toEqual([20, 20, 20, 20]);
    // The final 100% stage has no stage minimum: its gate keeps the default of 100.
    expect((detail.stages[1]!.gates as { minSamples: number }[]).map((g) => g.minSamples)).toEqual([100]);
  });

  test("an invalid gate is refused with its field named", () => {
    const result = createRolloutRequestSchema.safeParse(
      body("any.flag", [
        { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 0, gates: [{ name: "bad", kind: "threshold", metric: "error_rate", bound: 5 }] },
        { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
      ]),
    );
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain("stages.0.gates.0.bound");
  });
});
