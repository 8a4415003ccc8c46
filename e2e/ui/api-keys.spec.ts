/**
 * Settings → API keys by clicking: an admin creates a key, sees it exactly once, the key works on
 * POST /api/v1/evaluate, the admin revokes it after confirming, and the key is then refused
 * (401). The admin API answers field errors with a session; a viewer gets the 403 panel and 403s.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, signInViaUi, test } from "../fixtures";

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function keyRow(page: Page, name: string) {
  return page.locator(`tr[data-testid="api-key-row"][data-name="${name}"]`);
}

/** Settings → API keys through the navigation, as a person gets there. */
async function openApiKeys(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /^API keys/ }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys/);
}

function evaluate(request: APIRequestContext, key: string) {
  return request.post("/api/v1/evaluate", { headers: { authorization: `Bearer ${key}` }, data: { context: { userId: "u1" } } });
}

test("admin creates a key, sees it once, it evaluates; revoked after confirming, it gets 401", async ({ adminPage: page, request, context }) => {
  const name = `checkout ${uid()}`;
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openApiKeys(page);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

  await page.getByTestId("create-api-key").click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await expect(dialog).toContainText("Production");
  const save = dialog.getByRole("button", { name: "Create key" });
  // At least one scope.
  await dialog.getByRole("checkbox", { name: /^evaluate/ }).uncheck();
  await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
  // Saving an empty form names every field to fix, and focus goes to the first.
  await save.click();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription("Enter a name.");
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
  await dialog.getByLabel("Name").fill(name);
  await save.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("checkbox", { name: /^evaluate/ }).check();
  await dialog.getByLabel(/Rate limit/).fill("50");
  await save.click();
  await expect(dialog).toBeHidden();

  // Shown once, with a copy button and the warning.
  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  await expect(shown).toContainText("You will not see this key again");
  const key = (await shown.getByTestId("api-key-secret").textContent())!.trim();
  expect(key).toMatch(/^rg_[A-Za-z0-9_-]{32}$/);
  await shown.getByRole("button", { name: "Copy to clipboard" }).click();
  await expect(shown.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await page.keyboard.press("Escape"); // a stray Escape does not lose the key
  await expect(shown).toBeVisible();
  await shown.getByRole("button", { name: "I have copied it" }).click();
  await expect(shown).toBeHidden();

  const row = keyRow(page, name);
  await expect(row).toBeVisible();
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).toContainText("evaluate");
  await expect(row).toContainText("50/s");
  await expect(row).toContainText("admin@rollgate.test");
  await expect(row).toContainText("Never");
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(key);
  await page.reload();
  await expect(keyRow(page, name)).toBeVisible();
  expect(await page.content()).not.toContain(key);

  // The key works on the evaluation API (the snapshot picks it up at once, or within a poll).
  await expect.poll(async () => (await evaluate(request, key)).status(), { timeout: 5000 }).toBe(200);
  const body = (await (await evaluate(request, key)).json()) as { flags: Record<string, unknown> };
  expect(body.flags).toBeDefined();

  // The list answers without the key or its hash, and records the use (flushed every few seconds).
  const id = await row.getAttribute("data-key-id");
  await expect
    .poll(
      async () => {
        const res = await page.request.get("/api/v1/api-keys?environment=production");
        const text = await res.text();
        expect(text).not.toContain(key);
        const listed = (JSON.parse(text) as { apiKeys: { id: string; lastUsedAt: string | null; keyHash?: string }[] }).apiKeys.find((k) => k.id === id);
        expect(listed).toBeDefined();
        expect(listed).not.toHaveProperty("keyHash");
        return listed!.lastUsedAt;
      },
      { timeout: 20_000 },
    )
    .not.toBeNull();

  // Cancelling changes nothing.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(confirm).toContainText(name);
  await expect(confirm).toContainText(key.slice(0, 10));
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Active");
  expect((await evaluate(request, key)).status()).toBe(200);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page
    .getByRole("dialog", { name: `Revoke “${name}”?` })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(page.getByText(`Revoked ${name}. Requests with it now get 401.`)).toBeVisible();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  await expect.poll(async () => (await evaluate(request, key)).status(), { timeout: 5000 }).toBe(401);
  const refused = await evaluate(request, key);
  expect(((await refused.json()) as { code: string }).code).toBe("unauthenticated");

  // Both changes are in the audit log, without the key.
  const audit = await page.request.get(`/api/v1/audit?resourceId=${id}`);
  const auditText = await audit.text();
  expect(auditText).toContain("api_key.create");
  expect(auditText).toContain("api_key.revoke");
  expect(auditText).not.toContain(key);
});

