/**
 * The audit page finds a flag's records by its key, names the flag instead of its id, shows
 * action identifiers as recorded, and opens a record to the fields it changed.
 */
import { expect, test } from "../fixtures";
import { createModelFlag, ENV, uid } from "../helpers/service";

test("searching a flag's key finds its records; one opens to a field-by-field diff", async ({ adminApi, adminPage: page }) => {
  test.setTimeout(180_000);
  const api = adminApi.request;
  const flagKey = `audit-ui-${uid()}.model`;
  await createModelFlag(api, flagKey, ["gpt-4o", "gpt-4.1"], "before the edit");
  const flag = await api.get(`/api/v1/flags/${flagKey}?environment=${ENV}`);
  expect(flag.status(), await flag.text()).toBe(200);
  const { flag: view } = (await flag.json()) as { flag: { version: number } };
  const patch = await api.patch(`/api/v1/flags/${flagKey}?environment=${ENV}`, {
    data: { expectedVersion: view.version, description: "after the edit", defaultVariant: "gpt-4.1" },
  });
  expect(patch.status(), await patch.text()).toBe(200);

  await page.goto(`/audit?env=${ENV}`);
  await page.getByLabel("Search").fill(flagKey);
  await page.getByRole("button", { name: "Apply" }).click();
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.getByTestId("audit-resource").first()).toContainText(flagKey);
  await expect(rows.first().locator("code.action-id")).toHaveText("flag.update");
  await expect(rows.nth(1).locator("code.action-id")).toHaveText("flag.create");

  const toggle = rows.first().getByRole("button", { name: /Show details/ });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(rows.first().getByRole("button", { name: /Hide details/ })).toHaveAttribute("aria-expanded", "true");
  const changes = page.getByTestId("record-changes");
  await expect(changes).toBeVisible();
  const items = changes.getByRole("listitem");
  await expect(items.filter({ hasText: "description" })).toContainText('"before the edit"');
  await expect(items.filter({ hasText: "description" })).toContainText('"after the edit"');
  await expect(items.filter({ hasText: "defaultVariant" })).toContainText("changed");
  // Fields the edit did not touch are not listed.
  const paths = await changes.locator("code.diff-path").allTextContents();
  expect(paths).toContain("description");
  expect(paths).not.toContain("key");
  expect(paths).not.toContain("kind");

  await page.keyboard.press("Enter");
  await expect(changes).toHaveCount(0);
});
