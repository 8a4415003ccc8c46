/**
 * The dashboard on a phone (390×844) and a tablet (768×1024): every page fits the screen width
 * (tables scroll inside their card, never the page), the navigation starts folded behind the
 * Menu button, opens and closes with it and with Escape, and closes when a link is followed.
 * Saves the phone screenshots that README.md shows.
 */
import type { Page } from "@playwright/test";
import { ADMIN, expect, RollgateApi, signInViaUi, test } from "../fixtures";
import { createModelFlag, createRollout, ENV, startRollout, uid } from "../helpers/service";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };

interface Fixture {
  flagKey: string;
  rolloutId: string;
  sloId: string;
}

let fixture: Fixture;

test.beforeAll(async ({ baseURL }) => {
  const api = await RollgateApi.signIn(baseURL!, ADMIN.email, ADMIN.password);
  const flagKey = `phone-${uid()}.model`;
  await createModelFlag(api.request, flagKey, ["gpt-4o", "gpt-4.1"], "Model behind the support assistant");
  const rollout = await createRollout(api.request, { flagKey, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1" });
  await startRollout(api.request, rollout.id);
  const slo = await api.request.post("/api/v1/slos", { data: { environment: ENV, name: `availability ${flagKey}`, flagKey, successRateTarget: 0.99, windowDays: 7 } });
  expect(slo.status(), await slo.text()).toBe(201);
  const body = (await slo.json()) as { id?: string; slo?: { id: string } };
  fixture = { flagKey, rolloutId: rollout.id, sloId: body.slo?.id ?? body.id! };
  await api.dispose();
});

/** Every dashboard page, with the heading that says it has rendered. */
function pages(f: Fixture): { path: string; heading: string | RegExp }[] {
  return [
    { path: "/", heading: "Overview" },
    { path: "/rollouts", heading: "Rollouts" },
    { path: `/rollouts/${f.rolloutId}`, heading: new RegExp(f.flagKey.replace(/\./g, "\\.")) },
    { path: `/rollouts/new`, heading: /New rollout/ },
    { path: "/flags", heading: "Flags" },
    { path: `/flags/${f.flagKey}`, heading: f.flagKey },
    { path: "/slos", heading: /SLOs/ },
    { path: `/slos/${f.sloId}`, heading: `availability ${f.flagKey}` },
    { path: "/audit", heading: "Audit log" },
    { path: "/settings", heading: "Settings" },
    { path: "/settings/users", heading: /Users/ },
    { path: "/settings/api-keys", heading: /API keys/ },
    { path: "/settings/webhooks", heading: /Webhooks/ },
    { path: "/settings/prices", heading: /prices/i },
  ];
}

/**
 * The page's heading is shown and the shell is hydrated (the environment list has arrived, so
 * the Menu button has its handler); loading placeholders get a while to turn into content, but
 * a slow panel does not fail the width check, which holds in either state.
 */
async function settled(page: Page, heading: string | RegExp): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name: heading }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("combobox", { name: "Environment" }).locator("option")).toHaveCount(2, { timeout: 30_000 });
  await page
    .locator(".skeleton, .skeleton-rows")
    .first()
    .waitFor({ state: "detached", timeout: 15_000 })
    .catch(() => undefined);
}

/** The document's width, and the elements that stick out of the screen (to say what overflows). */
async function pageWidth(page: Page): Promise<{ scroll: number; offenders: string[] }> {
  return page.evaluate(() => {
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (el.closest(".scroll-region, pre")) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 1) {
        offenders.push(`${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "").replace(/\s+/g, ".")} right=${Math.round(r.right)}`);
      }
    }
    return { scroll: document.documentElement.scrollWidth, offenders: offenders.slice(0, 8) };
  });
}

async function expectNavCollapsed(page: Page): Promise<void> {
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
}

for (const [name, viewport] of [
  ["phone", PHONE],
  ["tablet", TABLET],
] as const) {
  test.describe(`${name} ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("every page fits the screen width and starts with the navigation folded", async ({ page }) => {
      test.setTimeout(480_000);
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Sign in to Rollgate" })).toBeVisible();
      expect((await pageWidth(page)).scroll).toBeLessThanOrEqual(viewport.width);
      await signInViaUi(page, ADMIN.email, ADMIN.password);

      for (const { path, heading } of pages(fixture)) {
        await page.goto(`${path}?env=${ENV}`);
        await settled(page, heading);
        await expectNavCollapsed(page);
        const width = await pageWidth(page);
        expect.soft(width.scroll, `${path} scrolls sideways: ${width.offenders.join(", ")}`).toBeLessThanOrEqual(viewport.width);
      }
    });
  });
}

test.describe("phone navigation", () => {
  test.use({ viewport: PHONE });

  test("the Menu button opens the navigation, Escape closes it, and following a link closes it", async ({ page }) => {
    test.setTimeout(180_000);
    await signInViaUi(page, ADMIN.email, ADMIN.password);
    await settled(page, "Overview");
    const menu = page.getByRole("button", { name: "Menu" });
    await expectNavCollapsed(page);
    await expect(menu).toHaveAttribute("aria-controls", "main-menu");

    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    // Focus moves into the menu; who is signed in and the ways out are there too.
    await expect(nav.getByRole("link", { name: "Overview", exact: true })).toBeFocused();
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
    expect((await pageWidth(page)).scroll).toBeLessThanOrEqual(PHONE.width);

    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();

    await page.keyboard.press("Enter");
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "Flags", exact: true }).click();
    await expect(page).toHaveURL(/\/flags\?env=production$/);
    await settled(page, "Flags");
    await expectNavCollapsed(page);
  });

  test("phone screenshots of the overview, a rollout, flags and audit", async ({ page }) => {
    test.setTimeout(240_000);
    await signInViaUi(page, ADMIN.email, ADMIN.password);
    const shots: [string, string, string | RegExp][] = [
      ["phone-overview.png", "/", "Overview"],
      ["phone-rollout.png", `/rollouts/${fixture.rolloutId}`, new RegExp(fixture.flagKey.replace(/\./g, "\\."))],
      ["phone-flags.png", "/flags", "Flags"],
      ["phone-audit.png", "/audit", "Audit log"],
    ];
    for (const [file, path, heading] of shots) {
      await page.goto(`${path}?env=${ENV}`);
      await settled(page, heading);
      if (file === "phone-audit.png") {
        // Show one record opened to what it changed.
        await page.getByLabel("Search").fill(fixture.flagKey);
        await page.getByRole("button", { name: "Apply" }).click();
        await expect(page.getByTestId("audit-row").first()).toBeVisible();
        await page
          .getByTestId("audit-row")
          .first()
          .getByRole("button", { name: /Show details/ })
          .click();
        await expect(page.getByTestId("record-changes")).toBeVisible();
      }
      await page.screenshot({ path: `docs/screenshots/${file}` });
    }
  });
});
