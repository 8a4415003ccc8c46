/**
 * The rollout page tells one story, driven through the public API only (evaluate, then report
 * outcomes with the traffic simulator; the evaluator runs every 2 s):
 * - a canary whose treatment fails 30% of calls is rolled back by its critical gate; the page
 *   leads with that gate and its numbers, no stage is "Current", every chart marks the rollback,
 *   the verdict table is not clipped at 1280, 1440 or 1920 px, and the per-stage counts agree;
 * - a healthy canary promoted once while traffic flows shows the stage boundary, the difference
 *   chart with its band, rates within 0–100% and UTC times.
 * Both pages are saved at 1440 px as docs/rollout-rolled-back.png and docs/rollout-canary.png.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { runSimulation } from "../../lib/simulator/run";
import { expect, test } from "../fixtures";
import { ENV, rolloutCommand, runningCanary } from "../helpers/service";

const DOCS = path.resolve(process.cwd(), "docs");

/** Cells of the verdict table whose content is wider than the cell, and whether the table scrolls. */
async function clipping(page: Page): Promise<{ clippedCells: string[]; tableScrolls: boolean }> {
  return page.getByTestId("verdict-table").evaluate((table) => {
    const wrap = table.parentElement as HTMLElement;
    const clippedCells = [...table.querySelectorAll<HTMLElement>("th, td")]
      .filter((c) => c.scrollWidth > c.clientWidth + 1)
      .map((c) => `${c.closest("tr")?.getAttribute("data-metric") ?? "head"}: ${c.textContent?.slice(0, 40)}`);
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls) {
      const head = [...table.querySelectorAll<HTMLElement>("thead th")].map((th) => `${th.textContent}=${th.offsetWidth}`);
      clippedCells.push(`table ${wrap.scrollWidth} in ${wrap.clientWidth}: ${head.join(", ")}`);
    }
    return { clippedCells, tableScrolls: scrolls };
  });
}

