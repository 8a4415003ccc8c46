/** The application shell: sign-in, navigation, the environment switcher and sign-out. */
import { ADMIN, expect, signInViaUi, test } from "../fixtures";

const NAV = ["Overview", "Rollouts", "Flags", "SLOs", "Audit", "Settings"];

test("the admin signs in and sees the shell with every section and the environment switcher", async ({ page }) => {
  await signInViaUi(page, ADMIN.email, ADMIN.password);

  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of NAV) await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Overview", exact: true })).toHaveAttribute("aria-current", "page");

  const env = page.getByRole("combobox", { name: "Environment" });
  await expect(env).toHaveValue("production");
  await expect(env.locator("option")).toHaveText(["Production", "Staging"]);

  await expect(page.getByTestId("user-email")).toHaveText(ADMIN.email);
  await expect(page.locator(".topbar").getByText("admin", { exact: true })).toBeVisible();
  // Overview shows real data that exists today: the environments and the recent audit trail.
  await expect(page.getByTestId("environment-list")).toContainText("Staging");
  await expect(page.getByTestId("recent-activity")).toContainText("auth.sign_in");
});

test("switching to staging puts ?env=staging in the URL and keeps it across navigation", async ({ adminPage: page }) => {
  const env = page.getByRole("combobox", { name: "Environment" });
  await env.selectOption("staging");
  await expect(page).toHaveURL(/[?&]env=staging/);

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Rollouts", exact: true }).click();
  await expect(page).toHaveURL(/\/rollouts\?env=staging$/);
  await expect(page.getByRole("heading", { level: 1, name: "Rollouts" })).toBeVisible();
  await expect(env).toHaveValue("staging");

  await nav.getByRole("link", { name: "Flags", exact: true }).click();
  await expect(page).toHaveURL(/\/flags\?env=staging$/);
  await expect(page.getByRole("heading", { level: 1, name: "Flags" })).toBeVisible();

  await nav.getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page).toHaveURL(/\/audit\?env=staging$/);
  await expect(env).toHaveValue("staging");

  await page.reload();
  await expect(page.getByRole("combobox", { name: "Environment" })).toHaveValue("staging");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview", exact: true }).click();
  await expect(page).toHaveURL(/\/\?env=staging$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Environment" })).toHaveValue("staging");
});

test("signing out returns to the sign-in page and ends the session", async ({ adminPage: page }) => {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to Rollgate" })).toBeVisible();

  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
});

test("a protected page without a session redirects to sign-in, then back to that page", async ({ page }) => {
  await page.goto("/audit?env=staging");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Sign in to Rollgate" })).toBeVisible();

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/audit\?env=staging$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
});

test("a wrong password keeps you on the sign-in page with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-right-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password. Check both and try again.");
  await expect(page).toHaveURL(/\/login/);
});

test("an unknown address shows the not-found page", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "There is nothing at this address" })).toBeVisible();
});
