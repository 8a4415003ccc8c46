/**
 * Named regressions for hostile input, over HTTP against the built app (signed in as the admin,
 * or with an API key): NUL and lone surrogates in every stored text field and in JSON columns,
 * `%00` in paths and queries, a cursor beyond any id, the CSV export with `q=%00`, one bad event
 * in a batch, a webhook aimed at the metadata address, and no webhook secret in any audit output.
 * Each refusal is a 400 problem+json naming the field, and changes nothing.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { signInFuzzAdmin } from "./sign-in";

const base = () => inject("fuzzBaseUrl");
let client: pg.Client;
let cookie = "";
let environment = "";
let ingestKey = "";

const signIn = () => signInFuzzAdmin(base());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { cookie, origin: base(), "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whichever fields of the answer they check
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, json };
}

const footprint = async () =>
  JSON.stringify(
    (
      await client.query(`SELECT (SELECT count(*) FROM flags) f, (SELECT count(*) FROM slos) s, (SELECT count(*) FROM users) u,
        (SELECT count(*) FROM api_keys) k, (SELECT count(*) FROM webhooks) w, (SELECT string_agg(provider || '/' || model, ',' ORDER BY provider, model) FROM model_prices) p,
        (SELECT records::text || head_hash FROM audit_checkpoints) a`)
    ).rows[0],
  );

async function expectRefused(method: string, path: string, body: unknown, fieldPath: string) {
  const before = await footprint();
  const res = await call(method, path, body);
  expect(res.status, res.text).toBe(400);
  expect(res.type).toContain("application/problem+json");
  expect(res.json).toMatchObject({ status: 400, code: "invalid_input" });
  expect(res.json.details.errors.map((e: { path: string }) => e.path)).toContain(fieldPath);
  expect(await footprint()).toBe(before);
}

const variants = [
  { key: "a", payload: { provider: "openai", model: "gpt-4o" } },
  { key: "b", payload: { provider: "openai", model: "gpt-4o-mini" } },
];
const flag = (over: Record<string, unknown> = {}) => ({ key: `hostile-${Date.now()}.model`, environment, kind: "model", variants, defaultVariant: "a", fallbackVariant: "b", ...over });

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("fuzzDatabaseUrl") });
  await client.connect();
  cookie = await signIn();
  environment = (await call("GET", "/api/v1/environments")).json.environments[0].key;
  const key = await call("POST", "/api/v1/api-keys", { environment, name: "hostile-ingest", scopes: ["ingest"], rateLimitPerSecond: 1000 });
  ingestKey = key.json.key;
  expect(ingestKey).toMatch(/^rg_/);
  expect((await call("POST", "/api/v1/flags", flag({ key: "hostile.model" }))).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await client?.end();
});

describe("NUL and lone surrogates in stored text", () => {
  const NUL = "x\u0000y";
  const LONE = "x\ud800y";
  test.each([
    ["flag key", () => flag({ key: NUL }), "key"],
    ["flag description", () => flag({ description: LONE }), "description"],
    ["variant key", () => flag({ variants: [{ ...variants[0], key: NUL }, variants[1]] }), "variants.0.key"],
    ["variant payload (JSON column)", () => flag({ variants: [{ key: "a", payload: { provider: "openai", model: LONE } }, variants[1]] }), "variants.0.payload.model"],
    ["payload field name (JSON column)", () => flag({ variants: [{ key: "a", payload: { provider: "openai", model: "m", ["\udc00"]: 1 } }, variants[1]] }), "variants.0.payload.<key>"],
    ["rule description", () => flag({ rules: [{ description: NUL, conditions: [{ attribute: "tier", operator: "eq", value: "x" }], serve: { variant: "b" } }] }), "rules.0.description"],
    ["rule condition value", () => flag({ rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: LONE }], serve: { variant: "b" } }] }), "rules.0.conditions.0.value"],
  ])("%s → 400 naming the field, nothing stored", async (_what, body, path) => {
    await expectRefused("POST", "/api/v1/flags", body(), path);
  });

  test("SLO, user, API key, webhook and price names", async () => {
    await expectRefused("POST", "/api/v1/slos", { environment, name: NUL, successRateTarget: 0.99 }, "name");
    await expectRefused("POST", "/api/v1/users", { email: "nul@rollgate.test", name: NUL, roles: ["viewer"], password: "a-long-password-123" }, "name");
    await expectRefused("POST", "/api/v1/api-keys", { environment, name: LONE, scopes: ["evaluate"] }, "name");
    await expectRefused("POST", "/api/v1/webhooks", { name: NUL, url: "https://8.8.8.8/hook", events: ["rollout.transition"] }, "name");
    await expectRefused("PUT", "/api/v1/prices", { prices: [{ provider: "openai", model: `gpt${NUL}`, inputPerMillionUsd: 1, outputPerMillionUsd: 2 }] }, "prices.0.model");
  });
});

describe("URLs, cursors and exports", () => {
  test("%00 in a path or a query is 400 problem+json, for API routes and pages", async () => {
    const paths = [`/api/v1/flags/%00?environment=${environment}`, "/api/v1/flags?environment=%00", "/api/v1/audit?q=%00", "/flags/%00"];
    // A lone surrogate percent-encoded in a path segment (not UTF-8): Next could not decode it.
    paths.push(`/api/v1/flags/x%ED%A0%80?environment=${environment}`, "/api/v1/webhooks/%ED%A0%80");
    for (const path of paths) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(400);
      expect(res.type).toContain("application/problem+json");
    }
  });

  test("a cursor beyond any record id is 400 naming `cursor`", async () => {
    for (const cursor of ["99999999999999999999999", "%F4%8C%B3%AD", "1e5"]) {
      const res = await call("GET", `/api/v1/audit?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(res.json.details.errors[0].path).toBe("cursor");
    }
  });

  test("the CSV export with q=%00 is a 400 problem, not a 200 cut short; a valid export is complete", async () => {
    const bad = await call("GET", "/api/v1/audit/export?format=csv&q=%00");
    expect(bad.status).toBe(400);
    expect(bad.type).toContain("application/problem+json");
    const good = await call("GET", "/api/v1/audit/export?format=json");
    expect(good.status).toBe(200);
    expect(Array.isArray(good.json)).toBe(true);
  });
});

describe("ingestion", () => {
  test("one event with a NUL is rejected by index; the rest of its batch is stored", async () => {
    const id = `hostile-${Date.now()}`;
    const event = (n: number, variant = "a") => ({ id: `${id}-${n}`, timestamp: Date.now(), flagKey: "hostile.model", variant, success: true });
    const res = await call("POST", "/api/v1/events", { events: [event(0), event(1, "a\u0000"), { ...event(2), requestId: "\udfff" }, event(3)] }, { authorization: `Bearer ${ingestKey}`, cookie: "" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.accepted).toBe(2);
    expect(res.json.rejected).toEqual([
      { index: 1, errors: ["variant: must not contain NUL characters"] },
      { index: 2, errors: ["requestId: must not contain unpaired UTF-16 surrogates"] },
    ]);
    const stored = await client.query("SELECT id FROM metric_events WHERE id LIKE $1 ORDER BY id", [`${id}-%`]);
    expect(stored.rows.map((r) => r.id)).toEqual([`${id}-0`, `${id}-3`]);
  });
});

describe("webhooks and the audit trail", () => {
  test("a webhook aimed at the cloud metadata address is 400 naming url", async () => {
    await expectRefused("POST", "/api/v1/webhooks", { name: "meta", url: "http://169.254.169.254/latest/meta-data/", events: ["rollout.transition"] }, "url");
  });

  test("a Slack webhook URL never appears in GET /api/v1/audit or either export", async () => {
    const secretPath = `T0HOSTILE/B0HOSTILE/${Date.now()}SECRET`;
    const created = await call("POST", "/api/v1/webhooks", { name: "slack", url: `https://hooks.slack.com/services/${secretPath}`, events: ["rollout.transition"] });
    expect(created.status, created.text).toBe(201);
    const list = await call("GET", "/api/v1/audit?action=webhook.create&limit=5");
    expect(list.json.records[0].after.url).toBe("https://hooks.slack.com/***");
    for (const path of ["/api/v1/audit?limit=500", "/api/v1/audit/export?format=json", "/api/v1/audit/export?format=csv"]) {
      const res = await call("GET", path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(secretPath);
      expect(res.text).not.toContain(created.json.secret);
    }
  });
});
