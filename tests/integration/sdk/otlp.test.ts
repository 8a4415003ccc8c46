/**
 * OTLP ingestion with the official OpenTelemetry clients: spans made with
 * @opentelemetry/sdk-trace-node and exported by @opentelemetry/exporter-trace-otlp-http (JSON,
 * gzip) and @opentelemetry/exporter-trace-otlp-proto (protobuf) to a running Rollgate. The
 * rollout's analysis counts them, with tokens, latency and errors; spans without GenAI attributes
 * are ignored; unattributable ones come back as OTLP partial success (read by the exporter itself).
 */
import { diag, DiagLogLevel, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { getRolloutAnalysis } from "@/lib/server/services/metrics/analysis";
import { createTestUser } from "../helpers/actors";
import { createApiKey, createEnvironment, createFlag, createRunningRollout } from "../evaluation/fixtures";
import { testStore } from "../evaluation/server";
import { RollgateServer } from "./harness";

let store: SnapshotStore;
let rollgate: RollgateServer;
let envId: string;
let ingestKey: string;
let evaluateKey: string;
let rollout: { id: string };
const warnings: string[] = [];

beforeAll(async () => {
  envId = (await createEnvironment("otlp")).id;
  await createFlag(envId, { key: "chat.model" });
  rollout = await createRunningRollout(envId, "chat.model", { trafficBasisPoints: 5000 });
  ingestKey = (await createApiKey(envId, { scopes: ["ingest"] })).key;
  evaluateKey = (await createApiKey(envId, { scopes: ["evaluate"] })).key;
  store = testStore();
  await store.start();
  rollgate = new RollgateServer(store);
  await rollgate.start();
  diag.setLogger({ error: (m) => warnings.push(m), warn: (m, ...a) => warnings.push(`${m} ${a.join(" ")}`), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
});

afterAll(async () => {
  diag.disable();
  await rollgate?.stop();
  await store?.stop();
});

function tracerWith(exporter: JsonExporter | ProtoExporter): { tracer: Tracer; provider: NodeTracerProvider } {
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer("support-bot"), provider };
}

interface Call {
  arm: "control" | "treatment";
  latencyMs: number;
  input: number;
  output: number;
  error?: string;
  openFeature?: boolean;
}

function emit(tracer: Tracer, call: Call, t0: number): void {
  const variant = call.arm === "control" ? "gpt-4o" : "claude";
  const assignment = call.openFeature
    ? { "feature_flag.key": "chat.model", "feature_flag.result.variant": variant, "feature_flag.context.id": "u-of", "rollgate.rollout.id": rollout.id }
    : { "rollgate.flag": "chat.model", "rollgate.variant": variant, "rollgate.rollout.id": rollout.id, "rollgate.stage": 0, "rollgate.arm": call.arm };
  const span = tracer.startSpan(`chat ${variant}`, {
    startTime: t0,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": variant,
      "gen_ai.response.model": `${variant}-2026`,
      "gen_ai.usage.input_tokens": call.input,
      "gen_ai.usage.output_tokens": call.output,
      ...assignment,
    },
  });
  if (call.error) {
    span.setAttribute("error.type", call.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: call.error });
  }
  span.end(t0 + call.latencyMs);
}

