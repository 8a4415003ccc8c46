/**
 * The lean node:http layer for the hot service endpoints, registered before Next in
 * lib/server/runtime/runtime.ts (Next's per-request overhead would cost most of the throughput):
 *
 *   POST /api/v1/evaluate                  native evaluation (scope `evaluate`), ETag/304
 *   GET  /api/v1/stream                    SSE: `event: config` whenever the environment changes
 *   POST /ofrep/v1/evaluate/flags/{key}    OFREP single flag
 *   POST /ofrep/v1/evaluate/flags          OFREP bulk, ETag/304, `eventStreams` advertisement
 *   GET  /ofrep/v1/events                  OFREP SSE: `refetchEvaluation` on every change
 *   GET  /api/v1/snapshot                  the configuration for in-process SDKs, ETag/304
 *   POST /api/v1/exposures                 exposure counts from in-process SDKs
 *
 * Everything is answered from the in-memory snapshot store: no database query on these paths.
 * Every endpoint is rate-limited per API key (token bucket) and answers 429 with Retry-After.
 * Every evaluated flag is counted for /metrics (evaluations by reason, exposures by arm) in
 * memory, without allocating (lib/server/observability/serving-counts.ts).
 * This is the one place where randomness is injected into evaluation (`Math.random` by default).
 */
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { evaluateFlag, type EvaluationContext, type EvaluationResult, type FlagSnapshot } from "../../domain/flags";
import { isDomainError } from "../../domain/errors";
import { BodyTooLarge } from "../http/body";
import { servingCounts, type ServingCounter } from "../observability";
import type { FastRoute } from "../runtime/http-server";
import { evaluationEtag, ifNoneMatchHits } from "./etag";
import { isKeyRefusal, lookupApiKey, lookupStreamToken, type KeyRefusal } from "./api-key-lookup";
import type { ExposureCounter } from "./exposures";
import { apiKeyOf, parseJson, problem, readBody, sendEmpty, sendError, sendJson, sendJsonText, sendProblem, type Headers } from "./http-io";
import type { KeyUsage } from "./key-usage";
import { RateLimiter } from "./rate-limiter";
import { ofrepContextOf, parseEvaluateBody } from "./requests";
import { needsTargetingKey, targetingKeyMissing, type OfrepFailure } from "./results";
import { flagKeyJson, nativeResultJson, ofrepSuccessJson } from "./serialize";
import { exposureBatchSchema } from "../../schemas/exposures";
import { zodProblem } from "../http/zod-problem";
import { ingestSdkExposures, RecentBatches } from "./sdk-exposures";
import { snapshotDocumentJson } from "./snapshot-document";
import { SseHub } from "./sse-hub";
import type { EnvironmentSnapshot, ServingKey, SnapshotStore } from "./snapshot-store";

export const PATHS = {
  evaluate: "/api/v1/evaluate",
  stream: "/api/v1/stream",
  ofrepBulk: "/ofrep/v1/evaluate/flags",
  ofrepFlagPrefix: "/ofrep/v1/evaluate/flags/",
  ofrepEvents: "/ofrep/v1/events",
  snapshot: "/api/v1/snapshot",
  exposures: "/api/v1/exposures",
} as const;

/** What OFREP clients are told about idle stream connections (OFREP's recommended default). */
export const OFREP_INACTIVITY_DELAY_SEC = 120;
/** How long an SSE-triggered OFREP re-fetch waits for this instance to reach the advertised version. */
export const CATCH_UP_MS = 2_000;

export interface EvaluationRoutesOptions {
  store: SnapshotStore;
  exposures: ExposureCounter;
  keyUsage: KeyUsage;
  maxBodyBytes: number;
  /** Public base URL for the `eventStreams` advertisement; default `http://<Host header>`. */
  publicUrl?: string;
  limiter?: RateLimiter;
  /** Where evaluations and exposures are counted for /metrics; default the process's counters. */
  counts?: ServingCounter;
  heartbeatMs?: number;
  now?: () => number;
  rng?: () => number;
}

export interface EvaluationRoutes {
  route: FastRoute;
  hub: SseHub;
  limiter: RateLimiter;
  /** Ends every open stream. */
  close(): void;
}

type Auth = { ok: true; key: ServingKey } | { ok: false; status: 401 | 403 | 429 | 503; detail: string; retryAfter?: number };

