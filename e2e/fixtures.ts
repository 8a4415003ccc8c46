/**
 * Shared Playwright fixtures: the e2e admin, sign-in through the UI and through next-auth's
 * HTTP endpoints, and per-test data factories that create users with unique emails via the API.
 */
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";

/** Created by scripts/e2e-server.ts on a fresh database. */
export const ADMIN = { email: "admin@rollgate.test", password: "admin-password-e2e" } as const;

export type Role = "viewer" | "operator" | "reviewer" | "admin";

export interface TestUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  password: string;
}

let counter = 0;
/** An email no other test (or earlier run against the same database) has used. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}@rollgate.test`;
}

export const TEST_PASSWORD = "correct-horse-battery-staple";

/** Fills the sign-in form and waits until the browser has left /login. */
export async function signInViaUi(page: Page, email: string, password: string, path = "/login"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/**
 * Signs `request` in through next-auth (CSRF token, then the credentials callback); the session
 * cookie stays in the context. Returns next-auth's error code, or null on success.
 */
export async function signInViaApi(request: APIRequestContext, email: string, password: string): Promise<string | null> {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true", callbackUrl: "/" },
    maxRedirects: 0,
  });
  const location = res.status() >= 300 && res.status() < 400 ? res.headers()["location"] : ((await res.json()) as { url?: string }).url;
  if (!location) throw new Error(`sign-in answered ${res.status()} without a url`);
  return new URL(location, "http://localhost").searchParams.get("error");
}

/** A signed-in HTTP client for the Rollgate API, sending the app's Origin as the dashboard does. */
export class RollgateApi {
  constructor(readonly request: APIRequestContext) {}

  static async signIn(baseURL: string, email: string, password: string): Promise<RollgateApi> {
    // Like a browser on the app's own pages: cookie-authenticated writes must carry the app's Origin.
    const request = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL).origin } });
    const error = await signInViaApi(request, email, password);
    if (error) throw new Error(`could not sign in as ${email}: ${error}`);
    return new RollgateApi(request);
  }

  createUserRaw(body: unknown): Promise<APIResponse> {
    return this.request.post("/api/v1/users", { data: body });
  }

  async createUser(input: { roles?: Role[]; email?: string; name?: string; password?: string } = {}): Promise<TestUser> {
    const body = {
      email: input.email ?? uniqueEmail(input.roles?.[0] ?? "user"),
      name: input.name ?? "E2E Person",
      roles: input.roles ?? ["viewer"],
      password: input.password ?? TEST_PASSWORD,
    };
    const res = await this.createUserRaw(body);
    expect(res.status(), await res.text()).toBe(201);
    const user = (await res.json()) as { id: string; email: string; name: string; roles: Role[] };
    return { ...user, password: body.password };
  }

  async listUsers(): Promise<{ id: string; email: string; roles: Role[]; active: boolean }[]> {
    const res = await this.request.get("/api/v1/users");
    expect(res.status()).toBe(200);
    return ((await res.json()) as { users: { id: string; email: string; roles: Role[]; active: boolean }[] }).users;
  }

  dispose(): Promise<void> {
    return this.request.dispose();
  }
}

interface Fixtures {
  /** HTTP client signed in as the e2e admin. */
  adminApi: RollgateApi;
  /** Creates a user with the given roles (unique email, known password). */
  makeUser: (roles: Role[]) => Promise<TestUser>;
  /** Signs a fresh HTTP client in as `user`; disposed after the test. */
  apiAs: (user: { email: string; password: string }) => Promise<RollgateApi>;
  /** A browser page signed in as the admin through the sign-in form. */
  adminPage: Page;
}

export const test = base.extend<Fixtures>({
  adminApi: async ({ baseURL }, use) => {
    const api = await RollgateApi.signIn(baseURL!, ADMIN.email, ADMIN.password);
    await use(api);
    await api.dispose();
  },
  makeUser: async ({ adminApi }, use) => {
    await use((roles) => adminApi.createUser({ roles }));
  },
  apiAs: async ({ baseURL }, use) => {
    const opened: RollgateApi[] = [];
    await use(async (user) => {
      const api = await RollgateApi.signIn(baseURL!, user.email, user.password);
      opened.push(api);
      return api;
    });
    await Promise.all(opened.map((a) => a.dispose()));
  },
  adminPage: async ({ page }, use) => {
    await signInViaUi(page, ADMIN.email, ADMIN.password);
    await use(page);
  },
});

export { expect };
