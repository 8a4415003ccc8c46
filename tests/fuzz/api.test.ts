/**
 * The fuzz tier: fast-check generates bodies, paths and queries for EVERY API route (the route
 * files under app/api and the lean routes; a route without a generator fails the run) and sends
 * them to the built app, signed in as the admin (session cookie, same-origin) or with an API key
 * of every scope, so requests get past authentication to validation. For each answer:
 *   - never a 5xx;
 *   - every 4xx is problem+json (except where a protocol fixes another shape: OFREP's own error
 *     bodies, next-auth's endpoints);
 *   - a refused request stored nothing: the row counts of the main tables and the audit
 *     checkpoint (count + head hash) are what they were before it.
 */
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { signInFuzzAdmin } from "./sign-in";
import { leanRoutes, nextRoutes, type ApiRoute, type Method } from "./routes";

const CASES = Number(process.env.ROLLGATE_FUZZ_CASES ?? 10_000);
const base = () => inject("fuzzBaseUrl");
let client: pg.Client;
let cookie = "";
let apiKey = "";
let flagKey = "";
let environment = "";

// ---------------------------------------------------------------------------------------------
// What a refused request must leave unchanged

const FOOTPRINT_SQL = `SELECT
  (SELECT count(*) FROM flags) AS flags, (SELECT count(*) FROM rollouts) AS rollouts,
  (SELECT count(*) FROM rollout_stages) AS stages, (SELECT count(*) FROM slos) AS slos,
  (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_keys) AS api_keys,
  (SELECT count(*) FROM webhooks) AS webhooks, (SELECT count(*) FROM webhook_deliveries) AS deliveries,
  (SELECT count(*) FROM model_prices) AS prices, (SELECT count(*) FROM settings) AS settings,
  (SELECT count(*) FROM metric_events) AS events, (SELECT count(*) FROM audit_records) AS audit,
  (SELECT records::text || ':' || head_hash FROM audit_checkpoints WHERE id = 1) AS audit_head,
  (SELECT string_agg(config_version::text, ',' ORDER BY id) FROM environments) AS config_versions`;

async function footprint(): Promise<string> {
  return JSON.stringify((await client.query(FOOTPRINT_SQL)).rows[0]);
}

// ---------------------------------------------------------------------------------------------
// Generators

const NASTY_STRINGS = ["\u0000", "a\u0000b", "\ud800", "x\udfff", "\ud83d", "%00", "../..", "'; DROP TABLE flags;--", "\u202e", "🚀", " ", "", "null", "-1", "1e309"];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NASTY_STRINGS)).map(([a, b]) => a + b),
);
const nastyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, 1e23, 0.5));
const leaf = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));

/** Field names the app's schemas use, so generated objects often get past `strict` checks. */
const FIELDS = [
  "key",
  "name",
  "description",
  "kind",
  "variants",
  "payload",
  "defaultVariant",
  "fallbackVariant",
  "stickiness",
  "enabled",
  "rules",
  "conditions",
  "attribute",
  "operator",
  "value",
  "serve",
  "variant",
  "split",
  "weight",
  "environment",
  "email",
  "password",
  "roles",
  "active",
  "scopes",
  "rateLimitPerSecond",
  "url",
  "secret",
  "events",
  "rotateSecret",
  "flagKey",
  "stages",
  "trafficBasisPoints",
  "minBakeSeconds",
  "minSamplesPerArm",
  "gates",
  "metric",
  "threshold",
  "comment",
  "reason",
  "expectedVersion",
  "context",
  "targetingKey",
  "flags",
  "successRateTarget",
  "windowDays",
  "prices",
  "model",
  "inputPerMTokens",
  "outputPerMTokens",
  "requiredApprovals",
  "id",
  "timestamp",
  "success",
  "latencyMs",
  "attributes",
  "candidateVariant",
  "controlVariant",
  "promptVersion",
  "killSwitch",
  "on",
];
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), nastyString), tie("value"), { maxKeys: 6 }),
})).value;

const validishVariants = fc.constant([
  { key: "a", payload: { provider: "openai", model: "gpt-4o" } },
  { key: "b", payload: { provider: "openai", model: "gpt-4o-mini" } },
]);