describe("POST /v1/traces with the official OpenTelemetry exporters", () => {
  test("GenAI spans from the JSON (gzip) and protobuf exporters become the rollout's outcomes: counts, tokens, latency, errors", async () => {
    const url = `${rollgate.url}/v1/traces`;
    const headers = { authorization: `Bearer ${ingestKey}` };
    const json = tracerWith(new JsonExporter({ url, headers, compression: "gzip" as never }));
    const proto = tracerWith(new ProtoExporter({ url, headers }));
    // Inside the stage: spans without `rollgate.stage` are attributed by their time, and one from
    // before the stage began would count as "unknown stage", not as the stage's outcome.
    const stageStart = (await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).stageStartedAt!.getTime();
    const t0 = Math.max(Date.now() - 5_000, stageStart + 1);
    while (Date.now() < t0 + 400) await new Promise((r) => setTimeout(r, 50));

    // JSON exporter: 12 control calls (100 ms, 100+20 tokens), 2 through OpenFeature's attributes.
    for (let i = 0; i < 12; i++) emit(json.tracer, { arm: "control", latencyMs: 100, input: 100, output: 20, openFeature: i < 2 }, t0 + i);
    // Protobuf exporter: 10 treatment calls (300 ms, 200+40 tokens), 4 of them failing.
    for (let i = 0; i < 10; i++) emit(proto.tracer, { arm: "treatment", latencyMs: 300, input: 200, output: 40, error: i < 4 ? "rate_limit" : undefined }, t0 + i);
    // Spans that are not GenAI calls: counted and ignored.
    for (let i = 0; i < 3; i++) proto.tracer.startSpan("GET /health", { attributes: { "http.request.method": "GET", "rollgate.flag": "chat.model" } }).end();
    // An unattributable GenAI span: rejected through OTLP partial success.
    proto.tracer.startSpan("chat ?", { attributes: { "gen_ai.request.model": "gpt-4o", "rollgate.flag": "chat.model", "rollgate.variant": "gpt-4o", "rollgate.arm": "sideways" } }).end();

    await json.provider.forceFlush();
    await proto.provider.forceFlush();
    await json.provider.shutdown();
    await proto.provider.shutdown();

    expect(rollgate.traceRequests).toContain("application/json gzip");
    expect(rollgate.traceRequests).toContain("application/x-protobuf identity");
    const stored = await db.metricEvent.count({ where: { environmentId: envId, rolloutId: rollout.id } });
    expect(stored).toBe(22);
    // The exporter itself decoded our protobuf partial-success answer and reported it.
    expect(warnings.some((w) => w.includes("Partial Success") && w.includes("rollgate.arm"))).toBe(true);
    expect(warnings.some((w) => w.includes("ignored"))).toBe(true);

    const viewer = await createTestUser(["viewer"]);
    const analysis = await getRolloutAnalysis(viewer, rollout.id, {});
    expect(analysis.samples).toEqual({ control: 12, treatment: 10 });
    const metric = (name: string) => analysis.metrics.find((m) => m.metric === name);
    expect(metric("error_rate")?.control.estimate).toBe(0);
    expect(metric("error_rate")?.treatment.estimate).toBeCloseTo(0.4, 10);
    expect(metric("input_tokens")?.control.estimate).toBeCloseTo(100, 6);
    expect(metric("input_tokens")?.treatment.estimate).toBeCloseTo(200, 6);
    expect(metric("tokens")?.treatment.estimate).toBeCloseTo(240, 6);
    const p50 = metric("latency_p50");
    expect(p50?.control.estimate).toBeGreaterThan(90);
    expect(p50?.control.estimate).toBeLessThan(110);
    expect(p50?.treatment.estimate).toBeGreaterThan(270);
    expect(p50?.treatment.estimate).toBeLessThan(330);

    // An exporter retry of the same spans counts nothing twice (event ids come from trace/span ids).
    const again = await db.metricEvent.findMany({ where: { environmentId: envId, rolloutId: rollout.id }, select: { id: true } });
    expect(new Set(again.map((e) => e.id)).size).toBe(22);
    expect(again.every((e) => /^otlp-[0-9a-f]{32}-[0-9a-f]{16}$/.test(e.id))).toBe(true);
  });

  test("answers per OTLP/HTTP: JSON partialSuccess, 401/403, 415, 400 with a Status, and replays counted once", async () => {
    const url = `${rollgate.url}/v1/traces`;
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, attrs: Record<string, unknown>) => ({
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId,
      name: "chat",
      startTimeUnixNano: String(now - 50_000_000n),
      endTimeUnixNano: String(now),
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: v } : { stringValue: String(v) } })),
      status: {},
    });
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
          scopeSpans: [
            {
              spans: [
                span("eee19b7ec3c1b174", {
                  "gen_ai.request.model": "gpt-4o",
                  "rollgate.flag": "chat.model",
                  "rollgate.variant": "gpt-4o",
                  "rollgate.rollout.id": rollout.id,
                  "gen_ai.usage.input_tokens": 7,
                }),
                span("eee19b7ec3c1b175", { "gen_ai.request.model": "gpt-4o", "rollgate.flag": "chat.model", "rollgate.variant": "mistral", "rollgate.rollout.id": rollout.id }),
                span("eee19b7ec3c1b176", { "db.system": "postgresql" }),
              ],
            },
          ],
        },
      ],
    };
    const post = (b: string | Buffer, h: Record<string, string>) =>
      fetch(url, { method: "POST", headers: { authorization: `Bearer ${ingestKey}`, "content-type": "application/json", ...h }, body: typeof b === "string" ? b : new Uint8Array(b) });
    const first = await post(gzipSync(JSON.stringify(body)), { "content-encoding": "gzip" });
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer.partialSuccess.rejectedSpans).toBe("1");
    expect(answer.partialSuccess.errorMessage).toContain("mistral");
    expect(answer.partialSuccess.errorMessage).toContain("1 span(s) ignored");
    const replay = await post(JSON.stringify(body), {});
    expect(replay.status).toBe(200);
    expect(await db.metricEvent.count({ where: { environmentId: envId, id: "otlp-5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174" } })).toBe(1);

    expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
    const forbidden = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${evaluateKey}`, "content-type": "application/json" }, body: "{}" });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).code).toBe(7);
    expect((await post("{}", { "content-type": "text/plain" })).status).toBe(415);
    const bad = await post("{not json", {});
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 3, message: expect.stringContaining("JSON") });
    const badProto = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff]), { "content-type": "application/x-protobuf" });
    expect(badProto.status).toBe(400);
    expect(badProto.headers.get("content-type")).toBe("application/x-protobuf");
    const badGzip = await post("not gzip", { "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    expect((await fetch(url, { headers: { authorization: `Bearer ${ingestKey}` } })).status).toBe(405);
    // A small gzip body that inflates past the limit is refused without inflating it all.
    const bomb = await post(gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)), { "content-encoding": "gzip" });
    expect(bomb.status).toBe(413);
    expect((await post("{}", { "content-encoding": "br" })).status).toBe(415);
  });
});
