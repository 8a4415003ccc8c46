/**
 * WCAG 2.2 AA through axe-core on every dashboard page and every dialog, with seeded data so the
 * pages show their real content (a rollout with charts, an approval waiting, an SLO, a webhook,
 * an API key). Any serious or critical violation fails the spec, listed with its targets.
 */
import type { Page } from "@playwright/test";
import { runSimulation } from "../../lib/simulator/run";
import { expect, signInViaUi, test } from "../fixtures";
import { AxeScan } from "../helpers/axe";
import { createModelFlag, createRollout, ENV, rolloutCommand, runningCanary, startRollout, uid } from "../helpers/service";

const NEVER_FAILS = [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0, critical: false }];
/** Ready to promote at once (no bake, no minimum), and nothing promotes it on its own. */
const HELD_AT_HALF = [
  { trafficBasisPoints: 5000, minBakeSeconds: 0, minSamplesPerArm: 0, gates: NEVER_FAILS },
  { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0, gates: NEVER_FAILS },
];
const NEEDS_APPROVAL = [
  { trafficBasisPoints: 1000, minBakeSeconds: 0, minSamplesPerArm: 0, requiresApproval: true, gates: [] },
  { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0, gates: [] },
];

/** Pages fetch their data after hydration; on a loaded machine that takes a while. */
const LOADED = { timeout: 45_000 };

/** Opens a dialog with `open`, scans it, and closes it with Escape. */
async function scanDialog(page: Page, axe: AxeScan, where: string, open: () => Promise<void>): Promise<void> {
  await open();
  const dialog = page.locator("dialog[open]");
  await expect(dialog).toBeVisible();
  await axe.check(`dialog: ${where}`, "dialog[open]");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
}

async function visit(page: Page, axe: AxeScan, path: string, ready: () => Promise<void>): Promise<void> {
  await page.goto(path);
  await ready();
  await axe.check(path);
}

function report(axe: AxeScan) {
  console.log(axe.summary());
  expect(axe.blocking(), axe.blocking().join("\n")).toEqual([]);
}

