/**
 * The dashboard by keyboard: every control shows where focus is, radio-card groups move with the
 * arrow keys and are one Tab stop, and dialogs take focus to their first field, keep it inside,
 * close on Escape and hand it back to the button that opened them.
 */
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../fixtures";
import { createModelFlag, ENV, uid } from "../helpers/service";

/** Presses Tab until `target` has focus (at most `limit` times), as a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, limit = 60, key: "Tab" | "Shift+Tab" = "Tab"): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** The focus ring as drawn: outline style and width, and the box shadow. */
const ring = (target: Locator) =>
  target.evaluate((el) => {
    const s = getComputedStyle(el);
    return { outline: `${s.outlineStyle} ${s.outlineWidth}`, width: Number.parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor, shadow: s.boxShadow };
  });

// Pages load their data after hydration; a busy machine needs the room.
test.describe.configure({ timeout: 180_000 });

test("buttons, links, inputs and radio cards show a visible focus ring when tabbed to", async ({ adminApi, adminPage: page }) => {
  const flagKey = `kbd-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  await page.goto(`/flags?env=${ENV}`);
  await expect(page.getByTestId("flags-table")).toBeVisible({ timeout: 30_000 });
  // Only this flag listed, so its link is a few Tabs away.
  await page.getByLabel("Search").fill(flagKey);
  await expect(page.getByTestId("flag-row")).toHaveCount(1);

  const button = page.getByTestId("new-flag");
  await expect(button).toBeEnabled();
  const unfocused = await ring(button);
  await tabTo(page, button, 20, "Shift+Tab");
  const focused = await ring(button);
  expect(focused.style).not.toBe("none");
  expect(focused.width).toBeGreaterThanOrEqual(2);
  expect(focused.outline).not.toBe(unfocused.outline);
  // The accent (#4f46e5): over 3:1 against the white page.
  expect(focused.color).toBe("rgb(79, 70, 229)");

  for (const target of [page.getByLabel("Search"), page.getByRole("link", { name: flagKey })]) {
    await tabTo(page, target);
    const r = await ring(target);
    expect(r.style, `${target.toString()} has a focus outline`).not.toBe("none");
    expect(r.width).toBeGreaterThanOrEqual(2);
  }

  await page.goto(`/rollouts/new?env=${ENV}&flag=${encodeURIComponent(flagKey)}`);
  await page.getByTestId("wizard-flag").selectOption(flagKey);
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-next").click();
  const checked = page.getByRole("radiogroup", { name: "Strategy" }).getByRole("radio", { checked: true });
  // From the Next button below the cards, back into the group.
  await tabTo(page, checked, 20, "Shift+Tab");
  expect((await ring(checked)).style).not.toBe("none");
});

test("strategy cards: one Tab stop, arrow keys move and select, Tab leaves the group", async ({ adminApi, adminPage: page }) => {
  const flagKey = `kbd-radio-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  await page.goto(`/rollouts/new?env=${ENV}`);
  await page.getByTestId("wizard-flag").selectOption(flagKey);
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-next").click();

  const group = page.getByRole("radiogroup", { name: "Strategy" });
  const radios = group.getByRole("radio");
  const count = await radios.count();
  expect(count).toBeGreaterThan(2);
  const names = await radios.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  const start = names.indexOf(await group.getByRole("radio", { checked: true }).getAttribute("data-testid"));

  await tabTo(page, radios.nth(start), 20, "Shift+Tab");
  await page.keyboard.press("ArrowRight");
  const next = radios.nth((start + 1) % count);
  await expect(next).toBeFocused();
  await expect(next).toHaveAttribute("aria-checked", "true");
  await expect(radios.nth(start)).toHaveAttribute("aria-checked", "false");
  await expect(group.getByRole("radio", { checked: true })).toHaveCount(1);

  await page.keyboard.press("ArrowLeft");
  await expect(radios.nth(start)).toBeFocused();
  await expect(radios.nth(start)).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("End");
  await expect(radios.nth(count - 1)).toBeFocused();
  await expect(radios.nth(count - 1)).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("ArrowDown");
  await expect(radios.nth(0)).toBeFocused();
  await expect(radios.nth(0)).toHaveAttribute("aria-checked", "true");

  // Only the checked card is in the Tab order: one Tab leaves the group.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).not.toBe("radio");
  await page.keyboard.press("Shift+Tab");
  await expect(radios.nth(0)).toBeFocused();

  // The choice made by keyboard is the plan: the next step shows its stages.
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("stages-editor")).toBeVisible();
});

test("the New-flag dialog focuses its first field, keeps focus inside, closes on Escape and returns focus", async ({ adminPage: page }) => {
  await page.goto(`/flags?env=${ENV}`);
  const opener = page.getByTestId("new-flag");
  await expect(opener).toBeEnabled({ timeout: 30_000 });
  await tabTo(page, opener);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Flag key")).toBeFocused();

  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const inside = await dialog.evaluate((d) => d.contains(document.activeElement));
    expect(inside, `Tab ${i + 1} stays in the dialog`).toBe(true);
  }

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test("a confirmation dialog takes focus and gives it back to its button", async ({ adminApi, adminPage: page }) => {
  const flagKey = `kbd-kill-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  await page.goto(`/flags/${encodeURIComponent(flagKey)}?env=${ENV}`);
  const engage = page.getByTestId("kill-switch-engage");
  await expect(engage).toBeEnabled({ timeout: 30_000 });
  await tabTo(page, engage);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("kill-switch-reason")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(engage).toBeFocused();

  await tabTo(page, page.getByTestId("flag-archive"));
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await dialog.getByRole("button", { name: "Cancel" }).press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("flag-archive")).toBeFocused();
});
