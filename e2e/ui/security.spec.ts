/**
 * Security from the outside, as an attacker probes it:
 * - CSRF in real Chromium: a page on another origin (127.0.0.1, another port: same site, so the
 *   SameSite=Lax session cookie rides along) auto-submits a text/plain form that would create an
 *   admin, an empty form POST that would roll a running rollout back, and a no-cors fetch that
 *   would create a flag. All are refused and change nothing; the app's own pages still write.
 * - Framing: the same page cannot frame /settings/users.
 * - Open redirects through `callbackUrl`, and no 500 for control characters or malformed URLs.
 * - Revocable sessions: a captured cookie dies at sign-out, admin password reset, role change,
 *   deactivation and "sign out everywhere" (API and both buttons).
 * - Sign-in throttling: an attacker hammering from one address is slowed down; the owner from
 *   a clean address gets in (addresses vary through X-Forwarded-For: the e2e server trusts
 *   127.0.0.1 as a proxy, scripts/e2e-server.ts).
 * - Security headers on a page, an API answer and the lean evaluate answer; the /metrics token.
 */
import { createServer, type Server } from "node:http";
import { request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, expect, RollgateApi, signInViaUi, test, TEST_PASSWORD, uniqueEmail } from "../fixtures";
import { createApiKey, createModelFlag, createRollout, ENV, startRollout, uid } from "../helpers/service";

const APP_PORT = Number(process.env.E2E_PORT ?? "3210");
const APP = `http://127.0.0.1:${APP_PORT}`;
const ATTACKER_PORT = APP_PORT + 8;
const ATTACKER = `http://127.0.0.1:${ATTACKER_PORT}`;
/** Same value as scripts/e2e-server.ts gives the app. */
const METRICS_TOKEN = "e2e-metrics-token-0123456789";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#39;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The attacker's pages, each built from its query string. */
function attackPage(url: URL): string {
  const q = url.searchParams;
  switch (url.pathname) {
    case "/create-admin": {
      // text/plain encodes `name=value`: the name opens a JSON document, the value closes it.
      const name = `{"email":"${q.get("email")}","name":"csrf","roles":["admin"],"password":"csrf-password-1234","pad":"`;
      return `<form id="f" method="POST" action="${APP}/api/v1/users" enctype="text/plain"><input type="hidden" name='${esc(name)}' value='"}'></form><script>document.getElementById("f").submit()</script>`;
    }
    case "/rollback":
      return `<form id="f" method="POST" action="${APP}/api/v1/rollouts/${esc(q.get("id") ?? "")}/rollback"></form><script>document.getElementById("f").submit()</script>`;
    case "/create-flag": {
      const flag = {
        environment: ENV,
        key: q.get("key"),
        kind: "model",
        variants: [{ key: "a", payload: { provider: "openai", model: "a" } }],
        defaultVariant: "a",
        fallbackVariant: "a",
      };
      return `<script>fetch(${JSON.stringify(`${APP}/api/v1/flags`)}, { method: "POST", mode: "no-cors", credentials: "include", body: ${JSON.stringify(JSON.stringify(flag))} }).then(() => { document.title = "sent"; }, () => { document.title = "failed"; });</script>`;
    }
    case "/frame":
      return `<iframe id="victim" src="${APP}/settings/users" width="800" height="600"></iframe>`;
    default:
      return "attacker";
  }
}

let attacker: Server;