const NO_STORE = { "cache-control": "private, no-cache" };

export function createEvaluationRoutes(opts: EvaluationRoutesOptions): EvaluationRoutes {
  const { store, exposures, keyUsage, maxBodyBytes } = opts;
  const now = opts.now ?? Date.now;
  const rng = opts.rng ?? Math.random;
  const limiter = opts.limiter ?? new RateLimiter();
  const counts = opts.counts ?? servingCounts();
  const hub = new SseHub(store, opts.heartbeatMs);
  const exposureBatches = new RecentBatches();
  const unsubscribeKeys = store.onKeysChanged(() => limiter.retain(store.liveKeyIds()));

  /** Key → scope → rate limit, in that order; all from memory. */
  function authorize(key: ServingKey | KeyRefusal): Auth {
    if (isKeyRefusal(key)) return { ok: false, status: key.status, detail: key.detail, retryAfter: key.retryAfter };
    if (!key.permissions.has("flag.evaluate")) {
      return { ok: false, status: 403, detail: "This API key lacks the `evaluate` scope." };
    }
    const t = now();
    const decision = limiter.take(key.id, key.rateLimitPerSecond, t);
    if (!decision.allowed) {
      return {
        ok: false,
        status: 429,
        detail: `Rate limit of ${key.rateLimitPerSecond} requests/s (burst ${key.rateLimitPerSecond * 2}) exceeded for this API key.`,
        retryAfter: decision.retryAfterSeconds,
      };
    }
    keyUsage.touch(key.id, t);
    return { ok: true, key };
  }

  function authorizeHeader(req: IncomingMessage): Auth {
    return authorize(lookupApiKey(store, apiKeyOf(req)));
  }

  const retryHeader = (auth: { retryAfter?: number }): Headers | undefined => (auth.retryAfter ? { "retry-after": auth.retryAfter } : undefined);

  function refuseNative(req: IncomingMessage, res: ServerResponse, auth: Extract<Auth, { ok: false }>): void {
    const code = { 401: "unauthenticated", 403: "forbidden", 429: "rate_limited", 503: "unavailable" }[auth.status];
    sendProblem(res, problem(req, auth.status, code, auth.detail), retryHeader(auth));
  }

  /** OFREP: 401/403/429 carry no body (429 has Retry-After); 503 carries `errorDetails`. */
  function refuseOfrep(res: ServerResponse, auth: Extract<Auth, { ok: false }>): void {
    if (auth.status === 503) sendJson(res, 503, { errorDetails: auth.detail }, retryHeader(auth));
    else sendEmpty(res, auth.status, retryHeader(auth));
  }

  function evaluateOne(environment: string, flag: FlagSnapshot, context: EvaluationContext): EvaluationResult | null {
    try {
      return evaluateFlag(flag, context, { rng });
    } catch (error) {
      // Only a snapshot naming a variant it lacks gets here; the rest of the request still works.
      console.error(`[evaluate] flag "${flag.key}" cannot be evaluated:`, isDomainError(error) ? error.message : error);
      counts.evaluation(environment, flag.key, "ERROR");
      return null;
    }
  }

  /** Counts a served result for /metrics and, when a rollout decided it, its exposure. */
  function served(environment: string, result: EvaluationResult, t: number): void {
    counts.evaluation(environment, result.flagKey, result.reason);
    if (result.rollout) {
      exposures.record(result.rollout.id, result.rollout.stage, result.rollout.arm, t);
      counts.exposure(environment, result.flagKey, result.rollout.id, result.rollout.arm);
    }
  }

  function unavailable(req: IncomingMessage, res: ServerResponse): void {
    sendProblem(res, problem(req, 503, "unavailable", "The configuration of this environment is not loaded yet; retry shortly."), {
      "retry-after": 1,
    });
  }

  // POST /api/v1/evaluate
  async function evaluateNative(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseNative(req, res, auth);
    const body = parseEvaluateBody(parseJson(await readBody(req, maxBodyBytes)));
    const snapshot = store.snapshot(auth.key.environmentId);
    if (!snapshot) return unavailable(req, res);

    const etag = evaluationEtag({
      endpoint: PATHS.evaluate,
      environmentId: snapshot.environmentId,
      version: snapshot.version,
      context: body.context,
      flags: body.flags,
    });
    if (ifNoneMatchHits(req.headers["if-none-match"], etag)) return sendEmpty(res, 304, { etag, ...NO_STORE });

    // The body is written as text from pre-serialized variant fragments (serialize.ts). Plain
    // loops, no per-request closures: each closure costs an allocation (and, compiled by tsx or
    // Next, a `__name` property definition) on every request.
    const t = now();
    const environment = snapshot.environmentKey;
    let flagsJson = "";
    if (body.flags) {
      for (const key of body.flags) {
        const flag = snapshot.flags.get(key);
        if (flagsJson) flagsJson += ",";
        if (flag) flagsJson += nativeEntryJson(environment, flag, body.context, t);
        else {
          counts.flagNotFound(environment);
          flagsJson += `${JSON.stringify(key)}:{"error":"FLAG_NOT_FOUND"}`;
        }
      }
    } else {
      for (const flag of snapshot.flagList) {
        if (flagsJson) flagsJson += ",";
        flagsJson += nativeEntryJson(environment, flag, body.context, t);
      }
    }
    sendJsonText(res, 200, `{"version":${JSON.stringify(snapshot.version)},"flags":{${flagsJson}}}`, { etag, ...NO_STORE });
  }

  /** `"<flag key>":<native result>` for one evaluated flag, counted as served. */
  function nativeEntryJson(environment: string, flag: FlagSnapshot, context: EvaluationContext, t: number): string {
    const result = evaluateOne(environment, flag, context);
    if (!result) return `${flagKeyJson(flag)}:{"error":"GENERAL"}`;
    served(environment, result, t);
    return `${flagKeyJson(flag)}:${nativeResultJson(flag, result)}`;
  }

  /** OFREP body → context, or an answered 400/413. */
  async function readOfrepContext(req: IncomingMessage, res: ServerResponse, flagKey?: string): Promise<EvaluationContext | null> {
    const fail = (status: number, errorCode: OfrepFailure["errorCode"], errorDetails: string) => {
      const body: OfrepFailure = flagKey === undefined ? { errorCode, errorDetails } : { key: flagKey, errorCode, errorDetails };
      sendJson(res, status, body, status === 413 ? { connection: "close" } : undefined);
      return null;
    };
    let parsed: unknown;
    try {
      parsed = parseJson(await readBody(req, maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLarge) return fail(413, "GENERAL", error.message);
      return fail(400, "PARSE_ERROR", (error as Error).message);
    }
    const context = ofrepContextOf(parsed);
    if (!context.ok) return fail(400, "INVALID_CONTEXT", context.details);
    return context.context;
  }

  /**
   * OFREP: a re-fetch triggered by an SSE event carries `flagConfigEtag`. If it names a newer
   * version than this instance holds (the event came from a faster instance), reload first —
   * the only case in which an evaluation request waits for the database, at most CATCH_UP_MS.
   */
  async function caughtUp(snapshot: EnvironmentSnapshot, query: string): Promise<EnvironmentSnapshot> {
    if (!query.includes("flagConfigEtag")) return snapshot;
    const tag = new URLSearchParams(query).get("flagConfigEtag") ?? "";
    const wanted = /^(?:W\/)?"?v(\d+)"?$/.exec(tag.trim())?.[1];
    if (!wanted || BigInt(wanted) <= BigInt(snapshot.version)) return snapshot;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([store.refresh(snapshot.environmentId, wanted), new Promise<void>((resolve) => (timer = setTimeout(resolve, CATCH_UP_MS)))]);
    clearTimeout(timer);
    return store.snapshot(snapshot.environmentId) ?? snapshot;
  }

  // POST /ofrep/v1/evaluate/flags/{key}
  async function evaluateOfrepFlag(req: IncomingMessage, res: ServerResponse, flagKey: string, query: string): Promise<void> {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseOfrep(res, auth);
    const context = await readOfrepContext(req, res, flagKey);
    if (!context) return;
    let snapshot = store.snapshot(auth.key.environmentId);
    if (!snapshot) return refuseOfrep(res, { ok: false, status: 503, detail: "Configuration not loaded yet.", retryAfter: 1 });
    snapshot = await caughtUp(snapshot, query);

    const flag = snapshot.flags.get(flagKey);
    if (!flag) {
      counts.flagNotFound(snapshot.environmentKey);
      const body: OfrepFailure = { key: flagKey, errorCode: "FLAG_NOT_FOUND", errorDetails: `Flag "${flagKey}" does not exist in environment "${snapshot.environmentKey}".` };
      return sendJson(res, 404, body);
    }
    const t = now();
    const environment = snapshot.environmentKey;
    const result = evaluateOne(environment, flag, context);
    if (!result) return sendJson(res, 500, { key: flagKey, errorCode: "GENERAL", errorDetails: "The flag's configuration is inconsistent." });
    if (needsTargetingKey(result)) {
      counts.evaluation(environment, flagKey, "TARGETING_KEY_MISSING");
      return sendJson(res, 400, targetingKeyMissing(flagKey, flag.stickiness));
    }
    served(environment, result, t);
    sendJsonText(res, 200, ofrepSuccessJson(flag, result, JSON.stringify(snapshot.version)), NO_STORE);
  }

  function streamUrl(req: IncomingMessage, key: ServingKey): string {
    const base = (opts.publicUrl ?? `http://${req.headers.host ?? "localhost"}`).replace(/\/+$/, "");
    return `${base}${PATHS.ofrepEvents}?token=${key.streamToken}`;
  }

  // POST /ofrep/v1/evaluate/flags
  async function evaluateOfrepBulk(req: IncomingMessage, res: ServerResponse, query: string): Promise<void> {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseOfrep(res, auth);
    const context = await readOfrepContext(req, res);
    if (!context) return;
    let snapshot = store.snapshot(auth.key.environmentId);
    if (!snapshot) return refuseOfrep(res, { ok: false, status: 503, detail: "Configuration not loaded yet.", retryAfter: 1 });
    snapshot = await caughtUp(snapshot, query);

    const etag = evaluationEtag({
      endpoint: `${PATHS.ofrepBulk}\n${auth.key.id}`,
      environmentId: snapshot.environmentId,
      version: snapshot.version,
      context,
    });
    if (ifNoneMatchHits(req.headers["if-none-match"], etag)) return sendEmpty(res, 304, { etag, ...NO_STORE });

    const t = now();
    const environment = snapshot.environmentKey;
    const versionJson = JSON.stringify(snapshot.version);
    const entries: string[] = [];
    for (const flag of snapshot.flagList) {
      const result = evaluateOne(environment, flag, context);
      if (!result) entries.push(JSON.stringify({ key: flag.key, errorCode: "GENERAL", errorDetails: "The flag's configuration is inconsistent." }));
      else if (needsTargetingKey(result)) {
        counts.evaluation(environment, flag.key, "TARGETING_KEY_MISSING");
        entries.push(JSON.stringify(targetingKeyMissing(flag.key, flag.stickiness)));
      } else {
        served(environment, result, t);
        entries.push(ofrepSuccessJson(flag, result, versionJson));
      }
    }
    const eventStreams = JSON.stringify([{ type: "sse", url: streamUrl(req, auth.key), inactivityDelaySec: OFREP_INACTIVITY_DELAY_SEC }]);
    sendJsonText(res, 200, `{"flags":[${entries.join(",")}],"eventStreams":${eventStreams},"metadata":{"configVersion":${versionJson}}}`, {
      etag,
      ...NO_STORE,
    });
  }

  // GET /api/v1/stream
  function streamNative(req: IncomingMessage, res: ServerResponse): void {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseNative(req, res, auth);
    req.resume();
    hub.open(req, res, { environmentId: auth.key.environmentId, keyId: auth.key.id, format: "config" });
  }

  // GET /ofrep/v1/events?token=… (the URL from `eventStreams`; the API key headers work too)
  function streamOfrep(req: IncomingMessage, res: ServerResponse, query: string): void {
    const raw = apiKeyOf(req);
    const token = query ? new URLSearchParams(query).get("token") : null;
    const auth = authorize(raw || !token ? lookupApiKey(store, raw) : lookupStreamToken(store, token));
    if (!auth.ok) return refuseOfrep(res, auth);
    req.resume();
    hub.open(req, res, { environmentId: auth.key.environmentId, keyId: auth.key.id, format: "ofrep" });
  }

  // GET /api/v1/snapshot?environment=<key> (the parameter is optional; the key names the environment)
  function serveSnapshot(req: IncomingMessage, res: ServerResponse, query: string): void {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseNative(req, res, auth);
    req.resume();
    const snapshot = store.snapshot(auth.key.environmentId);
    if (!snapshot) return unavailable(req, res);
    const asked = query ? new URLSearchParams(query).get("environment") : null;
    if (asked && asked !== snapshot.environmentKey && asked !== snapshot.environmentId) {
      const detail = `environment: this API key belongs to environment "${snapshot.environmentKey}", not "${asked}".`;
      return sendProblem(res, problem(req, 403, "forbidden", detail));
    }
    if (ifNoneMatchHits(req.headers["if-none-match"], snapshot.etag)) return sendEmpty(res, 304, { etag: snapshot.etag, ...NO_STORE });
    sendJsonText(res, 200, snapshotDocumentJson(snapshot), { etag: snapshot.etag, ...NO_STORE });
  }

  // POST /api/v1/exposures {"exposures":[{rolloutId, stage, arm, minute, count}]}
  async function acceptExposures(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = authorizeHeader(req);
    if (!auth.ok) return refuseNative(req, res, auth);
    const body = exposureBatchSchema.safeParse(parseJson(await readBody(req, maxBodyBytes)) ?? {});
    if (!body.success) throw zodProblem(body.error, "body");
    const snapshot = store.snapshot(auth.key.environmentId);
    if (!snapshot) return unavailable(req, res);
    const t = now();
    const idempotencyKey = req.headers["idempotency-key"];
    const replayKey = typeof idempotencyKey === "string" && idempotencyKey.length <= 200 ? idempotencyKey : null;
    const seen = replayKey ? exposureBatches.get(auth.key.id, replayKey, t) : undefined;
    if (seen) return sendJson(res, 200, seen, { "idempotent-replayed": "true" });
    const answer = ingestSdkExposures(snapshot, body.data.exposures, exposures, t);
    if (replayKey) exposureBatches.remember(auth.key.id, replayKey, answer, t);
    sendJson(res, 200, answer);
  }

  function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
    sendProblem(res, problem(req, 405, "method_not_allowed", `Use ${allow} on this endpoint.`), { allow });
  }

  const route: FastRoute = (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);
    const method = req.method ?? "GET";

    let handler: (() => void | Promise<void>) | null = null;
    let ofrep = false;
    if (path === PATHS.evaluate) {
      handler = method === "POST" ? () => evaluateNative(req, res) : () => methodNotAllowed(req, res, "POST");
    } else if (path === PATHS.stream) {
      handler = method === "GET" ? () => streamNative(req, res) : () => methodNotAllowed(req, res, "GET");
    } else if (path === PATHS.snapshot) {
      handler = method === "GET" ? () => serveSnapshot(req, res, query) : () => methodNotAllowed(req, res, "GET");
    } else if (path === PATHS.exposures) {
      handler = method === "POST" ? () => acceptExposures(req, res) : () => methodNotAllowed(req, res, "POST");
    } else if (path === PATHS.ofrepBulk) {
      ofrep = true;
      handler = method === "POST" ? () => evaluateOfrepBulk(req, res, query) : () => methodNotAllowed(req, res, "POST");
    } else if (path.startsWith(PATHS.ofrepFlagPrefix) && path.length > PATHS.ofrepFlagPrefix.length) {
      ofrep = true;
      let flagKey: string;
      try {
        flagKey = decodeURIComponent(path.slice(PATHS.ofrepFlagPrefix.length));
      } catch {
        flagKey = path.slice(PATHS.ofrepFlagPrefix.length);
      }
      handler = method === "POST" ? () => evaluateOfrepFlag(req, res, flagKey, query) : () => methodNotAllowed(req, res, "POST");
    } else if (path === PATHS.ofrepEvents) {
      ofrep = true;
      handler = method === "GET" ? () => streamOfrep(req, res, query) : () => methodNotAllowed(req, res, "GET");
    }
    if (!handler) return false;

    const fail = (error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (ofrep && !isDomainError(error)) {
        console.error("[ofrep] request failed", error);
        sendJson(res, 500, { errorDetails: "Internal error." });
      } else sendError(req, res, error);
    };
    try {
      const done = handler();
      if (done)
        return done.then(
          () => true,
          (error: unknown) => (fail(error), true),
        );
    } catch (error) {
      fail(error);
    }
    return true;
  };

  return {
    route,
    hub,
    limiter,
    close() {
      unsubscribeKeys();
      hub.close();
    },
  };
}