test("a rolled-back canary leads with the gate that rolled it back, has no current stage, marks the rollback on every chart and fits 1280–1920 px", async ({ adminApi, adminPage, baseURL }) => {
  test.setTimeout(180_000);
  const api = adminApi.request;
  const stages = [
    { trafficBasisPoints: 2000, minBakeSeconds: 0, minSamplesPerArm: 100 },
    { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 100 },
  ];
  const { rolloutId } = await runningCanary(api, "page-rollback", stages).then(async (c) => {
    const traffic = new AbortController();
    const simulation = runSimulation(
      { url: baseURL!, evaluateKey: c.evaluateKey, ingestKey: c.ingestKey, flag: c.flagKey, rps: 150, durationSeconds: 0, seed: 13, errorRateTreatment: 0.3, flushIntervalMs: 500 },
      traffic.signal,
    );
    try {
      await expect.poll(async () => ((await (await api.get(`/api/v1/rollouts/${c.rolloutId}`)).json()) as { state: string }).state, { timeout: 90_000, intervals: [1000] }).toBe("rolled_back");
    } finally {
      traffic.abort();
      await simulation;
    }
    return c;
  });
  const detail = (await (await api.get(`/api/v1/rollouts/${rolloutId}`)).json()) as { lastAutomaticAction: string };

  await adminPage.setViewportSize({ width: 1440, height: 900 });
  await adminPage.goto(`/rollouts/${rolloutId}?env=${ENV}`);

  // The headline is the decisive reason: the critical gate that rolled it back, with its numbers.
  const ending = adminPage.getByTestId("rollout-ending");
  await expect(ending).toBeVisible({ timeout: 30_000 });
  await expect(ending).toHaveAttribute("data-state", "rolled_back");
  await expect(ending.getByTestId("rollout-ending-title")).toContainText("Rolled back automatically");
  await expect(ending.getByTestId("rollout-ending-reason")).toHaveText(detail.lastAutomaticAction);
  expect(detail.lastAutomaticAction).toMatch(/critical gate '(error rate|success rate)'/);
  expect(detail.lastAutomaticAction).toMatch(/\d+(\.\d+)?%/);
  // The comparison does not contradict it with its own headline.
  await expect(adminPage.getByTestId("analysis-summary")).toContainText(/^Rolled back — the comparison up to then/);

  // No stage is "Current" after the end: stage 1 ended here, stage 2 was not reached.
  const timeline = adminPage.getByTestId("stage-timeline");
  await expect(timeline.locator('[data-testid="stage"][data-index="0"]')).toHaveAttribute("data-status", "ended_here");
  await expect(timeline.locator('[data-testid="stage"][data-index="1"]')).toHaveAttribute("data-status", "not_reached");
  await expect(timeline).not.toContainText("Current");
  await expect(adminPage.getByTestId("sample-progress")).not.toContainText("current");
  await expect(adminPage.locator('[data-testid="stage-samples"][data-index="1"]')).toHaveAttribute("data-status", "not_started");

  // Every chart that has data marks the rollback.
  const charts = adminPage.getByTestId("comparison-charts");
  await expect(charts.getByTestId("chart-difference").locator("svg.recharts-surface")).toBeVisible();
  for (const id of ["chart-difference", "chart-success", "chart-latency", "chart-traffic"]) {
    await expect(charts.getByTestId(id).locator("svg text", { hasText: "Rolled back" }), id).toHaveCount(1);
  }

  // The same stage's counts in the verdict table and in "Samples per stage".
  const row = adminPage.locator('[data-testid="verdict-row"][data-metric="success_rate"]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  const tableCounts = (await row.locator("td").nth(1).innerText()).match(/n = ([\d,]+)/)![1] + " / " + (await row.locator("td").nth(2).innerText()).match(/n = ([\d,]+)/)![1];
  await expect(adminPage.locator('[data-testid="stage-samples"][data-index="0"]')).toContainText(tableCounts);

  // Nothing clipped, at 1280, 1440 and 1920 px.
  for (const width of [1280, 1920, 1440]) {
    await adminPage.setViewportSize({ width, height: 900 });
    await expect.poll(() => clipping(adminPage), { message: `${width} px` }).toEqual({ clippedCells: [], tableScrolls: false });
  }
  await adminPage.screenshot({ path: path.join(DOCS, "rollout-rolled-back.png"), fullPage: true });
});

test("a healthy canary promoted while traffic flows shows its stage boundary, the difference band, bounded rates and UTC times", async ({ adminApi, adminPage, baseURL }) => {
  test.setTimeout(420_000);
  const api = adminApi.request;
  const NEVER_FAILS = [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0, critical: false }];
  const stages = [
    { trafficBasisPoints: 2000, minBakeSeconds: 0, minSamplesPerArm: 200, gates: NEVER_FAILS },
    { trafficBasisPoints: 5000, minBakeSeconds: 3600, minSamplesPerArm: 2000, gates: NEVER_FAILS },
    { trafficBasisPoints: 10_000, minBakeSeconds: 3600, minSamplesPerArm: 0, gates: NEVER_FAILS },
  ];
  const c = await runningCanary(api, "page-canary", stages);
  const traffic = new AbortController();
  const simulation = runSimulation({ url: baseURL!, evaluateKey: c.evaluateKey, ingestKey: c.ingestKey, flag: c.flagKey, rps: 40, durationSeconds: 0, seed: 21, flushIntervalMs: 500 }, traffic.signal);
  try {
    await new Promise((r) => setTimeout(r, 70_000));
    const promoted = await rolloutCommand(api, c.rolloutId, "promote", { comment: "stage 1 looks healthy" });
    expect(promoted.status(), await promoted.text()).toBe(200);
    await new Promise((r) => setTimeout(r, 80_000));
  } finally {
    traffic.abort();
    await simulation;
  }

  await adminPage.setViewportSize({ width: 1440, height: 900 });
  await adminPage.goto(`/rollouts/${c.rolloutId}?env=${ENV}`);
  await expect(adminPage.getByTestId("stage-timeline")).toBeVisible({ timeout: 30_000 });
  await expect(adminPage.getByTestId("rollout-ending")).toHaveCount(0);
  await expect(adminPage.locator('[data-testid="stage"][data-index="1"]')).toHaveAttribute("data-status", "current");
  // The promoted stage is complete; the unreached one is empty although its minimum is 0.
  await expect(adminPage.locator('[data-testid="stage-samples"][data-index="0"]')).toHaveAttribute("data-status", "promoted");
  await expect(adminPage.locator('[data-testid="stage-samples"][data-index="2"]')).toHaveAttribute("data-status", "not_started");

  const charts = adminPage.getByTestId("comparison-charts");
  await expect(charts.getByTestId("chart-difference").locator("svg.recharts-surface")).toBeVisible();
  await expect(charts.getByTestId("chart-success").locator("svg text", { hasText: "S2" })).toHaveCount(1);
  await expect(adminPage.getByText("Over time (UTC)")).toBeVisible();
  // Rate axes stay within 0–100%.
  // (recharts 3 draws tick labels in their own layer: the y ticks are the ones reading as percentages.)
  const ticks = (await charts.getByTestId("chart-success").locator("text.recharts-cartesian-axis-tick-value").allTextContents()).filter((t) => t.includes("%"));
  expect(ticks.length).toBeGreaterThan(0);
  for (const t of ticks) expect(Number.parseFloat(t)).toBeLessThanOrEqual(100);
  await expect.poll(() => clipping(adminPage)).toEqual({ clippedCells: [], tableScrolls: false });
  await adminPage.screenshot({ path: path.join(DOCS, "rollout-canary.png"), fullPage: true });
  // The README's picture: the comparison of the same page, verdicts and charts in one view.
  await adminPage.setViewportSize({ width: 1440, height: 1100 });
  await adminPage.getByTestId("comparison-panel").scrollIntoViewIfNeeded();
  await adminPage.getByTestId("comparison-panel").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await adminPage.screenshot({ path: path.join(DOCS, "screenshot.png") });
});
