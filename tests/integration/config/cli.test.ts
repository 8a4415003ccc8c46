/**
 * The `rollgate` CLI against a running Rollgate (real HTTP server, real Postgres, the evaluator
 * on a 2 s interval), invoked as a subprocess: export → apply round trip is a no-op; an edited
 * default variant shows in diff (exit 2) and takes effect on apply; a concurrent edit between
 * diff and apply fails the apply whole; --dry-run changes nothing; the serving guard and
 * --force; prune; validation errors by file:line:col; rollout create/start/status/wait (0 for a
 * canary that completes, 3 for one the evaluator rolls back); evaluate; audit verify.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "@/lib/server/auth/api-keys";
import type { Actor } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";
import { createFlag } from "@/lib/server/services/flags";
import { createSlo } from "@/lib/server/services/slos/slos";
import { createWebhook } from "@/lib/server/services/webhooks";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment } from "../rollouts/fixtures";
import { MINUTE, addTraffic, minuteFloor } from "../automation/fixtures";
import { startAppServer, type AppServer } from "./app-server";
import { runCli } from "./cli";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let server: AppServer;
let admin: Actor;
const keys = { ci: "", dashboard: "", evaluate: "", admin: "" };
const names = { ci: "ci-pipeline", dashboard: "dashboard-bob" };
const dir = mkdtempSync(path.join(tmpdir(), "rollgate-cli-"));

async function apiKey(environmentId: string, name: string, scopes: ("manage" | "evaluate" | "admin")[]) {
  const key = generateApiKey();
  await db.apiKey.create({ data: { environmentId, name, prefix: key.prefix, keyHash: key.keyHash, scopes } });
  return key.key;
}

const cli = (args: string[], key = keys.ci) => runCli(args, { ROLLGATE_URL: server.url, ROLLGATE_API_KEY: key });
const flagRow = (key: string) => db.flag.findUniqueOrThrow({ where: { environmentId_key: { environmentId: env.id, key } } });
const auditCount = () => db.auditRecord.count({ where: { environmentId: env.id } });
const flagFile = (out: string, key: string) => path.join(out, `flag.${key}.yaml`);
const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
};

/** A port nothing listens on: one the OS just handed out and we closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const MODEL = (model: string) => ({ provider: "openai", model });

beforeAll(async () => {
  env = await createTestEnvironment("cac");
  admin = await createTestUser(["admin"]);
  // Rollouts left running by other files would be evaluated too; end them so ticks stay fast.
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] } }, data: { state: "aborted" } });
  keys.ci = await apiKey(env.id, names.ci, ["manage"]);
  keys.dashboard = await apiKey(env.id, names.dashboard, ["manage"]);
  keys.evaluate = await apiKey(env.id, "checkout-service", ["evaluate"]);
  keys.admin = await apiKey(env.id, "release-admin", ["admin"]);
  await createFlag(
    admin,
    env.key,
    {
      key: "support-bot.model",
      kind: "model",
      description: "Model behind the support bot",
      variants: [
        { key: "gpt-4o", payload: MODEL("gpt-4o") },
        { key: "gpt-4.1", payload: MODEL("gpt-4.1") },
        { key: "safe", payload: MODEL("gpt-4o-mini") },
      ],
      defaultVariant: "gpt-4o",
      fallbackVariant: "safe",
      rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "gpt-4.1" } }],
    },
    { requestId: "seed" },
  );
  await createSlo(admin, {
    environment: env.key,
    name: "support-bot availability",
    flagKey: "support-bot.model",
    successRateTarget: 0.995,
    windowDays: 28,
    latencyP95MsMax: 4000,
    policies: [{ on: "page", actions: ["freeze_promotions"] }],
  });
  await createWebhook(
    admin,
    { name: "release alerts", url: "https://hooks.slack.com/services/T000/B000/XXXXSECRET", events: ["rollout.rolled_back", "slo.alert"], active: true, environment: env.key },
    { requestId: "seed" },
  );
  server = await startAppServer({ evaluatorIntervalSeconds: 2 });
});

afterAll(async () => {
  await server?.close();
});

/** Each test runs the CLI several times; on a loaded 2-core machine one run can take seconds. */
const SLOW = { timeout: 240_000 };

