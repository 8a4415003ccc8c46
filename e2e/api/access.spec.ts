/** Access control and input validation at the HTTP edge, with no browser involved. */
import { ADMIN, expect, signInViaApi, test, TEST_PASSWORD, uniqueEmail } from "../fixtures";
import { bearer, ENV, uid } from "../helpers/service";

test("the health endpoint answers 200 with the database up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", db: "up" });
});

test("without a session, /api/v1/users answers 401 as a JSON problem", async ({ request }) => {
  const res = await request.get("/api/v1/users");
  expect(res.status()).toBe(401);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const problem = await res.json();
  expect(problem).toMatchObject({ status: 401, code: "unauthenticated", title: "Authentication required" });
  expect(problem.requestId).toEqual(expect.any(String));
  expect(problem.requestId.length).toBeGreaterThan(0);
});

test("an unknown API path is a 404 problem for every method, and a method a route lacks a 405 problem", async ({ adminApi, request }) => {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
    for (const path of ["/api", "/api/v1/nope", "/api/v1/flags/x/y/z/w"]) {
      const res = await request.fetch(path, { method });
      expect(res.status(), `${method} ${path}`).toBe(404);
      expect(res.headers()["content-type"]).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 404, code: "not_found" });
    }
  }
  // `/api/v1/users/./sessions` is normalised to `/api/v1/users/sessions`: the user route, which has no DELETE.
  const usersBefore = (await adminApi.listUsers()).length;
  const res = await adminApi.request.delete("/api/v1/users/sessions");
  expect(res.status()).toBe(405);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect(await res.json()).toMatchObject({ status: 405, code: "method_not_allowed", title: "Method not allowed" });
  expect((await adminApi.listUsers()).length).toBe(usersBefore);
});

test("a viewer session gets a 403 problem on POST /api/v1/users and nothing is created", async ({ makeUser, apiAs, adminApi }) => {
  const viewer = await makeUser(["viewer"]);
  const viewerApi = await apiAs(viewer);
  const email = uniqueEmail("forbidden");

  const res = await viewerApi.createUserRaw({ email, name: "Not Allowed", roles: ["viewer"], password: TEST_PASSWORD });

  expect(res.status()).toBe(403);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect(await res.json()).toMatchObject({ status: 403, code: "forbidden" });
  expect((await adminApi.listUsers()).map((u) => u.email)).not.toContain(email);
});

const badInputs = [
  { what: "a malformed email", change: { email: "not-an-email" }, field: "email" },
  { what: "a password under 12 characters", change: { password: "short" }, field: "password" },
  { what: "an unknown role", change: { roles: ["superuser"] }, field: "roles" },
  { what: "no role at all", change: { roles: [] }, field: "roles" },
] as const;

for (const { what, change, field } of badInputs) {
  test(`${what} → 400 with a field error on "${field}", and no user created`, async ({ adminApi }) => {
    const email = uniqueEmail("invalid");
    const body = { email, name: "Invalid Input", roles: ["viewer"], password: TEST_PASSWORD, ...change };

    const res = await adminApi.createUserRaw(body);

    expect(res.status()).toBe(400);
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 400, code: "invalid_input" });
    const paths: string[] = problem.details.errors.map((e: { path: string }) => e.path);
    expect(paths.some((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
    for (const e of problem.details.errors) expect(e.message).toEqual(expect.any(String));
    const emails = (await adminApi.listUsers()).map((u) => u.email);
    expect(emails).not.toContain(email);
    expect(emails).not.toContain("not-an-email");
  });
}

test("every bad field of one request is reported together", async ({ adminApi }) => {
  const res = await adminApi.createUserRaw({ email: "nope", name: "", roles: ["root"], password: "123" });
  expect(res.status()).toBe(400);
  const paths: string[] = (await res.json()).details.errors.map((e: { path: string }) => e.path.split(".")[0]);
  expect(new Set(paths)).toEqual(new Set(["email", "name", "roles", "password"]));
});

test("a wrong password does not sign in: next-auth reports CredentialsSignin and no session exists", async ({ request }) => {
  const error = await signInViaApi(request, ADMIN.email, "definitely-not-the-password");
  expect(error).toBe("CredentialsSignin");
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(401);
});

test("the admin's session reaches /api/v1/me with its roles and permissions", async ({ adminApi }) => {
  const res = await adminApi.request.get("/api/v1/me");
  expect(res.status()).toBe(200);
  const me = await res.json();
  expect(me.email).toBe(ADMIN.email);
  expect(me.roles).toContain("admin");
  expect(me.permissions).toContain("user.manage");
  // The e2e server runs without PROMETHEUS_URL: the gate editor offers no PromQL metric.
  expect(me.features).toEqual({ promql: false });
});

test("a key revoked over HTTP is refused at once by evaluate, events, OTLP and the management API", async ({ adminApi, request }) => {
  const created = await adminApi.request.post("/api/v1/api-keys", {
    data: { environment: ENV, name: `revoke everywhere ${uid()}`, scopes: ["evaluate", "ingest", "manage"] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id, key } = (await created.json()) as { id: string; key: string };
  const calls = {
    evaluate: () => request.post("/api/v1/evaluate", { headers: bearer(key), data: { context: { userId: "u-1" } } }),
    events: () => request.post("/api/v1/events", { headers: bearer(key), data: { events: [] } }),
    otlp: () => request.post("/v1/traces", { headers: { ...bearer(key), "content-type": "application/json" }, data: { resourceSpans: [] } }),
    manage: () => request.get(`/api/v1/flags?environment=${ENV}`, { headers: bearer(key) }),
  };
  for (const [name, call] of Object.entries(calls)) expect((await call()).status(), name).toBe(200);

  const revoked = await adminApi.request.delete(`/api/v1/api-keys/${id}`);
  expect(revoked.status(), await revoked.text()).toBe(200);
  // No wait: the revocation answered only once this instance's key set had dropped the key.
  for (const [name, call] of Object.entries(calls)) expect((await call()).status(), name).toBe(401);
});