/** A body close to what the route expects, with one field made hostile. */
function shapedBody(route: ApiRoute) {
  const t = route.template;
  const shapes: Record<string, Record<string, unknown>> = {
    "/api/v1/flags": { key: "fz-flag", kind: "model", variants: null, defaultVariant: "a", fallbackVariant: "b", environment: "" },
    "/api/v1/users": { email: "fz@rollgate.test", name: "Fuzz", roles: ["viewer"], password: "a-long-password-123" },
    "/api/v1/webhooks": { name: "fz", url: "https://8.8.8.8/hook", events: ["rollout.transition"] },
    "/api/v1/api-keys": { environment: "", name: "fz", scopes: ["evaluate"], rateLimitPerSecond: 10 },
    "/api/v1/slos": { name: "fz", flagKey: "", environment: "", successRateTarget: 0.99, windowDays: 28 },
    "/api/v1/events": { events: [{ id: "e1", timestamp: 1, flagKey: "", variant: "a", success: true }] },
  };
  const shape = shapes[t] ?? { name: "fz", comment: "fz", expectedVersion: 1 };
  return fc.tuple(validishVariants, fc.constantFrom(...Object.keys(shape), ...FIELDS), json).map(([variants, field, value]) => {
    const filled = JSON.parse(JSON.stringify(shape).replaceAll('""', JSON.stringify(environment)));
    if ("variants" in filled) filled.variants = variants;
    if (t === "/api/v1/events") filled.events[0][field] = value;
    else filled[field] = value;
    return filled;
  });
}

const paramValue = fc.oneof(
  { weight: 3, arbitrary: nastyString.filter((s) => s.length > 0) },
  { weight: 2, arbitrary: fc.constantFrom("1", "0", "-1", "99999999999999999999999", "ffffffff-ffff-ffff-ffff-ffffffffffff") },
  // Dot segments are not percent-encoded: the URL is normalised and the request lands on another route (or none).
  { weight: 1, arbitrary: fc.constantFrom(".", "..") },
  { weight: 2, arbitrary: fc.constant("__flag__") },
);
const COMMANDS = ["advance", "pause", "resume", "rollback", "hold", "approve", "request_approval", "start", "cancel"];
const FILES = ["alert-rules.yaml", "grafana-dashboard.json", "playbook.md", "postmortem.md"];