test("overview and rollouts (list, detail with charts, approval, draft, gates, the wizard at each step) and their dialogs", async ({ adminApi, adminPage: page, baseURL, apiAs, makeUser }) => {
  test.setTimeout(900_000);
  const api = adminApi.request;
  const axe = new AxeScan(page);

  // A canary with traffic on both arms (charts and verdicts), a draft, one waiting for approval.
  const canary = await runningCanary(api, "a11y", HELD_AT_HALF);
  await runSimulation({ url: baseURL!, evaluateKey: canary.evaluateKey, ingestKey: canary.ingestKey, flag: canary.flagKey, rps: 300, durationSeconds: 4, pace: false, seed: 3 });
  const draftFlag = `a11y-draft-${uid()}.model`;
  await createModelFlag(api, draftFlag);
  const draft = await createRollout(api, { flagKey: draftFlag, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1", stages: HELD_AT_HALF });
  const waitingFlag = `a11y-wait-${uid()}.model`;
  await createModelFlag(api, waitingFlag);
  const waiting = await createRollout(api, { flagKey: waitingFlag, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1", stages: NEEDS_APPROVAL });
  await startRollout(api, waiting.id);
  // An operator asks, so the admin (a reviewer too) may approve or reject.
  const operatorApi = await apiAs(await makeUser(["operator"]));
  const asked = await rolloutCommand(operatorApi.request, waiting.id, "promote", { comment: "looks fine" });
  expect(asked.status(), await asked.text()).toBe(200);

  await visit(page, axe, `/?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible(LOADED));
  await scanDialog(page, axe, "sign out everywhere", () => page.getByRole("button", { name: "Sign out everywhere" }).click());

  await visit(page, axe, `/rollouts?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "Rollouts" })).toBeVisible(LOADED));

  await visit(page, axe, `/rollouts/${canary.rolloutId}?env=${ENV}`, async () => {
    await expect(page.getByTestId("comparison-charts")).toBeVisible(LOADED);
    await expect(page.getByTestId("chart-success").locator("svg.recharts-surface")).toBeVisible();
  });
  for (const command of ["promote", "pause", "rollback"]) {
    await scanDialog(page, axe, command, () => page.getByTestId(`command-${command}`).click());
  }

  await visit(page, axe, `/rollouts/${waiting.id}?env=${ENV}`, () => expect(page.getByTestId("rollout-state")).toHaveAttribute("data-state", "awaiting_approval", LOADED));
  for (const command of ["approve", "reject"]) {
    await scanDialog(page, axe, command, () => page.getByTestId(`command-${command}`).click());
  }

  await visit(page, axe, `/rollouts/${draft.id}?env=${ENV}`, () => expect(page.getByTestId("rollout-state")).toHaveAttribute("data-state", "draft", LOADED));
  await visit(page, axe, `/rollouts/${draft.id}/gates?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1 })).toBeVisible(LOADED));

  // The wizard, one scan per step.
  await visit(page, axe, `/rollouts/new?env=${ENV}`, () => expect(page.getByTestId("wizard-flag")).toBeVisible(LOADED));
  await page.getByTestId("wizard-flag").selectOption(draftFlag);
  for (const step of ["variants", "strategy", "stages", "review"]) {
    await page.getByTestId("wizard-next").click();
    await axe.check(`wizard: ${step}`);
  }
  report(axe);
});

test("flags (list, detail) and SLOs (list, detail, new, edit) and their dialogs", async ({ adminApi, adminPage: page }) => {
  test.setTimeout(600_000);
  const api = adminApi.request;
  const axe = new AxeScan(page);
  const flagKey = `a11y-flag-${uid()}.model`;
  await createModelFlag(api, flagKey);
  const slo = await api.post("/api/v1/slos", { data: { environment: ENV, name: `a11y availability ${uid()}`, flagKey, successRateTarget: 0.99 } });
  expect(slo.status(), await slo.text()).toBe(201);
  const sloId = ((await slo.json()) as { id: string }).id;

  await visit(page, axe, `/flags?env=${ENV}`, () => expect(page.getByTestId("flags-table")).toBeVisible(LOADED));
  await scanDialog(page, axe, "new flag", () => page.getByTestId("new-flag").click());
  await visit(page, axe, `/flags/${encodeURIComponent(flagKey)}?env=${ENV}`, () => expect(page.getByTestId("kill-switch-engage")).toBeVisible(LOADED));
  await scanDialog(page, axe, "kill switch", () => page.getByTestId("kill-switch-engage").click());
  await scanDialog(page, axe, "archive flag", () => page.getByTestId("flag-archive").click());

  await visit(page, axe, `/slos?env=${ENV}`, () => expect(page.getByTestId("slo-row").first()).toBeVisible(LOADED));
  await scanDialog(page, axe, "new SLO", () => page.getByTestId("new-slo").click());
  await visit(page, axe, `/slos/${sloId}?env=${ENV}`, () => expect(page.getByTestId("edit-slo")).toBeVisible(LOADED));
  await scanDialog(page, axe, "edit SLO", () => page.getByTestId("edit-slo").click());
  await scanDialog(page, axe, "delete SLO", () => page.getByRole("button", { name: "Delete", exact: true }).click());
  report(axe);
});

test("audit and settings (users, API keys, webhooks, prices) and their dialogs", async ({ adminApi, adminPage: page, makeUser }) => {
  test.setTimeout(600_000);
  const api = adminApi.request;
  const axe = new AxeScan(page);
  const hook = await api.post("/api/v1/webhooks", { data: { name: `a11y ${uid()}`, url: "https://hooks.example.com/rollgate", events: ["rollout.rolled_back"], environment: ENV } });
  expect(hook.status(), await hook.text()).toBe(201);
  await makeUser(["viewer"]);

  await visit(page, axe, `/audit?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible(LOADED));
  await visit(page, axe, `/settings?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible(LOADED));

  await visit(page, axe, `/settings/users?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible(LOADED));
  await scanDialog(page, axe, "create user", () => page.getByRole("button", { name: "Create user" }).click());
  const firstUser = page.getByRole("button", { name: /^Change roles of / }).first();
  await scanDialog(page, axe, "change roles", () => firstUser.click());
  await scanDialog(page, axe, "sign a user out everywhere", () =>
    page
      .getByRole("button", { name: /^Sign .* out everywhere$/ })
      .first()
      .click(),
  );
  await scanDialog(page, axe, "deactivate user", () =>
    page
      .getByRole("button", { name: /^Deactivate / })
      .first()
      .click(),
  );

  await visit(page, axe, `/settings/api-keys?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible(LOADED));
  await scanDialog(page, axe, "create API key", () => page.getByTestId("create-api-key").click());
  await page.getByTestId("create-api-key").click();
  await page.locator("dialog[open]").getByLabel("Name").fill(`a11y key ${uid()}`);
  await page.getByTestId("api-key-save").click();
  await expect(page.locator("dialog[open]")).toContainText("Copy your new API key");
  await axe.check("dialog: API key shown once", "dialog[open]");
  // Escape does not close this one (the key is shown once): its own button does.
  await page.locator("dialog[open]").getByRole("button", { name: "I have copied it" }).click();
  await expect(page.locator("dialog[open]")).toHaveCount(0);
  await scanDialog(page, axe, "revoke API key", () =>
    page
      .getByRole("button", { name: /^Revoke / })
      .first()
      .click(),
  );

  await visit(page, axe, `/settings/webhooks?env=${ENV}`, () => expect(page.getByTestId("webhook-row").first()).toBeVisible(LOADED));
  await scanDialog(page, axe, "add webhook", () => page.getByTestId("add-webhook").click());
  await page.getByTestId("webhook-row").first().click();
  await expect(page.getByTestId("webhook-detail")).toBeVisible();
  await axe.check("webhook delivery log");
  await scanDialog(page, axe, "edit webhook", () => page.getByTestId("webhook-detail").getByRole("button", { name: "Edit", exact: true }).click());
  await scanDialog(page, axe, "rotate webhook secret", () => page.getByRole("button", { name: "Rotate secret" }).click());
  await scanDialog(page, axe, "delete webhook", () => page.getByTestId("webhook-detail").getByRole("button", { name: "Delete", exact: true }).click());

  await visit(page, axe, `/settings/prices?env=${ENV}`, () => expect(page.getByTestId("prices-table")).toBeVisible(LOADED));

  report(axe);
});

test("the sign-in page and what a viewer sees (disabled actions with their reasons) have no serious or critical violation", async ({ page, adminApi, makeUser }) => {
  test.setTimeout(420_000);
  const axe = new AxeScan(page);
  await visit(page, axe, "/login", () => expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible(LOADED));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await axe.check("/login with errors");

  const canary = await runningCanary(adminApi.request, "a11y-viewer", HELD_AT_HALF);
  const viewer = await makeUser(["viewer"]);
  await signInViaUi(page, viewer.email, viewer.password);
  await visit(page, axe, `/flags?env=${ENV}`, () => expect(page.getByTestId("flags-table")).toBeVisible(LOADED));
  await visit(page, axe, `/flags/${encodeURIComponent(canary.flagKey)}?env=${ENV}`, () => expect(page.getByTestId("kill-switch-engage")).toBeDisabled(LOADED));
  await visit(page, axe, `/rollouts/${canary.rolloutId}?env=${ENV}`, () => expect(page.getByTestId("command-rollback")).toBeDisabled(LOADED));
  await visit(page, axe, `/slos?env=${ENV}`, () => expect(page.getByTestId("new-slo")).toBeDisabled(LOADED));
  await visit(page, axe, `/settings/users?env=${ENV}`, () => expect(page.getByRole("heading", { level: 1 })).toBeVisible(LOADED));
  report(axe);
});
