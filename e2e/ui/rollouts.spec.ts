/**
 * A canary of a model flag driven through the dashboard in Chromium: an operator creates it in
 * the wizard and promotes it; a gated stage waits; the operator cannot approve their own
 * promotion; a reviewer approves; the operator rolls back from 25% and the evaluation API serves
 * control to everyone at once; a viewer sees every action disabled and the API refuses them.
 */
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { expect, signInViaUi, test, type TestUser } from "../fixtures";
import { createApiKey, createModelFlag, uid } from "../helpers/service";

const ENV = "production";
const CONTROL = "gpt-4o";
const TREATMENT = "gpt-4.1";
const USERS = Array.from({ length: 400 }, (_, i) => `u-${i}`);
/** How many of USERS the evaluation API serves each variant right now. */
async function variantCounts(request: APIRequestContext, key: string, flagKey: string): Promise<Record<string, number>> {
  const variants = await Promise.all(
    USERS.map(async (userId) => {
      const res = await request.post("/api/v1/evaluate", { headers: { authorization: `Bearer ${key}` }, data: { context: { userId }, flags: [flagKey] } });
      expect(res.status()).toBe(200);
      return ((await res.json()) as { flags: Record<string, { variant: string }> }).flags[flagKey]!.variant;
    }),
  );
  const counts: Record<string, number> = {};
  for (const v of variants) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

async function pageAs(browser: Browser, baseURL: string | undefined, user: TestUser): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInViaUi(page, user.email, user.password);
  return page;
}

/** Clicks a command, checks the confirmation names its effect, optionally comments, confirms. */
async function runCommand(page: Page, command: string, effect: string | RegExp, comment?: string): Promise<void> {
  await page.getByTestId(`command-${command}`).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("command-effect")).toHaveText(effect);
  if (comment) await dialog.getByTestId("command-comment").fill(comment);
  await dialog.getByTestId("confirm-command").click();
  await expect(dialog).toBeHidden();
}

