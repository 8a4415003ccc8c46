/**
 * Flags driven through the dashboard in Chromium: an operator creates a model flag with two
 * variants (a JSON typo and a server field error shown at the payload on the way), adds a
 * `tier = enterprise` rule, checks it in the tester, engages the kill switch with a reason (the
 * tester and the evaluation API then give every context the fallback with KILL_SWITCH) and
 * turns it off again. A viewer sees the flag with every edit control disabled, and the API
 * refuses the viewer's PATCH.
 */
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { expect, signInViaUi, test, type TestUser } from "../fixtures";

const ENV = "production";
const OLD = "gpt-4o";
const NEW = "gpt-4.1";
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function createEvaluateKey(admin: APIRequestContext): Promise<string> {
  const res = await admin.post("/api/v1/api-keys", { data: { environment: ENV, name: `e2e flags evaluate ${uid()}`, scopes: ["evaluate"] } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

/** What the evaluation API serves `context` for `flagKey`. */
async function evaluate(request: APIRequestContext, apiKey: string, flagKey: string, context: Record<string, string>) {
  const res = await request.post("/api/v1/evaluate", { headers: { authorization: `Bearer ${apiKey}` }, data: { context, flags: [flagKey] } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { flags: Record<string, { variant: string; reason: string }> };
  const { variant, reason } = body.flags[flagKey]!;
  return { variant, reason };
}

const CONTEXTS: Record<string, string>[] = [{ userId: "u-1", tier: "enterprise" }, { userId: "u-2", tier: "free" }, { userId: "u-3" }, { sessionId: "s-9", tier: "enterprise" }];

async function pageAs(browser: Browser, baseURL: string | undefined, user: TestUser): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInViaUi(page, user.email, user.password);
  return page;
}

/** Runs the tester with `tier` (or without it) and expects `variant` for `reason`; retried while the snapshot catches up. */
async function expectTester(page: Page, tier: string | null, variant: string, reason: string): Promise<void> {
  const tester = page.getByTestId("tester");
  await tester.getByLabel("Context attribute 2", { exact: true }).fill(tier === null ? "" : "tier");
  await tester.getByLabel("Context value 2", { exact: true }).fill(tier ?? "");
  await expect(async () => {
    await tester.getByTestId("tester-run").click();
    const result = tester.getByTestId("tester-result");
    await expect(result).toHaveAttribute("data-variant", variant, { timeout: 2_000 });
    await expect(result).toHaveAttribute("data-reason", reason, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(tester.getByTestId("tester-reason")).toHaveText(reason);
  await expect(tester.getByTestId("tester-payload")).toContainText(`"model": "${variant}"`);
}

test("an operator creates a model flag with a rule, tests it, engages and releases the kill switch", async ({ adminApi, makeUser, browser, baseURL, request }) => {
  test.setTimeout(120_000);
  const flagKey = `e2e-flags-${uid()}.model`;
  const evaluateKey = await createEvaluateKey(adminApi.request);
  const operator = await makeUser(["operator"]);
  const op = await pageAs(browser, baseURL, operator);

  // Create the flag in the dialog.
  await op.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Flags", exact: true }).click();
  await expect(op.getByRole("heading", { level: 1, name: "Flags" })).toBeVisible();
  await op.getByTestId("new-flag").first().click();
  const dialog = op.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: /New flag/ })).toBeVisible();
  await dialog.getByLabel("Flag key").fill(flagKey);
  await expect(dialog.getByLabel("Kind")).toHaveValue("model");
  await expect(dialog.getByLabel("Variant 1 payload")).toHaveValue(/"provider": "openai"/); // the model template
  await dialog.getByLabel("Flag description").fill("Model behind the support bot");
  await dialog.getByLabel("Variant 1 key").fill(OLD);
  await dialog.getByLabel("Variant 1 payload").fill(`{"provider":"openai","model":"${OLD}"`);
  await expect(dialog.getByLabel("Variant 1 payload")).toHaveAccessibleDescription(/Not valid JSON/);
  await dialog.getByLabel("Variant 1 payload").fill(`{"provider":"openai","model":"${OLD}","params":{"temperature":0.2}}`);
  await expect(dialog.getByLabel("Variant 1 payload")).not.toHaveAccessibleDescription(/Not valid JSON/);
  await dialog.getByRole("button", { name: "Add variant" }).click();
  await dialog.getByLabel("Variant 2 key").fill(NEW);
  // A model payload without "model": the server's 400 names variants.1.payload.model, shown at that payload.
  await dialog.getByLabel("Variant 2 payload").fill(`{"provider":"openai"}`);
  await expect(dialog.getByLabel("Default variant")).toHaveValue(OLD);
  await expect(dialog.getByLabel("Fallback variant")).toHaveValue(OLD);
  await expect(dialog.getByLabel("Stickiness")).toHaveValue("userId");
  await dialog.getByTestId("create-flag-submit").click();
  await expect(dialog.getByLabel("Variant 2 payload")).toHaveAccessibleDescription(/^model: /);
  await dialog.getByLabel("Variant 2 payload").fill(`{"provider":"openai","model":"${NEW}","params":{"temperature":0.2}}`);
  await dialog.getByTestId("create-flag-submit").click();

  await expect(op).toHaveURL(new RegExp(`/flags/${flagKey.replace(/\./g, "\\.")}`));
  await expect(op.getByRole("heading", { level: 1, name: flagKey })).toBeVisible();
  await expect(op.getByTestId("variant")).toHaveCount(2);
  await expect(op.getByTestId("flag-state")).toHaveAttribute("data-enabled", "true");

  // A rule: tier = enterprise → the new model.
  await op.getByTestId("add-rule").click();
  await op.getByLabel("Rule 1 condition 1 attribute").fill("tier");
  await expect(op.getByLabel("Rule 1 condition 1 operator")).toHaveValue("eq");
  const operators = await op
    .getByLabel("Rule 1 condition 1 operator")
    .locator("option")
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(operators).toEqual(["eq", "neq", "in", "not_in", "contains", "starts_with", "ends_with", "lt", "lte", "gt", "gte", "semver_gt", "semver_lt", "exists"]);
  await op.getByLabel("Rule 1 condition 1 value", { exact: true }).fill("enterprise");
  await expect(op.getByLabel("Rule 1 serves")).toHaveValue("variant");
  await op.getByLabel("Rule 1 variant").selectOption(NEW);
  await op.getByLabel("Rule 1 description").fill("Enterprise customers get the new model");
  await op.getByTestId("flag-save").click();
  await expect(op.getByTestId("flag-notice")).toContainText("Saved");
  await expect(op.getByTestId("save-bar")).toContainText("All changes saved");

  // The tester: enterprise gets the new model by the rule, everyone else the default.
  await expectTester(op, "enterprise", NEW, "TARGETING_MATCH");
  await expect(op.getByTestId("tester-rule")).toContainText("Rule 1");
  await expectTester(op, "free", OLD, "DEFAULT");
  await expectTester(op, null, OLD, "DEFAULT");
  expect(await evaluate(request, evaluateKey, flagKey, CONTEXTS[0]!)).toEqual({ variant: NEW, reason: "TARGETING_MATCH" });

  // The kill switch: the confirmation names the effect and needs a reason.
  await op.getByTestId("kill-switch-engage").click();
  const kill = op.getByRole("dialog");
  await expect(kill.getByTestId("kill-switch-effect")).toContainText(`Everyone gets ${OLD} now.`);
  await expect(kill.getByTestId("kill-switch-confirm")).toBeDisabled();
  await kill.getByTestId("kill-switch-reason").fill("gpt-4.1 answers in the wrong language");
  await kill.getByTestId("kill-switch-confirm").click();
  await expect(kill).toBeHidden();
  await expect(op.getByTestId("kill-switch-banner")).toContainText(`everyone gets ${OLD}`);
  await expect(op.getByTestId("kill-switch-banner")).toContainText("gpt-4.1 answers in the wrong language");
  await expect(op.getByTestId("flag-state")).toHaveAttribute("data-kill-switch", "true");

  await expectTester(op, "enterprise", OLD, "KILL_SWITCH");
  await expectTester(op, "free", OLD, "KILL_SWITCH");
  await expect.poll(() => Promise.all(CONTEXTS.map((c) => evaluate(request, evaluateKey, flagKey, c))), { timeout: 5_000 }).toEqual(CONTEXTS.map(() => ({ variant: OLD, reason: "KILL_SWITCH" })));

  // The list shows it prominently.
  await op.getByRole("link", { name: "Flags", exact: true }).first().click();
  await expect(op.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`).getByTestId("kill-switch-badge")).toBeVisible();
  await op.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`).getByRole("link", { name: flagKey }).click();

  // Turning it off restores the rules.
  await op.getByTestId("kill-switch-off").click();
  await expect(op.getByRole("dialog").getByTestId("kill-switch-effect")).toContainText("decide again");
  await op.getByRole("dialog").getByTestId("kill-switch-confirm").click();
  await expect(op.getByTestId("kill-switch-banner")).toHaveCount(0);
  await expectTester(op, "enterprise", NEW, "TARGETING_MATCH");
  await expect
    .poll(() => Promise.all(CONTEXTS.map((c) => evaluate(request, evaluateKey, flagKey, c))), { timeout: 5_000 })
    .toEqual([
      { variant: NEW, reason: "TARGETING_MATCH" },
      { variant: OLD, reason: "DEFAULT" },
      { variant: OLD, reason: "DEFAULT" },
      { variant: NEW, reason: "TARGETING_MATCH" },
    ]);

  // Every change is in the audit trail.
  const flagId = ((await (await adminApi.request.get(`/api/v1/flags/${flagKey}?environment=${ENV}`)).json()) as { flag: { id: string } }).flag.id;
  const audit = await adminApi.request.get(`/api/v1/audit?resourceId=${encodeURIComponent(flagId)}`);
  expect(audit.status()).toBe(200);
  const actions = ((await audit.json()) as { records: { action: string }[] }).records.map((r) => r.action);
  expect(actions).toEqual(expect.arrayContaining(["flag.create", "flag.update", "flag.kill_switch", "flag.kill_switch_off"]));

  // Someone else changes the flag while the operator edits: the save is refused and a reload offered.
  await op.getByLabel("Variant 2 description").fill("the new model");
  const elsewhere = await adminApi.request.patch(`/api/v1/flags/${flagKey}?environment=${ENV}`, { data: { description: "Changed elsewhere" } });
  expect(elsewhere.status(), await elsewhere.text()).toBe(200);
  await op.getByTestId("flag-save").click();
  await expect(op.getByTestId("save-conflict")).toContainText("Someone else changed this flag");
  await op.getByTestId("flag-reload").click();
  await expect(op.getByLabel("Variant 2 description")).toHaveValue("");
  await expect(op.getByRole("main")).toContainText("Changed elsewhere");
  await expect(op.getByTestId("save-bar")).toContainText("All changes saved");

  // Archive: gone from the list, still listed under "Show archived".
  await op.getByTestId("flag-archive").click();
  await op.getByRole("dialog").getByRole("button", { name: "Archive flag" }).click();
  await expect(op).toHaveURL(/\/flags(\?|$)/);
  await expect(op.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`)).toHaveCount(0);
  await op.getByTestId("show-archived").check();
  await expect(op.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`)).toContainText("Archived");
  await op.context().close();
});

test("a viewer sees a flag read-only and the API refuses the viewer's edit", async ({ adminApi, makeUser, apiAs, browser, baseURL }) => {
  const flagKey = `e2e-flags-viewer-${uid()}.model`;
  const created = await adminApi.request.post("/api/v1/flags", {
    data: {
      environment: ENV,
      key: flagKey,
      kind: "model",
      variants: [
        { key: OLD, payload: { provider: "openai", model: OLD } },
        { key: NEW, payload: { provider: "openai", model: NEW } },
      ],
      defaultVariant: OLD,
      fallbackVariant: OLD,
      rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: NEW } }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const viewer = await makeUser(["viewer"]);
  const page = await pageAs(browser, baseURL, viewer);

  await page.goto("/flags");
  await expect(page.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`)).toBeVisible();
  // The action is there, disabled, with the reason as text beside it, not a tooltip.
  await expect(page.getByTestId("new-flag")).toBeDisabled();
  await expect(page.getByTestId("new-flag-disabled-reason")).toBeVisible();
  await expect(page.getByTestId("new-flag")).toHaveAccessibleDescription("Creating flags: needs the operator or admin role.");
  await page.locator(`[data-testid="flag-row"][data-flag="${flagKey}"]`).getByRole("link", { name: flagKey }).click();
  await expect(page.getByRole("heading", { level: 1, name: flagKey })).toBeVisible();
  await expect(page.getByTestId("read-only-note")).toBeVisible();

  await expect(page.getByLabel("Variant 1 key")).toBeDisabled();
  await expect(page.getByLabel("Variant 2 payload")).toBeDisabled();
  await expect(page.getByLabel("Rule 1 condition 1 attribute")).toHaveValue("tier");
  await expect(page.getByLabel("Rule 1 condition 1 value", { exact: true })).toBeDisabled();
  await expect(page.getByTestId("add-rule")).toBeDisabled();
  await expect(page.getByLabel("Default variant")).toBeDisabled();
  await expect(page.getByLabel("Enabled")).toBeDisabled();
  await expect(page.getByTestId("kill-switch-engage")).toBeDisabled();
  await expect(page.getByTestId("kill-switch-disabled-reason")).toHaveText("Needs the operator or admin role.");
  await expect(page.getByTestId("kill-switch-engage")).toHaveAccessibleDescription("Needs the operator or admin role.");
  await expect(page.getByTestId("flag-archive")).toBeDisabled();
  await expect(page.getByTestId("flag-archive")).toHaveAccessibleDescription("Needs the operator or admin role.");
  await expect(page.getByTestId("flag-save")).toHaveCount(0);

  // Looking is allowed: the tester works for a viewer.
  await expectTester(page, "enterprise", NEW, "TARGETING_MATCH");

  const viewerApi = await apiAs(viewer);
  const patch = await viewerApi.request.patch(`/api/v1/flags/${flagKey}?environment=${ENV}`, { data: { enabled: false } });
  expect(patch.status()).toBe(403);
  expect(await patch.json()).toMatchObject({ code: "forbidden" });
  const kill = await viewerApi.request.post(`/api/v1/flags/${flagKey}/kill-switch?environment=${ENV}`, { data: { enabled: true, reason: "viewer" } });
  expect(kill.status()).toBe(403);
  const after = (await (await viewerApi.request.get(`/api/v1/flags/${flagKey}?environment=${ENV}`)).json()) as { flag: { enabled: boolean; killSwitch: boolean; version: number } };
  expect(after.flag).toMatchObject({ enabled: true, killSwitch: false, version: 1 });
  await page.context().close();
});