test.beforeAll(async () => {
  attacker = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><body>${attackPage(new URL(req.url ?? "/", ATTACKER))}</body></html>`);
  });
  await new Promise<void>((resolve) => attacker.listen(ATTACKER_PORT, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => attacker.close(() => resolve()));
});

async function refusedResponse(page: Page, path: string, method: string, visit: () => Promise<unknown>) {
  const response = page.waitForResponse((r) => r.url().startsWith(`${APP}${path}`) && r.request().method() === method);
  await visit();
  return response;
}

test.describe("CSRF from another origin on the same host", () => {
  test("a text/plain form that would create an admin is refused and creates nothing", async ({ adminPage, adminApi }) => {
    const email = uniqueEmail("csrf");
    const res = await refusedResponse(adminPage, "/api/v1/users", "POST", () => adminPage.goto(`${ATTACKER}/create-admin?email=${encodeURIComponent(email)}`));
    expect(res.status()).toBe(403);
    expect(res.request().headers()["content-type"]).toBe("text/plain");
    expect(await res.json()).toMatchObject({ code: "cross_site_request" });
    expect((await adminApi.listUsers()).map((u) => u.email)).not.toContain(email);
  });

  test("an empty form POST to a running rollout's rollback is refused; the rollout keeps running", async ({ adminPage, adminApi }) => {
    const flagKey = `csrf-${uid()}.model`;
    await createModelFlag(adminApi.request, flagKey);
    const rollout = await createRollout(adminApi.request, { flagKey, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1" });
    await startRollout(adminApi.request, rollout.id);

    const res = await refusedResponse(adminPage, `/api/v1/rollouts/${rollout.id}/rollback`, "POST", () => adminPage.goto(`${ATTACKER}/rollback?id=${rollout.id}`));
    expect(res.status()).toBe(403);
    const after = await adminApi.request.get(`/api/v1/rollouts/${rollout.id}`);
    expect(((await after.json()) as { state: string }).state).toBe("running");
  });

  test("a no-cors fetch that would create a flag is refused and creates nothing; the app's own page still can", async ({ adminPage, adminApi }) => {
    const key = `csrf-${uid()}.model`;
    const res = await refusedResponse(adminPage, "/api/v1/flags", "POST", () => adminPage.goto(`${ATTACKER}/create-flag?key=${encodeURIComponent(key)}`));
    expect(res.status()).toBe(403);
    await expect(adminPage).toHaveTitle("sent");
    expect((await adminApi.request.get(`/api/v1/flags/${key}?environment=${ENV}`)).status()).toBe(404);

    // The same browser, the same cookie, on the app's own page: a JSON write works, text/plain is 415.
    await adminPage.goto("/flags");
    const statuses = await adminPage.evaluate(async (flagKey) => {
      const flag = { environment: "production", key: flagKey, kind: "model", variants: [{ key: "a", payload: { provider: "openai", model: "a" } }], defaultVariant: "a", fallbackVariant: "a" };
      const plain = await fetch("/api/v1/flags", { method: "POST", body: JSON.stringify(flag) });
      const json = await fetch("/api/v1/flags", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(flag) });
      return [plain.status, json.status];
    }, key);
    expect(statuses).toEqual([415, 201]);
  });

  test("the page cannot frame /settings/users", async ({ adminPage }) => {
    const framed = adminPage.waitForResponse((r) => r.url() === `${APP}/settings/users`);
    await adminPage.goto(`${ATTACKER}/frame`);
    const res = await framed;
    expect(res.headers()["x-frame-options"]).toBe("DENY");
    expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await adminPage.waitForTimeout(2000); // time for a framed dashboard to render its table
    for (const frame of adminPage.frames())
      expect(
        await frame
          .locator("[data-testid=users-table]")
          .count()
          .catch(() => 0),
      ).toBe(0);
  });
});

test.describe("callbackUrl never leads off-site and never 500s", () => {
  const hostile = ["%2F%09%2Fevil.example%2Fphish", "%2F%0A%2Fevil.example", "%0D%0A", "%0A", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example%2F", "http%3A%2F%2F127.0.0.1%3A3801.evil.example%2F"];

  test("signed in, /login redirects only to a same-origin path", async ({ adminApi }) => {
    for (const value of hostile) {
      const res = await adminApi.request.get(`/login?callbackUrl=${value}`, { maxRedirects: 0 });
      expect(res.status(), value).toBe(307);
      expect(res.headers()["location"], value).toBe("/");
    }
    const ok = await adminApi.request.get(`/login?callbackUrl=${encodeURIComponent("/audit?q=x")}`, { maxRedirects: 0 });
    expect(ok.headers()["location"]).toBe("/audit?q=x");
  });

  test("signed out, signing in from a hostile link lands on the overview, not off-site", async ({ page }) => {
    for (const value of ["%2F%09%2Fevil.example%2Fphish", "%2F%5Cevil.example", "%0D%0A"]) {
      const res = await page.request.get(`/login?callbackUrl=${value}`);
      expect(res.status(), value).toBe(200);
      await signInViaUi(page, ADMIN.email, ADMIN.password, `/login?callbackUrl=${value}`);
      expect(new URL(page.url()).origin, value).toBe(APP);
      expect(new URL(page.url()).pathname, value).toBe("/");
      // Leave the app first: a session fetch still running on the overview would set the cookie again.
      await page.goto("about:blank");
      await page.context().clearCookies();
    }
  });

  test("next-auth's sign-in POST keeps the redirect on this origin", async ({ request }) => {
    for (const callbackUrl of ["http://127.0.0.1:3801.evil.example/", "https://evil.example/", "/\t/evil.example", "//evil.example"]) {
      const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const res = await request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true", callbackUrl },
        headers: { "x-forwarded-for": "10.55.0.1" },
        maxRedirects: 0,
      });
      expect(res.status(), callbackUrl).toBeLessThan(500);
      const url = res.status() >= 300 && res.status() < 400 ? res.headers()["location"]! : ((await res.json()) as { url: string }).url;
      expect(new URL(url, APP).origin, callbackUrl).toBe(APP);
    }
  });
});

test.describe("sessions are revocable", () => {
  async function captured(api: RollgateApi) {
    return api.request.storageState();
  }
  async function statusWith(state: Awaited<ReturnType<typeof captured>>): Promise<number> {
    const ctx = await playwrightRequest.newContext({ baseURL: APP, storageState: state });
    const status = (await ctx.get("/api/v1/me")).status();
    await ctx.dispose();
    return status;
  }

  test("a cookie captured before sign-out stops working at sign-out", async ({ makeUser, apiAs }) => {
    const user = await makeUser(["viewer"]);
    const api = await apiAs(user);
    const copy = await captured(api);
    expect(await statusWith(copy)).toBe(200);
    const { csrfToken } = (await (await api.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    expect((await api.request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/login", json: "true" } })).ok()).toBe(true);
    expect(await statusWith(copy)).toBe(401);
    // Pages send it to sign-in instead of rendering.
    const ctx = await playwrightRequest.newContext({ baseURL: APP, storageState: copy });
    const page = await ctx.get("/audit", { maxRedirects: 0 });
    expect(page.status() === 307 || (await page.text()).includes("Redirecting to sign-in")).toBe(true);
    expect(await page.text()).not.toContain("audit-table");
    await ctx.dispose();
  });

  test("an admin's password reset, role change or deactivation ends the user's sessions at once", async ({ makeUser, apiAs, adminApi }) => {
    for (const change of [{ password: "a-brand-new-password-1" }, { roles: ["viewer", "operator"] }, { active: false }]) {
      const user = await makeUser(["viewer"]);
      const copy = await captured(await apiAs(user));
      expect(await statusWith(copy)).toBe(200);
      const res = await adminApi.request.patch(`/api/v1/users/${user.id}`, { data: change });
      expect(res.status(), await res.text()).toBe(200);
      expect(await statusWith(copy), JSON.stringify(change)).toBe(401);
      if ("active" in change) {
        expect((await adminApi.request.patch(`/api/v1/users/${user.id}`, { data: { active: true } })).status()).toBe(200);
        expect(await statusWith(copy)).toBe(401); // reactivation does not revive old sessions
      }
    }
  });

  test("sign out everywhere: for oneself and by an admin, audited", async ({ makeUser, apiAs, adminApi }) => {
    const user = await makeUser(["operator"]);
    const [a, b] = [await apiAs(user), await apiAs(user)];
    const [copyA, copyB] = [await captured(a), await captured(b)];
    const self = await a.request.delete("/api/v1/me/sessions");
    expect(self.status(), await self.text()).toBe(200);
    expect(((await self.json()) as { sessionsRevoked: number }).sessionsRevoked).toBe(2);
    expect([await statusWith(copyA), await statusWith(copyB)]).toEqual([401, 401]);

    const c = await apiAs(user);
    const copyC = await captured(c);
    const byAdmin = await adminApi.request.delete(`/api/v1/users/${user.id}/sessions`);
    expect(byAdmin.status()).toBe(200);
    expect(await statusWith(copyC)).toBe(401);
    const audit = (await (await adminApi.request.get(`/api/v1/audit?resourceId=${user.id}`)).json()) as { records: { action: string }[] };
    expect(audit.records.filter((r) => r.action === "user.sign_out_everywhere")).toHaveLength(2);

    // A viewer may not sign others out.
    const viewer = await apiAs(await makeUser(["viewer"]));
    expect((await viewer.request.delete(`/api/v1/users/${user.id}/sessions`)).status()).toBe(403);
  });

  test("the buttons: Settings → Users signs a user out everywhere; the user menu signs oneself out everywhere", async ({ adminPage, makeUser, apiAs, browser }) => {
    test.setTimeout(150_000);
    const user = await makeUser(["viewer"]);
    const copy = await captured(await apiAs(user));
    await adminPage.goto("/settings/users");
    await adminPage.getByRole("button", { name: `Sign ${user.email} out everywhere` }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(adminPage.getByText(`${user.email} is signed out of 1 session.`)).toBeVisible();
    expect(await statusWith(copy)).toBe(401);

    const context = await browser.newContext({ baseURL: APP });
    const page = await context.newPage();
    await signInViaUi(page, user.email, TEST_PASSWORD);
    const other = await captured(await apiAs(user));
    await page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/login/);
    expect(await statusWith(other)).toBe(401);
    await context.close();
  });
});

test.describe("sign-in throttling", () => {
  async function signInFrom(request: APIRequestContext, ip: string, email: string, password: string): Promise<string | null> {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true", callbackUrl: "/" },
      headers: { "x-forwarded-for": ip },
      maxRedirects: 0,
    });
    const redirected = res.status() >= 300 && res.status() < 400;
    const location = redirected ? res.headers()["location"]! : ((await res.json()) as { url: string }).url;
    return new URL(location, APP).searchParams.get("error");
  }

  test("an attacker hammering one address is slowed down with growing delays; the owner from a clean address gets in", async ({ makeUser }) => {
    test.setTimeout(120_000);
    const owner = await makeUser(["admin"]);
    const attackerIp = `10.66.${Math.floor(Math.random() * 250)}.1`;
    const attackerCtx = await playwrightRequest.newContext({ baseURL: APP });
    // 10 free failures (ROLLGATE_SIGNIN_MAX_FAILURES in scripts/e2e-server.ts), then 1 s, 2 s, 4 s, 8 s delays.
    let failures = 0;
    let refusals = 0;
    while (failures < 14) {
      const error = await signInFrom(attackerCtx, attackerIp, owner.email, `guess-${failures}-password`);
      if (error === "CredentialsSignin") failures++;
      else {
        expect(error).toBe("RateLimited");
        refusals++;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    expect(refusals).toBeGreaterThan(0);
    // Now the attacker's address waits 16 s: even the right password is refused there.
    expect(await signInFrom(attackerCtx, attackerIp, owner.email, owner.password)).toBe("RateLimited");
    await attackerCtx.dispose();

    const ownerCtx = await playwrightRequest.newContext({ baseURL: APP });
    expect(await signInFrom(ownerCtx, "10.77.0.1", owner.email, owner.password)).toBeNull();
    expect((await ownerCtx.get("/api/v1/me")).status()).toBe(200);
    await ownerCtx.dispose();
  });
});

test.describe("security headers and the metrics token", () => {
  const expectHardened = (headers: Record<string, string>) => {
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  };

  test("a page: nonce CSP that Next's own scripts carry, and pages render and hydrate under it", async ({ adminPage }) => {
    test.setTimeout(180_000);
    const violations: string[] = [];
    adminPage.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const res = await adminPage.goto("/");
    const headers = res!.headers();
    expectHardened(headers);
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"]!)?.[1];
    expect(nonce).toBeTruthy();
    expect(headers["content-security-policy"]).toContain("script-src 'self' 'nonce-");
    expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await (await adminPage.request.get("/login")).text();
    expect(html).toMatch(/<script[^>]+nonce=/);

    for (const path of ["/", "/rollouts", "/slos"]) {
      await adminPage.goto(path);
      await expect(adminPage.getByTestId("user-email")).toBeVisible();
    }
    // Data fetched by the client and client-side navigation: the app's scripts ran.
    await adminPage.goto("/settings/users");
    await expect(adminPage.getByTestId("users-table")).toBeVisible({ timeout: 30_000 });
    await adminPage.getByRole("link", { name: "Flags" }).first().click();
    await adminPage.waitForURL(/\/flags/, { timeout: 30_000 });
    expect(violations).toEqual([]);
  });

  test("an API answer and the lean evaluate answer carry the headers too", async ({ request, adminApi }) => {
    expectHardened((await request.get("/api/v1/users")).headers());
    expectHardened((await request.get("/api/health")).headers());
    const unauthenticated = await request.post("/api/v1/evaluate", { data: { context: { userId: "u" } } });
    expect(unauthenticated.status()).toBe(401);
    expectHardened(unauthenticated.headers());
    const key = await createApiKey(adminApi.request, ["evaluate"]);
    const evaluate = () => request.post("/api/v1/evaluate", { headers: { authorization: `Bearer ${key}` }, data: { context: { userId: "u" } } });
    // A new key reaches the in-memory store within a snapshot poll.
    await expect.poll(async () => (await evaluate()).status(), { timeout: 15_000 }).toBe(200);
    const evaluated = await evaluate();
    expectHardened(evaluated.headers());
    expect(evaluated.headers()["content-security-policy"]).toContain("default-src 'none'");
  });

  test("/metrics needs the bearer token when ROLLGATE_METRICS_TOKEN is set", async ({ request }) => {
    const none = await request.get("/metrics");
    expect(none.status()).toBe(401);
    expect(none.headers()["www-authenticate"]).toContain("Bearer");
    expect((await request.get("/metrics", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status()).toBe(401);
    const ok = await request.get("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status()).toBe(200);
    expect(await ok.text()).toContain("# TYPE");
  });
});
