/**
 * Forms say what is wrong in words, at each field, all at once: the field is marked
 * (aria-invalid) and described by its message, and focus goes to the first one to fix. The
 * API keeps its precise problem+json; these are the dashboard's sentences for it.
 */
import { expect, test } from "../fixtures";
import { createModelFlag, ENV, uid } from "../helpers/service";

// Pages load their data after hydration; a busy machine needs the room.
test.describe.configure({ timeout: 180_000 });

test("New flag: an empty key says “Enter a key.” at the key, which gets focus", async ({ adminPage: page }) => {
  await page.goto(`/flags?env=${ENV}`);
  await page.getByTestId("new-flag").click();
  const dialog = page.getByRole("dialog");
  const key = dialog.getByLabel("Flag key");
  await key.fill("");
  await dialog.getByTestId("create-flag-submit").click();
  await expect(key).toHaveAttribute("aria-invalid", "true");
  await expect(key).toHaveAccessibleDescription("Enter a key.");
  await expect(key).toBeFocused();
  await expect(dialog.getByText(/Too small|expected string/)).toHaveCount(0);

  // A key the schema refuses is said in words too, and the message follows the typing.
  await key.fill("Bad Key");
  await expect(key).toHaveAccessibleDescription(/^Use lowercase letters, digits/);
  await expect(dialog).toBeVisible();
});

test("the wizard's stages: −5% and 150% are both flagged at their cells in words, and Next waits", async ({ adminApi, adminPage: page }) => {
  const flagKey = `form-errors-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  await page.goto(`/rollouts/new?env=${ENV}`);
  await page.getByTestId("wizard-flag").selectOption(flagKey);
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("strategy-canary").click();
  await page.getByTestId("wizard-next").click();

  const first = page.getByLabel("Stage 1 treatment %");
  const second = page.getByLabel("Stage 2 treatment %");
  await first.fill("-5");
  await second.fill("150");
  await expect(first).toHaveAttribute("aria-invalid", "true");
  await expect(first).toHaveAccessibleDescription("Traffic must be between 0% and 100% (stage 1).");
  await expect(second).toHaveAttribute("aria-invalid", "true");
  await expect(second).toHaveAccessibleDescription("Traffic must be between 0% and 100% (stage 2).");
  await expect(page.getByTestId("plan-error")).toContainText("2 stage fields need fixing");
  await expect(page.getByText(/must be an integer from/)).toHaveCount(0);
  await expect(page.getByTestId("wizard-next")).toBeDisabled();

  await first.fill("1");
  await second.fill("5");
  await expect(first).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("plan-error")).toHaveCount(0);
  await expect(page.getByTestId("wizard-next")).toBeEnabled();
});

test("prices: a negative price and a missing model are both said in words at their cells; the first gets focus", async ({ adminPage: page }) => {
  await page.goto(`/settings/prices?env=${ENV}`);
  await expect(page.getByTestId("prices-table")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Add model" }).click();
  const rows = page.getByTestId("price-row");
  const n = await rows.count();
  await page.getByLabel(`Provider of row ${n}`).fill("openai");
  await page.getByLabel(`Input price of row ${n}`).fill("-1");
  await page.getByRole("button", { name: "Save prices" }).click();

  const model = page.getByLabel(`Model of row ${n}`);
  await expect(model).toHaveAttribute("aria-invalid", "true");
  await expect(model).toHaveAccessibleDescription(`Enter the model (row ${n}).`);
  const input = page.getByLabel(`Input price of row ${n}`);
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toHaveAccessibleDescription(`Price per million input tokens can't be negative (row ${n}).`);
  await expect(model).toBeFocused();
  await expect(page.getByTestId("prices-error-summary")).toContainText("2 cells need fixing");
  await expect(page.getByText(/inputPerMillionUsd/)).toHaveCount(0);
});