function pathArb(route: ApiRoute) {
  const segments = route.template.split("/").map((seg) => {
    if (seg === "[command]") return fc.oneof(fc.constantFrom(...COMMANDS), paramValue);
    if (seg === "[file]") return fc.oneof(fc.constantFrom(...FILES), paramValue);
    if (seg === "[...nextauth]") return fc.constantFrom("session", "csrf", "providers", "signout", "callback/credentials", "error");
    if (/^\[.+\]$/.test(seg)) return paramValue;
    return fc.constant(seg);
  });
  return fc.tuple(...segments).map((parts) =>
    parts
      .map((p, i) => {
        const template = route.template.split("/")[i];
        if (!/^\[/.test(template) || template === "[...nextauth]") return p;
        const v = p === "__flag__" ? flagKey : p;
        // Percent-encoded so the request stays on this route (dot segments aside); NUL becomes %00 on purpose.
        return encodeURIComponent(v.replace(LONE_SURROGATE, "\uFFFD")).replace(/%EF%BF%BD/g, "%ED%A0%80");
      })
      .join("/"),
  );
}

/** encodeURIComponent throws on these; they are sent as the (invalid) UTF-8 bytes of a surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const QUERY_KEYS = ["environment", "cursor", "limit", "q", "format", "actor", "action", "from", "to", "status", "resourceType", "stage", "token", "flagConfigEtag"];
const queryArb = fc.dictionary(
  fc.oneof(fc.constantFrom(...QUERY_KEYS), nastyString),
  fc.oneof(nastyString, fc.constantFrom("__env__", "csv", "json", "99999999999999999999999", "5", "0", "2026-01-01T00:00:00Z")),
  { maxKeys: 4 },
);

const auth = fc.constantFrom("cookie", "cookie", "key", "none");
const contentType = fc.constantFrom("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded");

function requestArb(route: ApiRoute, method: Method) {
  const hasBody = method !== "GET" && method !== "DELETE";
  const body = hasBody
    ? fc.oneof(
        { weight: 4, arbitrary: shapedBody(route).map((b) => JSON.stringify(b)) },
        { weight: 3, arbitrary: json.map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"a":1}', "\u0000", '"\\ud800"', '{"events":"x"}') },
      )
    : fc.constant(undefined);
  return fc.record({ path: pathArb(route), query: queryArb, body, auth, contentType }).map((r) => ({ ...r, method, route }));
}

// ---------------------------------------------------------------------------------------------
// Sending

const signIn = () => signInFuzzAdmin(base());

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { cookie, origin: base(), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text);
}

type Case = fc.Arbitrary<ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never> extends fc.Arbitrary<infer U> ? U : never;

async function send(c: Case) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(c.query)) query.append(k, v === "__env__" ? environment : v);
  const qs = query.toString().replace(/%EF%BF%BD/g, "%ED%A0%80");
  const headers: Record<string, string> = { "content-type": c.contentType };
  if (c.auth === "cookie") Object.assign(headers, { cookie, origin: base() });
  if (c.auth === "key") headers.authorization = `Bearer ${apiKey}`;
  const res = await fetch(`${base()}${c.path}${qs ? `?${qs}` : ""}`, {
    method: c.method,
    headers,
    body: c.body,
    redirect: "manual",
    signal: AbortSignal.timeout(15_000),
  });
  const type = res.headers.get("content-type") ?? "";
  // Streams (SSE, exports) are judged by their status and headers; their body is not awaited.
  const text = type.includes("event-stream") ? (await res.body?.cancel(), "") : await res.text();
  return { status: res.status, type, text };
}

// ---------------------------------------------------------------------------------------------

const stats = { cases: 0, byClass: {} as Record<string, number> };

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("fuzzDatabaseUrl") });
  await client.connect();
  cookie = await signIn();
  environment = ((await api("GET", "/api/v1/environments")) as { environments: { key: string }[] }).environments[0].key;
  const created = await api("POST", "/api/v1/api-keys", { environment, name: "fuzz", scopes: ["evaluate", "ingest", "manage"], rateLimitPerSecond: 100000 });
  apiKey = created.key ?? created.apiKey?.key ?? created.secret;
  if (!apiKey) throw new Error(`no raw key in ${JSON.stringify(created)}`);
  flagKey = "fuzz.model";
  await api("POST", "/api/v1/flags", {
    key: flagKey,
    environment,
    kind: "model",
    variants: [
      { key: "a", payload: { provider: "openai", model: "gpt-4o" } },
      { key: "b", payload: { provider: "openai", model: "gpt-4o-mini" } },
    ],
    defaultVariant: "a",
    fallbackVariant: "b",
  });
}, 120_000);

afterAll(async () => {
  await client?.end();
  console.log(`fuzz: ${stats.cases} cases; by status class ${JSON.stringify(stats.byClass)}`);
});

describe("fuzz", () => {
  const routes = [...nextRoutes(), ...leanRoutes()];
  const pairs = routes.flatMap((r) => r.methods.map((m) => ({ route: r, method: m })));

  test("every API route is enumerated with at least one method", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const r of routes) expect(r.methods.length, `${r.template} exports no method`).toBeGreaterThan(0);
    // Every bracketed segment has a generator (pathArb throws nothing and yields a path).
    for (const { route } of pairs) expect(fc.sample(pathArb(route), 1)[0]).toMatch(/^\//);
  });

  test(`${CASES} generated requests: no 5xx, problem+json on every 4xx, nothing stored when refused`, async () => {
    const perPair = Math.ceil(CASES / pairs.length);
    let before = await footprint();
    // Every route is fuzzed even after one fails, so a run reports all failing routes at once.
    const failures: string[] = [];
    for (const { route, method } of pairs) {
      const exemptShape = route.template.startsWith("/ofrep/") || route.template.startsWith("/api/auth/");
      const run = fc.assert(
        fc.asyncProperty(requestArb(route, method), async (c) => {
          const res = await send(c);
          stats.cases++;
          const cls = `${Math.floor(res.status / 100)}xx`;
          stats.byClass[cls] = (stats.byClass[cls] ?? 0) + 1;
          const where = `${c.method} ${c.path} (${c.auth}) → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400 && !exemptShape) {
            expect(res.type, where).toContain("application/problem+json");
            expect(JSON.parse(res.text), where).toMatchObject({ status: res.status, code: expect.any(String) });
          }
          const after = await footprint();
          if (res.status >= 400 && !route.template.startsWith("/api/auth/")) expect(after, where).toBe(before);
          before = after;
        }),
        { numRuns: perPair, endOnFailure: true },
      );
      await run.catch((e: Error) => {
        failures.push(
          `${method} ${route.template}: ${e.message
            .split("\n")
            .filter((l) => /Counterexample|Caused|→/.test(l))
            .join(" | ")
            .slice(0, 600)}`,
        );
        before = "";
      });
      if (!before) before = await footprint();
    }
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(stats.cases).toBeGreaterThanOrEqual(CASES);
  });
});
