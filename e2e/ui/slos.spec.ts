/**
 * SLOs and gates through the dashboard, with the traffic simulator as the production service:
 * - an operator creates an SLO from a template, watches its budget and burn rates move as
 *   simulated traffic fails, sees the rollout's promote refused with the SLO named; a viewer
 *   sees the same read-only and the API refuses the viewer's write;
 * - a wizard run replaces a stage's default gates with a custom critical gate, which then rolls
 *   a bad canary back.
 */
import type { Browser, Locator, Page } from "@playwright/test";
import { runSimulation } from "../../lib/simulator/run";
import { expect, signInViaUi, test, type TestUser } from "../fixtures";
import { createApiKey, createModelFlag, createRollout, ENV, startRollout, uid } from "../helpers/service";

async function pageAs(browser: Browser, baseURL: string | undefined, user: TestUser): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInViaUi(page, user.email, user.password);
  return page;
}

/** The short-window burn rate shown in an alert's chip (e.g. "burn-5m-1h"), as a number. */
async function shortBurn(scope: Locator, chip: string): Promise<number> {
  const text = (await scope.getByTestId(chip).textContent()) ?? "";
  const match = /(\d+(?:\.\d+)?)× \//.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

test("an operator creates an SLO from a template, sees it burn as traffic fails and the promote refused; a viewer reads the same", async ({ adminApi, makeUser, apiAs, browser, baseURL }) => {
  test.setTimeout(360_000);
  const api = adminApi.request;
  const flagKey = `slo-ui-${uid()}.model`;
  await createModelFlag(api, flagKey, ["gpt-4o", "gpt-4.1"]);
  const [evaluateKey, ingestKey] = [await createApiKey(api, ["evaluate"]), await createApiKey(api, ["ingest"])];
  // A permissive gate, so that only the SLO stands between this canary and its next stage.
  const gates = [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0 }];
  const rollout = await createRollout(api, {
    flagKey,
    strategy: "canary",
    controlVariant: "gpt-4o",
    treatmentVariant: "gpt-4.1",
    stages: [
      { trafficBasisPoints: 5000, minBakeSeconds: 0, minSamplesPerArm: 0, gates },
      { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0, gates },
    ],
  });
  await startRollout(api, rollout.id);

  const operator = await makeUser(["operator"]);
  const page = await pageAs(browser, baseURL, operator);
  await page.goto(`/slos?env=${ENV}`);
  await page.getByTestId("new-slo").click();
  const form = page.getByTestId("slo-form");
  await form.getByRole("radio", { name: /Availability/ }).click();
  await expect(form.getByRole("radio", { name: /Quality score/ })).toBeDisabled();
  await form.getByLabel("Flag", { exact: true }).selectOption(flagKey);
  const name = `availability ${flagKey}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  // A bad objective is refused (by the server's schema, checked in the form) and said in words under its field, which gets focus; nothing is created.
  await form.getByLabel("Objective: success rate (%)").fill("100");
  await page.getByTestId("slo-save").click();
  await expect(form.getByLabel("Objective: success rate (%)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Objective: success rate (%)")).toHaveAccessibleDescription("The objective must be above 0% and below 100%.");
  await expect(form.getByLabel("Objective: success rate (%)")).toBeFocused();
  await form.getByLabel("Objective: success rate (%)").fill("99.5");
  await page.getByTestId("slo-save").click();
  await expect(page.getByRole("dialog")).toBeHidden();

  const row = page.locator(`[data-testid="slo-row"][data-slo-name="${name}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("99.5% success over 28 days");
  await expect(row.getByTestId("budget-remaining")).toHaveText("100.0% left");
  await expect(row.getByTestId("slo-status")).toHaveText("OK");
  expect(await shortBurn(row, "burn-5m-1h")).toBe(0);

  // The creation is audited, with the operator as actor.
  const audit = await api.get(`/api/v1/audit?action=slo.create&actor=${operator.id}`);
  const records = ((await audit.json()) as { records: { actorId: string; context: { name?: string } }[] }).records;
  expect(records.some((r) => r.context.name === name && r.actorId === operator.id)).toBe(true);

  // Failing traffic: half the users get the treatment, and every treatment call fails.
  const traffic = new AbortController();
  const simulation = runSimulation({ url: baseURL!, evaluateKey, ingestKey, flag: flagKey, rps: 120, durationSeconds: 0, seed: 3, errorRateTreatment: 1, flushIntervalMs: 500 }, traffic.signal);
  try {
    await expect(row.getByTestId("slo-status")).toHaveText("Promotions frozen", { timeout: 60_000 });
  } finally {
    traffic.abort();
    await simulation;
  }
  await expect(row.getByTestId("budget-remaining")).toHaveText(/overspent by \d+%|exhausted/);
  await expect.poll(() => shortBurn(row, "burn-5m-1h"), { timeout: 20_000 }).toBeGreaterThan(14.4);
  await expect(row.getByTestId("burn-5m-1h")).toHaveAttribute("data-firing", "true");
  await page.screenshot({ path: "docs/slos-list.png", fullPage: true });

  // The detail view charts the budget and the burn rates.
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("budget-chart").locator(".recharts-area")).toBeVisible();
  await expect(page.getByTestId("burn-rate-chart").locator(".recharts-line")).toHaveCount(2);
  await expect(page.getByTestId("slo-actions-now")).toContainText("Freeze promotions");
  await page.screenshot({ path: "docs/slo-detail.png", fullPage: true });

  // The rollout page names the SLO that freezes it, and the promote is refused with its name.
  await page.goto(`/rollouts/${rollout.id}?env=${ENV}`);
  const slos = page.getByTestId("rollout-slos");
  await expect(slos.getByRole("link", { name })).toBeVisible({ timeout: 30_000 });
  await expect(slos.getByTestId("rollout-slo-freeze")).toContainText(name);
  await page.getByTestId("command-promote").first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("confirm-command").click();
  await expect(dialog).toContainText("error budget exhausted");
  await expect(dialog).toContainText(name);
  const state = (await (await api.get(`/api/v1/rollouts/${rollout.id}`)).json()) as { currentStageIndex: number };
  expect(state.currentStageIndex).toBe(0);

  // A viewer reads the same, with every edit control disabled and the reason in words.
  const viewer = await makeUser(["viewer"]);
  const viewerPage = await pageAs(browser, baseURL, viewer);
  await viewerPage.goto(`/slos?env=${ENV}`);
  await expect(viewerPage.getByTestId("new-slo")).toBeDisabled();
  await expect(viewerPage.getByTestId("slo-read-only")).toContainText("needs the operator role");
  const viewerRow = viewerPage.locator(`[data-testid="slo-row"][data-slo-name="${name}"]`);
  await expect(viewerRow.getByTestId("slo-status")).toHaveText("Promotions frozen");
  await viewerRow.getByRole("link", { name }).click();
  await expect(viewerPage.getByTestId("edit-slo")).toBeDisabled({ timeout: 30_000 });
  await expect(viewerPage.getByTestId("slo-read-only")).toBeVisible();
  await viewerPage.goto(`/rollouts/${rollout.id}?env=${ENV}`);
  await expect(viewerPage.getByTestId("rollout-slo-freeze")).toContainText(name, { timeout: 30_000 });
  const viewerApi = await apiAs(viewer);
  const refused = await viewerApi.request.post("/api/v1/slos", { data: { environment: ENV, name: "viewer's", successRateTarget: 0.99 } });
  expect(refused.status()).toBe(403);
  await viewerPage.context().close();
  await page.context().close();
});

