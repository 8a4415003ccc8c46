/** Settings → Users by clicking, its audit trail, and what a non-admin is shown. */
import { expect, signInViaUi, test, TEST_PASSWORD, uniqueEmail, type TestUser } from "../fixtures";
import type { Page } from "@playwright/test";

function userRow(page: Page, email: string) {
  return page.locator(`tr[data-testid="user-row"][data-email="${email}"]`);
}

async function openUsers(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /^Users/ }).click();
  await expect(page).toHaveURL(/\/settings\/users/);
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
}

test("admin creates a viewer through Settings → Users; it is listed, audited, and the chain verifies", async ({ adminPage: page }) => {
  const email = uniqueEmail("viewer");
  await openUsers(page);

  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Vera Viewer");
  await expect(dialog.getByRole("checkbox", { name: /^Viewer/ })).toBeChecked();
  await dialog.getByLabel("Initial password").fill(TEST_PASSWORD);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();

  const row = userRow(page, email);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Vera Viewer");
  await expect(row).toContainText("viewer");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  const userId = await row.getAttribute("data-user-id");
  expect(userId).toBeTruthy();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.getByLabel("Search").fill(userId!);
  await page.getByLabel("Action").fill("user.create");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=user\.create/);

  const records = page.getByTestId("audit-row");
  await expect(records).toHaveCount(1);
  await expect(records.first()).toContainText("user.create");
  await expect(records.first()).toContainText("admin@rollgate.test");
  await records
    .first()
    .getByRole("button", { name: /Show details/ })
    .click();
  await expect(page.locator(".row-details")).toContainText(email);

  // The export links carry the same filters.
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /format=csv.*action=user\.create/);

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("chain-result")).toContainText(/Chain intact — [\d,]+ records verified/);
});

test("the create form shows every field error at once, in words, next to its field, and creates nothing", async ({ adminPage: page, adminApi }) => {
  await openUsers(page);
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Email").fill("not-an-email");
  await dialog.getByLabel("Name").fill("Bad Input");
  await dialog.getByLabel("Initial password").fill("short");
  await dialog.getByRole("button", { name: "Create user" }).click();

  await expect(dialog.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(dialog.getByLabel("Initial password")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Initial password")).toHaveAccessibleDescription("The password must be at least 12 characters.");
  await expect(dialog.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
  // Focus goes to the first field to fix.
  await expect(dialog.getByLabel("Email")).toBeFocused();
  await expect(dialog).toBeVisible();
  expect((await adminApi.listUsers()).map((u) => u.email)).not.toContain("not-an-email");
});

test("admin changes a user's roles, then deactivates and reactivates them after confirming", async ({ adminPage: page, makeUser, baseURL }) => {
  const user: TestUser = await makeUser(["viewer"]);
  await openUsers(page);
  const row = userRow(page, user.email);

  await row.getByRole("button", { name: `Change roles of ${user.email}` }).click();
  const roles = page.getByRole("dialog", { name: "Change roles" });
  await roles.getByRole("checkbox", { name: /^Operator/ }).check();
  await roles.getByRole("button", { name: "Save roles" }).click();
  await expect(roles).toBeHidden();
  await expect(row).toContainText("operator");

  await row.getByRole("button", { name: `Deactivate ${user.email}` }).click();
  const confirm = page.getByRole("dialog", { name: "Deactivate user?" });
  await expect(confirm).toContainText(user.email);
  await confirm.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Deactivated");

  // A deactivated account cannot sign in.
  const probe = await page.context().browser()!.newContext({ baseURL });
  const probePage = await probe.newPage();
  await probePage.goto("/login");
  await probePage.getByLabel("Email").fill(user.email);
  await probePage.getByLabel("Password").fill(user.password);
  await probePage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(probePage.getByTestId("sign-in-error")).toBeVisible();
  await probe.close();

  await row.getByRole("button", { name: `Reactivate ${user.email}` }).click();
  const again = page.getByRole("dialog", { name: "Reactivate user?" });
  await again.getByRole("button", { name: "Reactivate", exact: true }).click();
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Deactivated");
});

test("a viewer sees the 403 panel on Settings → Users and no create button", async ({ page, makeUser }) => {
  const viewer = await makeUser(["viewer"]);
  await signInViaUi(page, viewer.email, viewer.password);
  await expect(page.getByTestId("user-email")).toHaveText(viewer.email);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByText("Admins only")).toBeVisible();
  await page.getByRole("link", { name: /^Users/ }).click();

  await expect(page).toHaveURL(/\/settings\/users/);
  await expect(page.getByRole("heading", { name: "You don't have access to user management" })).toBeVisible();
  await expect(page.getByText("403 · Forbidden")).toBeVisible();
  await expect(page.getByText("user.manage")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create user" })).toHaveCount(0);
  await expect(page.getByTestId("users-table")).toHaveCount(0);

  // The viewer may still read the audit trail.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-table")).toBeVisible();
});