describe("config as code", SLOW, () => {
  const out = path.join(dir, "export");

  test("export → diff → apply of the export is a no-op (exit 0, nothing written); secrets never exported", async () => {
    const exported = await cli(["export", "--env", env.key, "-o", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["flag.support-bot.model.yaml", "slo.support-bot-availability.yaml", "webhook.release-alerts.yaml"]);
    const hook = readFileSync(path.join(out, "webhook.release-alerts.yaml"), "utf8");
    expect(hook).toContain("url: https://hooks.slack.com/services/***");
    expect(hook).not.toContain("XXXXSECRET");
    expect(hook).not.toMatch(/secret:/);

    const before = { audits: await auditCount(), version: (await flagRow("support-bot.model")).version };
    const diff = await cli(["diff", "-f", out]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/computed against configuration version \d+/);
    expect(diff.stdout).toContain("No changes (3 resources up to date).");
    const apply = await cli(["apply", "-f", out]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await auditCount()).toBe(before.audits);
    expect((await flagRow("support-bot.model")).version).toBe(before.version);
  });

  test("an edited default variant shows in diff (exit 2), --dry-run changes nothing, apply makes evaluation serve it, audited as the key", async () => {
    edit(flagFile(out, "support-bot.model"), "defaultVariant: gpt-4o", "defaultVariant: gpt-4.1");
    const diff = await cli(["diff", "-f", out]);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain('~ Flag support-bot.model (version 1)\n    defaultVariant: "gpt-4o" → "gpt-4.1"');
    expect(diff.stdout).toContain("1 change, 2 unchanged.");

    const before = { audits: await auditCount(), flag: await flagRow("support-bot.model") };
    const dry = await cli(["apply", "-f", out, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Dry run: nothing was changed.");
    expect(await auditCount()).toBe(before.audits);
    expect(await flagRow("support-bot.model")).toEqual(before.flag);

    const evaluateBefore = await cli(["evaluate", "support-bot.model", "--context", "userId=u-1"], keys.evaluate);
    expect(evaluateBefore.stdout).toMatch(/^support-bot\.model → gpt-4o \(DEFAULT\)/);

    const apply = await cli(["apply", "-f", out, "--comment", "promote gpt-4.1 to default"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Applied 1 change to");
    const after = await flagRow("support-bot.model");
    expect(after).toMatchObject({ defaultVariant: "gpt-4.1", version: 2 });
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: after.id }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ action: "flag.update", actorType: "api_key", actorLabel: names.ci });
    expect(audit.context).toMatchObject({ changed: ["defaultVariant"], comment: "promote gpt-4.1 to default" });

    const evaluated = await cli(["evaluate", "support-bot.model", "--context", "userId=u-1"], keys.evaluate);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/^support-bot\.model → gpt-4\.1 \(DEFAULT\) at configuration version \d+/);
    expect((await cli(["diff", "-f", out])).code).toBe(0);
  });

  test("a concurrent dashboard edit between diff and apply fails the apply whole, naming who changed what", async () => {
    edit(flagFile(out, "support-bot.model"), "description: Model behind the support bot", "description: Support bot model (owned by CI)");
    edit(path.join(out, "slo.support-bot-availability.yaml"), "successRateTarget: 0.995", "successRateTarget: 0.99");
    const plan = path.join(dir, "plan.json");
    const diff = await cli(["diff", "-f", out, "--save-plan", plan]);
    expect(diff.code, diff.stderr).toBe(2);

    // Someone edits the flag through the flags API meanwhile.
    const patch = await fetch(`${server.url}/api/v1/flags/support-bot.model?environment=${env.key}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${keys.dashboard}`, "content-type": "application/json" },
      body: JSON.stringify({ fallbackVariant: "gpt-4o" }),
    });
    expect(patch.status).toBe(200);
    const audits = await auditCount();
    const sloBefore = await db.slo.findFirstOrThrow({ where: { environmentId: env.id } });

    const apply = await cli(["apply", "-f", out, "--plan", plan]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("409 conflict: the configuration changed since the plan, so nothing was applied");
    expect(apply.stderr).toMatch(new RegExp(`Flag/support-bot\\.model: changed by ${names.dashboard} at \\S+ \\(flag\\.update: fallbackVariant\\); version 2 → 3`));
    // Whole: the SLO part of the plan was not written either.
    expect(await auditCount()).toBe(audits);
    expect((await db.slo.findFirstOrThrow({ where: { environmentId: env.id } })).successRateTarget).toBe(sloBefore.successRateTarget);
    expect((await flagRow("support-bot.model")).description).toBe("Model behind the support bot");

    // Re-planned, the apply goes through (and puts the fallback back, as the files say).
    const again = await cli(["apply", "-f", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('fallbackVariant: "gpt-4o" → "safe"');
    expect(again.stdout).toContain("Applied 2 changes");
    expect((await db.slo.findFirstOrThrow({ where: { environmentId: env.id } })).successRateTarget).toBe(0.99);
  });

  test("validation errors name file, line and column — from the schema and from the server", async () => {
    const bad = path.join(dir, "bad");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, "flag.yaml"),
      [
        "apiVersion: rollgate.dev/v1",
        "kind: Flag",
        "metadata:",
        `  environment: ${env.key}`,
        "  key: typo.model",
        "spec:",
        "  variants:",
        "    - key: a",
        "      payload: {}",
        "  defaultVarient: a",
        "  fallbackVariant: a",
        "",
      ].join("\n"),
    );
    const schema = await cli(["diff", "-f", bad]);
    expect(schema.code).toBe(1);
    expect(schema.stderr).toContain("flag.yaml:7:3: spec must have required property 'defaultVariant'");
    expect(schema.stderr).toContain('flag.yaml:7:3: spec must NOT have additional properties "defaultVarient"');

    edit(path.join(bad, "flag.yaml"), "defaultVarient: a", "defaultVariant: b");
    const server = await cli(["diff", "-f", bad]);
    expect(server.code).toBe(1);
    expect(server.stderr).toContain("400 invalid_input: 1 invalid field");
    expect(server.stderr).toMatch(/flag\.yaml:10:19: Flag typo\.model: spec\.defaultVariant: unknown variant "b"/);
  });

  test("--prune deletes what the files no longer name, and diff says so first", async () => {
    await createSlo(admin, { environment: env.key, name: "made by hand", successRateTarget: 0.9, windowDays: 7, policies: [] });
    const diff = await cli(["diff", "-f", out, "--prune"]);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain("- SLO made by hand (version ");
    expect(diff.stdout).toContain("delete: the files no longer name it (--prune)");
    expect((await cli(["diff", "-f", out])).code).toBe(0);
    const apply = await cli(["apply", "-f", out, "--prune"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await db.slo.count({ where: { environmentId: env.id, name: "made by hand" } })).toBe(0);
  });

  test("a manage key cannot apply webhooks; the error names the scope", async () => {
    edit(path.join(out, "webhook.release-alerts.yaml"), "- slo.alert", "- slo.alert\n    - flag.kill_switch");
    const denied = await cli(["apply", "-f", out]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Missing permission "webhook.manage": use an API key with the "admin" scope.');
    const ok = await cli(["apply", "-f", out], keys.admin);
    expect(ok.code, ok.stderr).toBe(0);
    const hook = await db.webhook.findFirstOrThrow({ where: { environmentId: env.id } });
    expect(hook.url).toBe("https://hooks.slack.com/services/T000/B000/XXXXSECRET");
    expect([...hook.events].sort()).toEqual(["flag.kill_switch", "rollout.rolled_back", "slo.alert"]);
  });
});

describe("rollouts from a pipeline", SLOW, () => {
  const files = path.join(dir, "rollouts");

  function flagDoc(key: string) {
    return `apiVersion: rollgate.dev/v1
kind: Flag
metadata: { environment: ${env.key}, key: ${key} }
spec:
  kind: model
  variants:
    - { key: gpt-4o, payload: { provider: openai, model: gpt-4o } }
    - { key: gpt-4.1, payload: { provider: openai, model: gpt-4.1 } }
  defaultVariant: gpt-4o
  fallbackVariant: gpt-4o
`;
  }

  function planDoc(key: string, gates: string, autoAdvance: boolean) {
    return `apiVersion: rollgate.dev/v1
kind: RolloutPlan
metadata: { environment: ${env.key}, name: ${key} canary }
spec:
  flagKey: ${key}
  strategy: canary
  controlVariant: gpt-4o
  treatmentVariant: gpt-4.1
  autoAdvance: ${autoAdvance}
  stages:
    - { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 0, gates: ${gates} }
    - { trafficBasisPoints: 10000, minBakeSeconds: 0, minSamplesPerArm: 0, gates: [] }
`;
  }

  beforeAll(async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(files);
    writeFileSync(path.join(files, "flags.yaml"), `${flagDoc("triage.model")}---\n${flagDoc("summary.model")}`);
    writeFileSync(path.join(files, "triage.rollout.yaml"), planDoc("triage.model", "[{ name: success rate, kind: comparison, metric: success_rate, critical: true, minSamples: 100 }]", false));
    writeFileSync(path.join(files, "summary.rollout.yaml"), planDoc("summary.model", "[]", true));
    const apply = await cli(["apply", "-f", files, "--env", env.key]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain("is not applied; run it with `rollgate rollout create -f`");
  });

  test("rollout wait exits 3 for a canary the evaluator rolls back", async () => {
    const created = await cli(["rollout", "create", "-f", path.join(files, "triage.rollout.yaml")]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created canary rollout [0-9a-f-]{36} of triage\.model in \S+ \(draft\): /);
    const started = await cli(["rollout", "start", "triage.model", "--env", env.key, "--comment", "from CI"]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain("is running, stage 1/2");

    // The treatment fails 8% of calls against 1% for control, over the last five minutes.
    const rollout = await db.rollout.findFirstOrThrow({ where: { environmentId: env.id, flag: { key: "triage.model" } } });
    const stageStart = new Date(minuteFloor(Date.now()).getTime() - 7 * MINUTE);
    await db.rollout.update({ where: { id: rollout.id }, data: { stageStartedAt: stageStart, startedAt: stageStart } });
    await db.rolloutStage.updateMany({ where: { rolloutId: rollout.id, index: 0 }, data: { startedAt: stageStart } });
    await addTraffic(rollout.id, new Date(stageStart.getTime() + MINUTE), 5, { count: 400, successes: 396, latencyMs: 900 }, { count: 100, successes: 92, latencyMs: 950 });

    const wait = await cli(["rollout", "wait", "triage.model", "--env", env.key, "--until", "completed", "--timeout", "60s", "--interval", "1s"]);
    expect(wait.code, wait.stderr).toBe(3);
    expect(wait.stdout).toMatch(/was rolled back: Rolled back at \d\d:\d\d UTC: treatment success rate 92\.0% vs 99\.0%/);

    const status = await cli(["rollout", "status", rollout.id]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("State:  rolled back");
    expect(status.stdout).toMatch(/FAIL\s+success rate \(critical\): /);
  });

  test("rollout wait exits 0 for a canary that completes; wait times out with 4", async () => {
    const created = await cli(["rollout", "create", "-f", path.join(files, "summary.rollout.yaml")]);
    expect(created.code, created.stderr).toBe(0);
    const id = /rollout ([0-9a-f-]{36})/.exec(created.stdout)![1];
    const timeout = await cli(["rollout", "wait", id, "--until", "stage=1", "--timeout", "1s", "--interval", "1s"]);
    expect(timeout.code).toBe(4);
    expect(timeout.stdout).toContain("Timed out after 1s waiting for stage=1");

    expect((await cli(["rollout", "start", id])).code).toBe(0);
    const wait = await cli(["rollout", "wait", id, "--until", "completed", "--timeout", "60s", "--interval", "1s"]);
    expect(wait.code, wait.stderr).toBe(0);
    expect(wait.stdout).toContain(`Rollout ${id} completed: gpt-4.1 serves 100%.`);
    expect((await db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe("completed");
  });

  test("apply refuses to change a flag's serving under a live rollout; --force needs an admin key", async () => {
    const created = await cli(["rollout", "create", "-f", path.join(files, "triage.rollout.yaml")]);
    expect(created.code, created.stderr).toBe(0);
    expect((await cli(["rollout", "start", "triage.model", "--env", env.key])).code).toBe(0);
    edit(path.join(files, "flags.yaml"), "defaultVariant: gpt-4o\n  fallbackVariant: gpt-4o\n---", "defaultVariant: gpt-4.1\n  fallbackVariant: gpt-4o\n---");
    const refused = await cli(["apply", "-f", files]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/409 conflict: Flag "triage\.model" has a running rollout \([0-9a-f-]{36}\): its serving is the rollout's to change/);
    const forcedByManage = await cli(["apply", "-f", files, "--force"]);
    expect(forcedByManage.code).toBe(1);
    expect(forcedByManage.stderr).toContain('Missing permission "rollout.skip_analysis": use an API key with the "admin" scope.');
    expect((await flagRow("triage.model")).defaultVariant).toBe("gpt-4o");
    const forced = await cli(["apply", "-f", files, "--force"], keys.admin);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await flagRow("triage.model")).defaultVariant).toBe("gpt-4.1");
    const aborted = await cli(["rollout", "abort", "triage.model", "--env", env.key, "--comment", "done testing"]);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stdout).toContain("is aborted");
  });

  test("audit verify with an admin key; a manage key is told the scope it lacks", async () => {
    const ok = await cli(["audit", "verify"], keys.admin);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Audit chain valid: \d+ records\./);
    const denied = await cli(["audit", "verify"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Missing permission "audit.read": use an API key with the "admin" scope.');
  });

  test("network failures and bad keys are clear errors", async () => {
    const closed = await closedPort();
    const down = await runCli(["export", "--env", env.key], { ROLLGATE_URL: `http://127.0.0.1:${closed}`, ROLLGATE_API_KEY: keys.ci });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`Cannot reach Rollgate at http://127.0.0.1:${closed} (ECONNREFUSED). Is it running? Set ROLLGATE_URL or --url.`);
    const bad = await cli(["export", "--env", env.key], "rg_not-a-key");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("401 unauthenticated: Unknown or revoked API key.");
  });
});
