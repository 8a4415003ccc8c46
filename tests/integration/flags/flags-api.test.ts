/**
 * The flags management API on a real Postgres, through the services and the route handlers:
 * create, list, read, edit and archive; one audit record and one config-version bump per
 * mutation; validation errors with field paths and nothing written; conflicts (duplicate or
 * archived key, stale version, open rollout); and who may do what.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/flags/route";
import { DELETE as archiveRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/v1/flags/[key]/route";
import { POST as killSwitchRoute } from "@/app/api/v1/flags/[key]/kill-switch/route";
import type { Actor } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";
import { loadEnvironmentSnapshot } from "@/lib/server/evaluation/snapshot-loader";
import { archiveFlag, createFlag, getFlag, listFlags, setKillSwitch, updateFlag } from "@/lib/server/services/flags";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { createTestUser } from "../helpers/actors";
import { createQuickCanary, createTestEnvironment, ctx } from "../rollouts/fixtures";
import { callRoute, createManageKey, footprint, modelFlagDocument, uid } from "./fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let other: Env;
let operator: Actor;
let viewer: Actor;
let manageKey: string;
let otherManageKey: string;

beforeAll(async () => {
  env = await createTestEnvironment("flags");
  other = await createTestEnvironment("flags-other");
  operator = await createTestUser(["operator"]);
  viewer = await createTestUser(["viewer"]);
  manageKey = await createManageKey(env.id);
  otherManageKey = await createManageKey(other.id);
});

const flagAudits = (flagId: string) => db.auditRecord.findMany({ where: { resourceType: "flag", resourceId: flagId }, orderBy: { id: "asc" } });

describe("create, read, edit, archive", () => {
  test("create answers the FlagView, with a random salt, one audit record and one config-version bump", async () => {
    const before = await footprint(env.id);
    const doc = modelFlagDocument();
    const { flag } = await createFlag(operator, env.key, doc, { requestId: "req-create", comment: "first cut" });

    expect(flag).toEqual({
      id: expect.any(String),
      key: doc.key,
      description: "Model behind the support bot",
      kind: "model",
      variants: doc.variants,
      defaultVariant: "gpt-4o",
      fallbackVariant: "safe",
      stickiness: "userId",
      enabled: true,
      rules: doc.rules,
      environment: env.key,
      version: 1,
      killSwitch: false,
      killSwitchReason: null,
      archivedAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      activeRollout: null,
    });
    const read = (await getFlag(viewer, env.key, doc.key)).flag;
    expect(Object.keys(read.rules[0]!)).toEqual(["description", "conditions", "serve"]); // as written, not as jsonb orders keys
    expect(Object.keys(read.rules[0]!.conditions[0]!)).toEqual(["attribute", "operator", "value"]);
    const row = await db.flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(row.salt).toMatch(/^[0-9a-f]{16}$/);
    const second = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    expect((await db.flag.findUniqueOrThrow({ where: { id: second.flag.id } })).salt).not.toBe(row.salt);

    const audits = await flagAudits(flag.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: "flag.create",
      actorId: operator.id,
      environmentId: env.id,
      before: null,
      context: { requestId: "req-create", comment: "first cut", flagKey: doc.key },
    });
    expect(audits[0]!.after).toMatchObject({ key: doc.key, defaultVariant: "gpt-4o", fallbackVariant: "safe", version: 1 });
    const after = await footprint(env.id);
    expect(after.audits).toBe(before.audits + 2);
    expect(after.configVersion).toBe(before.configVersion + 2n);
  });

  test("POST takes the environment from the body or the query, and refuses both when they differ", async () => {
    const inBody = await callRoute(createRoute, manageKey, "/api/v1/flags", { method: "POST", body: { ...modelFlagDocument(), environment: env.key } });
    expect(inBody.status).toBe(201);
    expect(inBody.json.flag).toMatchObject({ environment: env.key, version: 1, activeRollout: null });

    const inQuery = await callRoute(createRoute, manageKey, `/api/v1/flags?environment=${env.key}`, { method: "POST", body: modelFlagDocument() });
    expect(inQuery.status).toBe(201);

    const before = await footprint(env.id);
    const differ = await callRoute(createRoute, manageKey, `/api/v1/flags?environment=${env.key}`, {
      method: "POST",
      body: { ...modelFlagDocument(), environment: other.key },
    });
    expect(differ.status).toBe(400);
    expect(differ.json.details.errors).toEqual([{ path: "environment", message: expect.stringContaining("the query says") }]);
    const neither = await callRoute(createRoute, manageKey, "/api/v1/flags", { method: "POST", body: modelFlagDocument() });
    expect(neither.status).toBe(400);
    expect(neither.json.details.errors[0].path).toBe("environment");
    expect(await footprint(env.id)).toEqual(before);
  });

  test("list is sorted by key, leaves archived flags out unless asked, and searches key and description", async () => {
    const listEnv = await createTestEnvironment("flags-list");
    const key = await createManageKey(listEnv.id);
    for (const k of ["zeta.prompt", "alpha.model", "mid.model"]) {
      await createFlag(operator, listEnv.key, { ...modelFlagDocument(k), description: k === "mid.model" ? "Routing for Summaries" : "" }, ctx());
    }
    await archiveFlag(operator, listEnv.key, "zeta.prompt", ctx());

    const all = await callRoute(listRoute, key, `/api/v1/flags?environment=${listEnv.key}`, { method: "GET" });
    expect(all.status).toBe(200);
    expect(all.json.flags.map((f: { key: string }) => f.key)).toEqual(["alpha.model", "mid.model"]);
    const withArchived = await listFlags(viewer, { environment: listEnv.key, includeArchived: true });
    expect(withArchived.flags.map((f) => [f.key, f.archivedAt !== null])).toEqual([
      ["alpha.model", false],
      ["mid.model", false],
      ["zeta.prompt", true],
    ]);
    expect((await listFlags(viewer, { environment: listEnv.key, q: "summaries" })).flags.map((f) => f.key)).toEqual(["mid.model"]);
    expect((await listFlags(viewer, { environment: listEnv.key, q: "ALPHA" })).flags.map((f) => f.key)).toEqual(["alpha.model"]);
    const bad = await callRoute(listRoute, key, `/api/v1/flags?environment=${listEnv.key}&includeArchived=yes`, { method: "GET" });
    expect(bad.status).toBe(400);
    expect(bad.json.details.errors[0].path).toBe("includeArchived");
  });

  test("get answers one flag; an unknown key or environment is a 404 problem", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const res = await callRoute(getRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, { method: "GET", params: { key: flag.key } });
    expect(res.status).toBe(200);
    expect(res.json.flag).toEqual(flag);
    const missing = await callRoute(getRoute, manageKey, `/api/v1/flags/nope?environment=${env.key}`, { method: "GET", params: { key: "nope" } });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toBe("application/problem+json");
    expect(missing.json).toMatchObject({ status: 404, code: "not_found" });
    await expect(getFlag(viewer, "no-such-env", flag.key)).rejects.toMatchObject({ code: "not_found" });
  });

  test("patch merges, bumps the version, and audits only the fields that changed", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const before = await footprint(env.id);
    const res = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, {
      method: "PATCH",
      params: { key: flag.key },
      body: { defaultVariant: "gpt-4.1", stickiness: "orgId", expectedVersion: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.json.flag).toMatchObject({ defaultVariant: "gpt-4.1", stickiness: "orgId", version: 2, rules: flag.rules, variants: flag.variants });

    const after = await footprint(env.id);
    expect(after.audits).toBe(before.audits + 1);
    expect(after.configVersion).toBe(before.configVersion + 1n);
    const update = (await flagAudits(flag.id)).at(-1)!;
    expect(update).toMatchObject({
      action: "flag.update",
      actorType: "api_key",
      before: { defaultVariant: "gpt-4o", stickiness: "userId", version: 1 },
      after: { defaultVariant: "gpt-4.1", stickiness: "orgId", version: 2 },
      context: { changed: ["defaultVariant", "stickiness"], flagKey: flag.key },
    });
    expect(Object.keys(update.before as object).sort()).toEqual(["defaultVariant", "stickiness", "version"]);

    // A patch that changes nothing writes nothing.
    const same = await updateFlag(operator, env.key, flag.key, { defaultVariant: "gpt-4.1" }, ctx());
    expect(same.flag.version).toBe(2);
    expect(await footprint(env.id)).toEqual(after);
  });

  test("a stale expectedVersion is a 409 and writes nothing", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    await updateFlag(operator, env.key, flag.key, { enabled: false }, ctx());
    const before = await footprint(env.id);
    const res = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, {
      method: "PATCH",
      params: { key: flag.key },
      body: { description: "late edit", expectedVersion: 1 },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: "conflict", details: { reason: "version_conflict", expectedVersion: 1, currentVersion: 2 } });
    expect(await footprint(env.id)).toEqual(before);
  });

  test("archive: 200 with archivedAt, audited; evaluation drops the flag; edits refused; the key stays reserved", async () => {
    const doc = modelFlagDocument();
    const { flag } = await createFlag(operator, env.key, doc, ctx());
    expect((await loadEnvironmentSnapshot(db, env.id)).flags.map((f) => f.key)).toContain(flag.key);
    const before = await footprint(env.id);

    const res = await callRoute(archiveRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, { method: "DELETE", params: { key: flag.key } });
    expect(res.status).toBe(200);
    expect(res.json.flag).toMatchObject({ key: flag.key, version: 2, archivedAt: expect.any(String) });
    const after = await footprint(env.id);
    expect(after.audits).toBe(before.audits + 1);
    expect(after.configVersion).toBe(before.configVersion + 1n);
    expect((await flagAudits(flag.id)).at(-1)).toMatchObject({
      action: "flag.archive",
      before: { archivedAt: null, version: 1 },
      after: { archivedAt: res.json.flag.archivedAt, version: 2 },
    });
    expect((await loadEnvironmentSnapshot(db, env.id)).flags.map((f) => f.key)).not.toContain(flag.key);
    expect((await getFlag(viewer, env.key, flag.key)).flag.archivedAt).toBe(res.json.flag.archivedAt);

    // Archiving again changes nothing.
    expect((await archiveFlag(operator, env.key, flag.key, ctx())).flag.version).toBe(2);
    await expect(updateFlag(operator, env.key, flag.key, { description: "x" }, ctx())).rejects.toMatchObject({ code: "conflict", details: { reason: "flag_archived" } });
    await expect(setKillSwitch(operator, env.key, flag.key, { enabled: true, reason: "x" }, ctx())).rejects.toMatchObject({ code: "conflict" });
    const again = await callRoute(createRoute, manageKey, `/api/v1/flags?environment=${env.key}`, { method: "POST", body: doc });
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain("archived");
    expect(again.json.details.reason).toBe("key_archived");
    expect(await footprint(env.id)).toEqual(after);
  });

  test("an open rollout shows as activeRollout, blocks archiving and keeps its variants", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const rolloutId = await createQuickCanary(operator, env.key, flag.key);
    expect((await getFlag(viewer, env.key, flag.key)).flag.activeRollout).toEqual({
      id: rolloutId,
      strategy: "canary",
      state: "draft",
      currentStageIndex: 0,
      trafficBasisPoints: 0,
      controlVariant: "gpt-4o",
      treatmentVariant: "gpt-4.1",
    });
    const before = await footprint(env.id);
    const draft = await callRoute(archiveRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, { method: "DELETE", params: { key: flag.key } });
    expect(draft.status).toBe(409);
    expect(draft.json.details).toMatchObject({ reason: "active_rollout", rolloutId, rolloutState: "draft" });

    await runRolloutCommand(operator, { rolloutId, command: "start" }, ctx());
    const running = await getFlag(viewer, env.key, flag.key);
    expect(running.flag.activeRollout).toMatchObject({ id: rolloutId, state: "running", trafficBasisPoints: 100 });
    const mid = await footprint(env.id);
    await expect(archiveFlag(operator, env.key, flag.key, ctx())).rejects.toMatchObject({ code: "conflict", details: { rolloutState: "running" } });
    const withoutTreatment = flag.variants.filter((v) => v.key !== "gpt-4.1");
    const res = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, {
      method: "PATCH",
      params: { key: flag.key },
      body: { variants: withoutTreatment, rules: [] },
    });
    expect(res.status).toBe(409);
    expect(res.json.details).toMatchObject({ reason: "variant_in_use", rolloutId, variants: ["gpt-4.1"] });
    expect(await footprint(env.id)).toEqual(mid);
    expect(mid.audits).toBeGreaterThan(before.audits); // only the start was written
  });
});

describe("validation: 400 with field paths, nothing written", () => {
  const broken: [string, (doc: Record<string, unknown>) => Record<string, unknown>, string][] = [
    ["unknown variant in defaultVariant", (d) => ({ ...d, defaultVariant: "gpt-5" }), "defaultVariant"],
    [
      "split weights not summing to 10000",
      (d) => ({
        ...d,
        rules: [
          {
            conditions: [],
            serve: {
              split: [
                { variant: "gpt-4o", weight: 5000 },
                { variant: "gpt-4.1", weight: 4000 },
              ],
            },
          },
        ],
      }),
      "rules.0.serve.split",
    ],
    [
      "a value the operator cannot take",
      (d) => ({ ...d, rules: [{ conditions: [{ attribute: "age", operator: "gt", value: "thirty" }], serve: { variant: "gpt-4.1" } }] }),
      "rules.0.conditions.0.value",
    ],
    ["an unknown field (typo)", (d) => ({ ...d, defaultVarient: "gpt-4o" }), "defaultVarient"],
    ["an unknown field in a variant", (d) => ({ ...d, variants: [{ key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o" }, weight: 1 }] }), "variants.0.weight"],
    ["a model payload without a model", (d) => ({ ...d, variants: [{ key: "gpt-4o", payload: { provider: "openai" } }], fallbackVariant: "gpt-4o", rules: [] }), "variants.0.payload.model"],
  ];

  test.each(broken)("create with %s", async (_name, breakIt, path) => {
    const before = await footprint(env.id);
    const res = await callRoute(createRoute, manageKey, `/api/v1/flags?environment=${env.key}`, { method: "POST", body: breakIt(modelFlagDocument()) });
    expect(res.status).toBe(400);
    expect(res.contentType).toBe("application/problem+json");
    expect(res.json.code).toBe("invalid_input");
    expect(res.json.details.errors.map((e: { path: string }) => e.path)).toContain(path);
    await expect(createFlag(operator, env.key, breakIt(modelFlagDocument()) as never, ctx())).rejects.toMatchObject({ code: "invalid_input" });
    expect(await footprint(env.id)).toEqual(before);
  });

  test("a patch is validated merged: removing a variant a rule serves names the rule", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const before = await footprint(env.id);
    const res = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, {
      method: "PATCH",
      params: { key: flag.key },
      body: { variants: flag.variants.filter((v) => v.key !== "gpt-4.1") },
    });
    expect(res.status).toBe(400);
    expect(res.json.details.errors).toEqual([{ path: "rules.0.serve.variant", message: 'unknown variant "gpt-4.1"' }]);
    for (const body of [{ key: "renamed" }, { enabled: "yes" }, { expectedVersion: 0 }, { rules: [{ conditions: [], serve: {} }] }, { fallbackVarient: "safe" }]) {
      const bad = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, { method: "PATCH", params: { key: flag.key }, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.details.errors.length).toBeGreaterThan(0);
    }
    const notJson = await callRoute(patchRoute, manageKey, `/api/v1/flags/${flag.key}?environment=${env.key}`, { method: "PATCH", params: { key: flag.key }, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(await footprint(env.id)).toEqual(before);
  });

  test("a duplicate key is a 409 conflict", async () => {
    const doc = modelFlagDocument();
    await createFlag(operator, env.key, doc, ctx());
    const before = await footprint(env.id);
    const res = await callRoute(createRoute, manageKey, `/api/v1/flags?environment=${env.key}`, { method: "POST", body: doc });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: "conflict", details: { reason: "key_exists", field: "key" } });
    // The same key in another environment is another flag.
    expect((await createFlag(operator, other.key, doc, ctx())).flag.environment).toBe(other.key);
    expect(await footprint(env.id)).toEqual(before);
  });
});

describe("access", () => {
  test("a viewer reads but cannot change anything", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const before = await footprint(env.id);
    const attempts = [
      () => createFlag(viewer, env.key, modelFlagDocument(), ctx()),
      () => updateFlag(viewer, env.key, flag.key, { description: "mine" }, ctx()),
      () => archiveFlag(viewer, env.key, flag.key, ctx()),
      () => setKillSwitch(viewer, env.key, flag.key, { enabled: true, reason: "because" }, ctx()),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "forbidden" });
    expect(await footprint(env.id)).toEqual(before);
    expect((await getFlag(viewer, env.key, flag.key)).flag.id).toBe(flag.id);
    expect((await listFlags(viewer, { environment: env.key })).flags.length).toBeGreaterThan(0);
  });

  test("a manage key of another environment gets 403 for every endpoint, and nothing is written", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const before = await footprint(env.id);
    const q = `?environment=${env.key}`;
    const params = { key: flag.key };
    const answers = [
      await callRoute(listRoute, otherManageKey, `/api/v1/flags${q}`, { method: "GET" }),
      await callRoute(createRoute, otherManageKey, `/api/v1/flags${q}`, { method: "POST", body: modelFlagDocument() }),
      await callRoute(getRoute, otherManageKey, `/api/v1/flags/${flag.key}${q}`, { method: "GET", params }),
      await callRoute(patchRoute, otherManageKey, `/api/v1/flags/${flag.key}${q}`, { method: "PATCH", params, body: { description: "x" } }),
      await callRoute(archiveRoute, otherManageKey, `/api/v1/flags/${flag.key}${q}`, { method: "DELETE", params }),
      await callRoute(killSwitchRoute, otherManageKey, `/api/v1/flags/${flag.key}/kill-switch${q}`, { method: "POST", params, body: { enabled: true, reason: "x" } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(answers[0]!.json).toMatchObject({ code: "forbidden", detail: "This API key belongs to another environment." });
    expect(await footprint(env.id)).toEqual(before);
  });

  test("an unknown API key is a 401", async () => {
    const res = await callRoute(listRoute, `rg_${uid()}`, `/api/v1/flags?environment=${env.key}`, { method: "GET" });
    expect(res.status).toBe(401);
  });
});
