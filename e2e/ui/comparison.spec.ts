/**
 * The old-vs-new comparison, fed by the traffic simulator over the public API only: a canary
 * whose treatment fails 15% of calls shows the treatment significantly worse on success rate
 * with the numbers, while an equal-quality canary shows no detectable difference. The stage's
 * only gate can never fail, so no automatic action interferes with what the page shows.
 */
import type { Page } from "@playwright/test";
import { runSimulation } from "../../lib/simulator/run";
import { expect, test } from "../fixtures";
import { createModelFlag, createRollout, ENV, runningCanary, uid } from "../helpers/service";

const NEVER_FAILS = [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0, critical: false }];
/** A canary held at 50% (a canary must end at 100%, which it never reaches here). */
const HALF_SPLIT_NEVER_GATED = [
  { trafficBasisPoints: 5000, minBakeSeconds: 3600, minSamplesPerArm: 1000, gates: NEVER_FAILS },
  { trafficBasisPoints: 10_000, minBakeSeconds: 3600, minSamplesPerArm: 0, gates: NEVER_FAILS },
];

async function canaryWithTraffic(baseURL: string, api: Parameters<typeof createModelFlag>[0], errorRateTreatment: number | undefined) {
  const { flagKey, rolloutId, evaluateKey, ingestKey } = await runningCanary(api, "compare", HALF_SPLIT_NEVER_GATED);
  const report = await runSimulation({ url: baseURL, evaluateKey, ingestKey, flag: flagKey, rps: 500, durationSeconds: 8, pace: false, seed: 7, errorRateTreatment });
  expect(report.events.failedBatches).toBe(0);
  expect(report.events.rejected).toBe(0);
  expect(report.byArm.control).toBeGreaterThan(1500);
  expect(report.byArm.treatment).toBeGreaterThan(1500);
  return { id: rolloutId, flagKey };
}

async function successRow(page: Page) {
  const row = page.locator('[data-testid="verdict-row"][data-metric="success_rate"]');
  await expect(row).toBeVisible({ timeout: 20_000 });
  return row;
}

test("an injected error-rate regression shows the treatment significantly worse on success rate, with the numbers", async ({ adminApi, adminPage, baseURL }) => {
  test.setTimeout(120_000);
  const { id } = await canaryWithTraffic(baseURL!, adminApi.request, 0.15);
  await adminPage.goto(`/rollouts/${id}?env=${ENV}`);
  const row = await successRow(adminPage);
  await expect(row).toHaveAttribute("data-verdict", "worse");
  // One basis: a monitored canary shows the always-valid interval and p-value, and the Holm p of the gate metric.
  await expect(row).toHaveAttribute("data-basis", "sequential");
  await expect(row.getByTestId("verdict-p")).toContainText("Holm");
  await expect(row.getByTestId("verdict-lift")).toContainText("%");
  await expect(row.getByTestId("interval-bar")).toBeVisible();
  await expect(adminPage.getByTestId("comparison-charts")).toBeVisible();
  await expect(adminPage.getByTestId("chart-success").locator("svg.recharts-surface")).toBeVisible();
  await expect(adminPage.getByTestId("sample-progress")).toContainText("Stage 1");
  // The simulator reports model and tokens, no cost: the price table seeded on first start prices them.
  await expect(adminPage.getByTestId("cost-panel")).toContainText("Treatment per request");
  await expect(adminPage.getByTestId("cost-panel")).toContainText(/\$\d/);
  // The sentence and the numbers one click away: the intervals and the test behind the verdict.
  await row.getByTestId("verdict-details-toggle").click();
  const details = adminPage.locator('[data-testid="verdict-details"][data-metric="success_rate"]');
  await expect(details.getByTestId("verdict-sentence")).toContainText(/Treatment success rate \d+(\.\d+)?% vs \d+(\.\d+)?% control: worse \(Holm-adjusted p [<=]/);
  await expect(details).toContainText("two-proportion z-test");
  await expect(details).toContainText("Always-valid");
});

test("an equal-quality canary shows no detectable difference on success rate", async ({ adminApi, adminPage, baseURL }) => {
  test.setTimeout(120_000);
  const { id, flagKey } = await canaryWithTraffic(baseURL!, adminApi.request, undefined);
  await adminPage.goto(`/rollouts/${id}?env=${ENV}`);
  const row = await successRow(adminPage);
  await expect(row).toHaveAttribute("data-verdict", "no_difference");
  await expect(row.getByTestId("verdict-badge")).toHaveText("No detectable difference");
  await row.getByTestId("verdict-details-toggle").click();
  await expect(adminPage.locator('[data-testid="verdict-details"][data-metric="success_rate"]').getByTestId("verdict-sentence")).toContainText("no detectable difference");
  await expect(adminPage.getByTestId("srm-banner")).toHaveCount(0);

  // The overview lists it among the active rollouts, with its stage and split.
  await adminPage.goto(`/?env=${ENV}`);
  await expect(adminPage.getByTestId("active-rollouts")).toContainText(flagKey);
  await expect(adminPage.getByTestId("active-rollouts")).toContainText("treatment 50%");
});

test("a rollout without outcomes says so instead of drawing empty charts", async ({ adminApi, adminPage }) => {
  const flagKey = `compare-empty-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const rollout = await createRollout(adminApi.request, { flagKey, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1", stages: HALF_SPLIT_NEVER_GATED });
  await adminPage.goto(`/rollouts/${rollout.id}?env=${ENV}`);
  await expect(adminPage.getByTestId("comparison-empty")).toContainText("No outcomes reported");
  await expect(adminPage.getByTestId("comparison-charts")).toHaveCount(0);
});