test("the admin API answers bad bodies with field paths and creates nothing", async ({ adminApi }) => {
  const name = `bad ${uid()}`;
  const post = (data: Record<string, unknown>) => adminApi.request.post("/api/v1/api-keys", { data: { environment: "production", name, scopes: ["evaluate"], ...data } });
  const paths = async (res: Awaited<ReturnType<typeof post>>) => ((await res.json()) as { details?: { errors?: { path: string }[] } }).details?.errors?.map((e) => e.path) ?? [];

  const noScopes = await post({ scopes: [] });
  expect(noScopes.status()).toBe(400);
  expect(await paths(noScopes)).toContain("scopes");
  const unknownScope = await post({ scopes: ["root"] });
  expect(unknownScope.status()).toBe(400);
  expect(await paths(unknownScope)).toContain("scopes.0");
  const emptyName = await post({ name: " " });
  expect(emptyName.status()).toBe(400);
  expect(await paths(emptyName)).toContain("name");
  const limit = await post({ rateLimitPerSecond: 100_001 });
  expect(limit.status()).toBe(400);
  expect(await paths(limit)).toContain("rateLimitPerSecond");
  const unknownEnv = await post({ environment: "nowhere" });
  expect(unknownEnv.status()).toBe(404);
  expect(await paths(unknownEnv)).toContain("environment");

  const list = await adminApi.request.get("/api/v1/api-keys");
  expect(list.status()).toBe(200);
  expect(((await list.json()) as { apiKeys: { name: string }[] }).apiKeys.map((k) => k.name)).not.toContain(name);

  // A valid body: 201 with top-level id and key; the default rate limit; revoke answers the key as revoked.
  const created = await post({});
  expect(created.status()).toBe(201);
  const { id, key, rateLimitPerSecond } = (await created.json()) as { id: string; key: string; rateLimitPerSecond: number };
  expect(key).toMatch(/^rg_/);
  expect(rateLimitPerSecond).toBe(1000);
  const revoked = await adminApi.request.delete(`/api/v1/api-keys/${id}`);
  expect(revoked.status()).toBe(200);
  const revokedBody = (await revoked.json()) as { state: string };
  expect(revokedBody.state).toBe("revoked");
  expect(JSON.stringify(revokedBody)).not.toContain(key);
  expect((await adminApi.request.delete("/api/v1/api-keys/00000000-0000-4000-8000-000000000000")).status()).toBe(404);
});

test("a viewer sees the 403 panel on Settings → API keys, and the API refuses them", async ({ page, makeUser, apiAs }) => {
  const viewer = await makeUser(["viewer"]);
  await signInViaUi(page, viewer.email, viewer.password);
  await expect(page.getByTestId("user-email")).toHaveText(viewer.email);
  await openApiKeys(page);
  await expect(page.getByRole("heading", { name: "You don't have access to API keys" })).toBeVisible();
  await expect(page.getByText("403 · Forbidden")).toBeVisible();
  await expect(page.getByText("api_key.manage")).toBeVisible();
  await expect(page.getByTestId("create-api-key")).toHaveCount(0);
  await expect(page.getByTestId("api-keys-table")).toHaveCount(0);

  const api = await apiAs(viewer);
  expect((await api.request.get("/api/v1/api-keys")).status()).toBe(403);
  const create = await api.request.post("/api/v1/api-keys", { data: { environment: "production", name: `viewer ${uid()}`, scopes: ["evaluate"] } });
  expect(create.status()).toBe(403);
  expect(await create.text()).not.toMatch(/"key"/);
});
