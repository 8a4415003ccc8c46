/**
 * Addresses that name nothing answer HTTP 404 with a page that says what is missing and links
 * back: an unknown rollout, flag or SLO (also ids that are not UUIDs), and an unknown
 * environment, which is not shown as if it existed.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "../fixtures";
import { createModelFlag, ENV, uid } from "../helpers/service";

test("unknown rollouts, flags, SLOs and environments answer 404 over HTTP; real ones 200", async ({ adminApi }) => {
  const api = adminApi.request;
  const flagKey = `known-${uid()}.model`;
  await createModelFlag(api, flagKey);
  const status = async (path: string) => (await api.get(path, { maxRedirects: 0 })).status();

  expect(await status(`/rollouts/${randomUUID()}`)).toBe(404);
  expect(await status("/rollouts/not-a-uuid")).toBe(404);
  expect(await status("/rollouts/%E2%9C%93'%22;--")).toBe(404);
  expect(await status(`/rollouts/${randomUUID()}/gates`)).toBe(404);
  expect(await status(`/flags/no-such-flag-${uid()}?env=${ENV}`)).toBe(404);
  expect(await status(`/flags/${flagKey}?env=staging`)).toBe(404);
  expect(await status(`/slos/${randomUUID()}`)).toBe(404);
  expect(await status("/slos/12345")).toBe(404);
  for (const path of ["/", "/flags", "/rollouts", "/rollouts/new", "/audit", "/settings", `/flags/${flagKey}`]) {
    expect(await status(`${path}?env=nope`), path).toBe(404);
  }

  expect(await status(`/flags/${flagKey}?env=${ENV}`)).toBe(200);
  expect(await status(`/flags/${flagKey}`)).toBe(200);
  expect(await status(`/flags?env=staging`)).toBe(200);
  expect(await status(`/rollouts?env=${ENV}`)).toBe(200);
});

test("an unknown rollout shows a not-found page with the way back, not 'Try again'", async ({ adminPage: page }) => {
  test.setTimeout(120_000);
  const id = randomUUID();
  const res = await page.goto(`/rollouts/${id}?env=${ENV}`);
  expect(res?.status()).toBe(404);
  const panel = page.getByTestId("not-found");
  await expect(panel.getByRole("heading", { level: 1 })).toHaveText(`There is no rollout ${id}`);
  await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(0);
  await panel.getByRole("link", { name: "All rollouts" }).click();
  await expect(page).toHaveURL(/\/rollouts\?env=production$/);
  await expect(page.getByRole("heading", { level: 1, name: "Rollouts" })).toBeVisible();
});

test("an unknown flag says which flag and environment, and links to the flag list", async ({ adminPage: page }) => {
  test.setTimeout(120_000);
  const key = `ghost-${uid()}`;
  const res = await page.goto(`/flags/${key}?env=staging`);
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found").getByRole("heading", { level: 1 })).toHaveText(`There is no flag ${key} in Staging`);
  await page.getByTestId("not-found").getByRole("link", { name: "All flags" }).click();
  await expect(page).toHaveURL(/\/flags\?env=staging$/);
});

test("an unknown environment is an error page listing the real ones, with no New flag", async ({ adminPage: page }) => {
  test.setTimeout(120_000);
  const res = await page.goto("/flags?env=nope");
  expect(res?.status()).toBe(404);
  const panel = page.getByTestId("not-found");
  await expect(panel.getByRole("heading", { level: 1 })).toHaveText("There is no environment nope");
  await expect(page.getByRole("button", { name: "New flag" })).toHaveCount(0);
  await expect(page.getByText("Nope (unknown)")).toHaveCount(0);
  const envs = panel.getByRole("list", { name: "Environments" });
  await expect(envs.getByRole("link")).toHaveText([/Production/, /Staging/]);
  await envs.getByRole("link", { name: /Staging/ }).click();
  await expect(page).toHaveURL(/\/flags\?env=staging$/);
  await expect(page.getByRole("heading", { level: 1, name: "Flags" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Environment" })).toHaveValue("staging");
});