test("a wizard run sets a custom critical gate, shows the effective minimum, and the gate rolls a bad canary back", async ({ adminApi, adminPage, baseURL }) => {
  test.setTimeout(360_000);
  const api = adminApi.request;
  const flagKey = `gate-ui-${uid()}.model`;
  await createModelFlag(api, flagKey, ["gpt-4o", "gpt-4.1"]);
  const [evaluateKey, ingestKey] = [await createApiKey(api, ["evaluate"]), await createApiKey(api, ["ingest"])];
  const page = adminPage;

  await page.goto(`/rollouts/new?env=${ENV}&flag=${encodeURIComponent(flagKey)}`);
  await expect(page.getByTestId("wizard-flag")).toHaveValue(flagKey);
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("strategy-canary").click();
  await page.getByTestId("wizard-next").click();

  // Stage 1 asks for 20 samples per arm: the template's gates follow it (not the gate default of 100).
  await page.getByLabel("Stage 1 minimum samples per arm").fill("20");
  await page.getByTestId("edit-gates-1").click();
  const editor = page.getByTestId("gates-editor-1");
  await expect(editor.getByRole("group", { name: "Stage 1 gate 1" }).getByLabel("Min. samples per arm")).toHaveValue("20");
  await expect(page.getByTestId("effective-min-samples-1")).toHaveCount(0);

  // Replace the defaults with one custom critical gate.
  const removes = editor.getByRole("button", { name: /^Remove stage 1 gate/ });
  while ((await removes.count()) > 0) await removes.first().click();
  await editor.getByRole("button", { name: "Add gate" }).click();
  const gate = editor.getByRole("group", { name: "Stage 1 gate 1" });
  await gate.getByLabel("Name", { exact: true }).fill("error ceiling");
  await gate.getByLabel("Metric", { exact: true }).selectOption("error_rate");
  await gate.getByLabel("Rule", { exact: true }).selectOption("threshold");
  // Inline validation names the field and blocks the next step.
  await gate.getByLabel("Threshold (%)").fill("abc");
  await expect(gate.getByLabel("Threshold (%)")).toHaveAttribute("aria-invalid", "true");
  await expect(gate.getByText("Threshold must be a percentage from 0 to 100")).toBeVisible();
  await expect(page.getByTestId("wizard-next")).toBeDisabled();
  await gate.getByLabel("Threshold (%)").fill("10");
  await expect(gate.getByLabel("Threshold (%)")).not.toHaveAttribute("aria-invalid", "true");
  await gate.getByLabel("Min. samples per arm").fill("50");
  await gate.getByLabel("On failure").selectOption("critical");
  await expect(page.getByTestId("effective-min-samples-1")).toContainText("50 per arm: the stage asks for 20, but 'error ceiling' needs 50");
  await page.getByTestId("wizard-next").click();

  await expect(page.getByTestId("review-gates-1")).toContainText("'error ceiling': treatment error rate ≤ 10.0% (min 50 samples) — critical");
  await page.getByTestId("wizard-create-start").click();
  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}/);
  const rolloutId = /\/rollouts\/([0-9a-f-]{36})/.exec(page.url())![1]!;

  const stored = (await (await api.get(`/api/v1/rollouts/${rolloutId}`)).json()) as { state: string; stages: { gates: { name: string; critical: boolean; minSamples: number; bound: number }[] }[] };
  expect(stored.state).toBe("running");
  expect(stored.stages[0]!.gates).toEqual([expect.objectContaining({ name: "error ceiling", critical: true, minSamples: 50, bound: 0.1 })]);

  // A bad canary: 40% of treatment calls fail.
  const traffic = new AbortController();
  const simulation = runSimulation({ url: baseURL!, evaluateKey, ingestKey, flag: flagKey, rps: 120, durationSeconds: 0, seed: 7, errorRateTreatment: 0.4, flushIntervalMs: 500 }, traffic.signal);
  try {
    await expect.poll(async () => ((await (await api.get(`/api/v1/rollouts/${rolloutId}`)).json()) as { state: string }).state, { timeout: 180_000, intervals: [1000] }).toBe("rolled_back");
  } finally {
    traffic.abort();
    await simulation;
  }
  await page.reload();
  await expect(page.getByText(/critical gate 'error ceiling'/).first()).toBeVisible();
});