test("canary from the wizard: promote, wait for approval, four-eyes, reviewer approves, roll back from 25% to control for everyone", async ({
  adminApi,
  makeUser,
  apiAs,
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  const flagKey = `e2e-canary-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const evaluateKey = await createApiKey(adminApi.request, ["evaluate"]);
  const [operator, reviewer] = await Promise.all([makeUser(["operator"]), makeUser(["reviewer"])]);

  // The operator creates the canary in the wizard.
  const op = await pageAs(browser, baseURL, operator);
  await op.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rollouts", exact: true }).click();
  await op.getByRole("link", { name: "New rollout" }).first().click();
  await expect(op.getByRole("heading", { level: 1, name: "New rollout" })).toBeVisible();
  await op.getByTestId("wizard-flag").selectOption(flagKey);
  await op.getByTestId("wizard-next").click();
  await expect(op.getByTestId("wizard-treatment")).toHaveValue(TREATMENT);
  await op.getByTestId("wizard-next").click();
  await op.getByTestId("strategy-canary").click();
  await expect(op.getByTestId("strategy-canary")).toHaveAttribute("aria-checked", "true");
  await op.getByTestId("wizard-next").click();

  // Edit the template: 1% → 5% (needs a reviewer to leave) → 25% → 50% → 100%, no bake, no minimum samples.
  const rows = op.getByTestId("stage-row");
  await expect(rows).toHaveCount(5);
  for (let n = 1; n <= 5; n++) {
    await op.getByLabel(`Stage ${n} bake time`).fill("0");
    await op.getByLabel(`Stage ${n} minimum samples per arm`).fill("0");
  }
  await op.getByLabel("Stage 3 requires approval").uncheck();
  await op.getByLabel("Stage 2 requires approval").check();
  await expect(op.getByTestId("plan-error")).toHaveCount(0);
  await op.getByTestId("wizard-next").click();
  await expect(op.getByTestId("wizard-review")).toContainText("stage 2 (5%) · bake 0 s · 100 samples per arm · needs approval");
  await op.getByTestId("wizard-create-start").click();

  await expect(op).toHaveURL(/\/rollouts\/[0-9a-f-]{36}/);
  const rolloutId = /\/rollouts\/([0-9a-f-]{36})/.exec(op.url())![1]!;
  await expect(op.getByTestId("rollout-state")).toHaveAttribute("data-state", "running");
  await expect(op.getByTestId("traffic-split")).toHaveAttribute("data-treatment-bp", "100");
  await expect(op.locator('[data-testid="stage"][data-status="current"]')).toHaveAttribute("data-index", "0");

  // 1% → 5%.
  await runCommand(op, "promote", `Promote: ${TREATMENT} goes from 1% to 5% of traffic now.`, "1% healthy");
  await expect(op.getByTestId("traffic-split")).toHaveAttribute("data-treatment-bp", "500");
  await expect(op.locator('[data-testid="stage"][data-status="done"]')).toHaveCount(1);

  // Leaving 5% needs a reviewer: the promotion waits.
  await runCommand(op, "promote", "Request approval: leaving stage 2 (5%) needs a reviewer's approval; the split stays as it is until then.");
  await expect(op.getByTestId("rollout-state")).toHaveAttribute("data-state", "awaiting_approval");
  await expect(op.getByTestId("traffic-split")).toHaveAttribute("data-treatment-bp", "500");
  await expect(op.getByTestId("requested-by")).toContainText(operator.email);

  // The operator cannot approve their own promotion: the button is disabled and the API refuses.
  await expect(op.getByTestId("command-approve")).toBeDisabled();
  await expect(op.getByTestId("command-approve")).toHaveAccessibleDescription(/reviewer/);
  await expect(op.getByTestId("disabled-reasons").filter({ hasText: /reviewer/ })).toBeVisible();
  const opApi = await apiAs(operator);
  const selfApprove = await opApi.request.post(`/api/v1/rollouts/${rolloutId}/approve`, { data: {} });
  expect([403, 409]).toContain(selfApprove.status());
  expect((await selfApprove.json()).code).toBe("forbidden");

  // The reviewer sees it on the overview and approves; the rollout moves to 25%.
  const rv = await pageAs(browser, baseURL, reviewer);
  await expect(rv.locator(`[data-testid="pending-approval"][data-flag="${flagKey}"]`)).toBeVisible();
  await rv.locator(`[data-testid="pending-approval"][data-flag="${flagKey}"]`).getByRole("link", { name: "Review" }).click();
  await rv.waitForURL(/\/rollouts\/[0-9a-f-]{36}/);
  await expect(rv.getByTestId("rollout-state")).toHaveAttribute("data-state", "awaiting_approval");
  await expect(rv.getByTestId("command-approve")).toBeEnabled();
  await expect(rv.getByTestId("command-rollback")).toBeDisabled();
  await runCommand(rv, "approve", `Approve: ${TREATMENT} goes from 5% to 25% of traffic now.`, "error rate and p95 unchanged");
  await expect(rv.getByTestId("rollout-state")).toHaveAttribute("data-state", "running");
  await expect(rv.getByTestId("approval-decisions")).toContainText(reviewer.email);

  // The operator's screen follows on its own (live refresh), at 25%.
  await expect(op.getByTestId("traffic-split")).toHaveAttribute("data-treatment-bp", "2500", { timeout: 15_000 });
  const at25 = await variantCounts(request, evaluateKey, flagKey);
  expect(at25[TREATMENT] ?? 0).toBeGreaterThan(40); // ≈ 100 of 400
  expect(at25[TREATMENT] ?? 0).toBeLessThan(170);

  // Roll back from 25%: everyone is served control at once.
  await runCommand(op, "rollback", `Roll back: 25% of traffic returns to ${CONTROL} now.`, "p99 latency up 40%");
  await expect(op.getByTestId("rollout-state")).toHaveAttribute("data-state", "rolled_back");
  await expect(op.getByTestId("traffic-split")).toHaveAttribute("data-treatment-bp", "0");
  await expect(op.getByTestId("no-actions")).toBeVisible();
  // "At once": a command answers only after this instance serves it (read-your-writes), so the
  // very next evaluations, with no wait or retry, all get control.
  expect(await variantCounts(request, evaluateKey, flagKey)).toEqual({ [CONTROL]: USERS.length });

  // The history tells who did what and why.
  const history = op.getByTestId("history-item");
  await expect(history.first()).toContainText("Rolled back: 25% of traffic returns to control");
  await expect(history.first()).toContainText("p99 latency up 40%");
  await expect(op.locator('[data-testid="history-item"][data-command="approve"]')).toContainText(reviewer.email);
  await expect(op.locator('[data-testid="history-item"][data-command="approve"]')).toContainText("error rate and p95 unchanged");

  await op.context().close();
  await rv.context().close();
});

test("a viewer sees every action disabled and the API refuses them", async ({ adminApi, makeUser, apiAs, browser, baseURL }) => {
  const flagKey = `e2e-viewer-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const [operator, viewer] = await Promise.all([makeUser(["operator"]), makeUser(["viewer"])]);
  const opApi = await apiAs(operator);
  const created = await opApi.request.post("/api/v1/rollouts", {
    data: {
      environment: ENV,
      flagKey,
      strategy: "canary",
      controlVariant: CONTROL,
      treatmentVariant: TREATMENT,
      stages: [
        { trafficBasisPoints: 100, minBakeSeconds: 0, minSamplesPerArm: 0 },
        { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await opApi.request.post(`/api/v1/rollouts/${id}/start`, { data: {} })).status()).toBe(200);

  const page = await pageAs(browser, baseURL, viewer);
  await page.goto(`/rollouts/${id}`);
  await expect(page.getByTestId("rollout-state")).toHaveAttribute("data-state", "running");
  for (const command of ["promote", "pause", "rollback", "abort", "skip_analysis"]) {
    await expect(page.getByTestId(`command-${command}`)).toBeDisabled();
  }
  // Why, as text under the buttons (each reason once), and read with each button.
  await expect(page.getByTestId("disabled-reasons")).toContainText("Needs the operator or admin role");
  await expect(page.getByTestId("command-rollback")).toHaveAccessibleDescription("Needs the operator or admin role");
  await expect(page.getByRole("link", { name: "New rollout" })).toHaveCount(0);

  const viewerApi = await apiAs(viewer);
  for (const command of ["promote", "pause", "rollback"]) {
    const res = await viewerApi.request.post(`/api/v1/rollouts/${id}/${command}`, { data: {} });
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden" });
  }
  const after = await (await viewerApi.request.get(`/api/v1/rollouts/${id}`)).json();
  expect(after).toMatchObject({ state: "running", version: 1, currentStageIndex: 0 });
  await page.context().close();
});
