/** Creating rollouts: validation against the flag, templates, the approvals setting, audit. */
import { beforeAll, describe, expect, test } from "vitest";
import { strategyTemplate } from "@/lib/domain/rollouts";
import { db } from "@/lib/server/db";
import { createRollout, getRequiredApprovals, getRollout, setRequiredApprovals } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { auditCount, createManageKeyActor, createTestEnvironment, createTestFlag, ctx } from "./fixtures";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let operator: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  env = await createTestEnvironment("create");
  operator = await createTestUser(["operator"]);
});

const body = (flagKey: string, extra: Record<string, unknown> = {}) => ({
  environment: env.key,
  flagKey,
  strategy: "canary" as const,
  controlVariant: "gpt-4o",
  treatmentVariant: "gpt-4.1",
  autoAdvance: false,
  newSalt: false,
  ...extra,
});

describe("createRollout", () => {
  test("without stages uses the strategy's template; a draft keeps the flag's salt; audited", async () => {
    const flag = await createTestFlag(env.id);
    const id = await createRollout(operator, body(flag.key), ctx());
    const detail = await getRollout(operator, id);
    expect(detail.state).toBe("draft");
    expect(detail.version).toBe(0);
    expect(detail.stages.map((s) => s.trafficBasisPoints)).toEqual(strategyTemplate("canary").map((s) => s.trafficBasisPoints));
    expect(detail.stages.every((s) => s.status === "next")).toBe(true);
    expect(detail.history).toMatchObject([{ command: "create", actor: { id: operator.id } }]);
    expect((await db.rollout.findUniqueOrThrow({ where: { id } })).salt).toBe(flag.salt);
    expect(await auditCount(id, "rollout.create")).toBe(1);
  });

  test("newSalt gives the rollout its own salt", async () => {
    const flag = await createTestFlag(env.id);
    const id = await createRollout(operator, body(flag.key, { newSalt: true }), ctx());
    expect((await db.rollout.findUniqueOrThrow({ where: { id } })).salt).not.toBe(flag.salt);
  });

  test.each([
    ["an unknown flag", { flagKey: "no-such.flag" }, "not_found", /does not exist/],
    ["an unknown variant", { treatmentVariant: "claude" }, "invalid_input", /has no variant "claude"/],
    ["a control that is not the default", { controlVariant: "safe", treatmentVariant: "gpt-4.1" }, "invalid_input", /serves by default today \(gpt-4o\)/],
    ["a plan that does not fit the strategy", { strategy: "blue_green", stages: strategyTemplate("canary") }, "invalid_input", /two stages/],
  ])("refuses %s", async (_name, extra, code, message) => {
    const flag = await createTestFlag(env.id);
    const before = await db.rollout.count({ where: { flagId: flag.id } });
    await expect(createRollout(operator, body(flag.key, extra), ctx())).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await db.rollout.count({ where: { flagId: flag.id } })).toBe(before);
  });

  test("needs rollout.write; a manage key works only in its own environment", async () => {
    const flag = await createTestFlag(env.id);
    const viewer = await createTestUser(["viewer"]);
    await expect(createRollout(viewer, body(flag.key), ctx())).rejects.toMatchObject({ code: "forbidden" });
    const own = await createManageKeyActor(env.id);
    await expect(createRollout(own, body(flag.key), ctx())).resolves.toEqual(expect.any(String));
    const other = await createTestEnvironment("other");
    const foreign = await createManageKeyActor(other.id);
    await expect(createRollout(foreign, body(flag.key), ctx())).rejects.toMatchObject({ code: "forbidden" });
  });

  test("required approvals come from the admin setting unless given; setting it is admin-only and audited", async () => {
    const admin = await createTestUser(["admin"]);
    await expect(setRequiredApprovals(operator, 2, ctx())).rejects.toMatchObject({ code: "forbidden" });
    const before = await db.auditRecord.count({ where: { action: "settings.update" } });
    await setRequiredApprovals(admin, 2, ctx());
    try {
      expect(await getRequiredApprovals()).toBe(2);
      expect(await db.auditRecord.count({ where: { action: "settings.update" } })).toBe(before + 1);
      const flag = await createTestFlag(env.id);
      const fromSetting = await createRollout(operator, body(flag.key), ctx());
      expect((await getRollout(operator, fromSetting)).requiredApprovals).toBe(2);
      const explicit = await createRollout(operator, body(flag.key, { requiredApprovals: 3 }), ctx());
      expect((await getRollout(operator, explicit)).requiredApprovals).toBe(3);
    } finally {
      await setRequiredApprovals(admin, 1, ctx());
    }
  });
});
