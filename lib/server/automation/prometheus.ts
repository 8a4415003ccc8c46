/**
 * PromQL gates: an instant query against the user's Prometheus (PROMETHEUS_URL), as Argo
 * Rollouts' and Flagger's metric providers do. The query's first sample (or scalar) is the gate's
 * value; an empty result, an error or a timeout is "no value" (the gate stays inconclusive).
 * `{{rolloutId}}`, `{{flagKey}}` and `{{environment}}` in the query are substituted first.
 */

import "server-only";

export const PROMQL_TIMEOUT_MS = 3_000;

export interface PromqlVars {
  rolloutId: string;
  flagKey: string;
  environment: string;
}

export function renderPromql(query: string, vars: PromqlVars): string {
  return query.replace(/\{\{\s*(rolloutId|flagKey|environment)\s*\}\}/g, (_m, name: keyof PromqlVars) => vars[name]);
}

export interface PromqlResult {
  value: number | null;
  /** Why there is no value, for the gate's details. */
  error?: string;
}

type PromResponse =
  | { status: "success"; data: { resultType: "vector"; result: { value: [number, string] }[] } | { resultType: "scalar"; result: [number, string] } | { resultType: string; result: unknown } }
  | { status: "error"; error: string; errorType?: string };

/** One instant query at `time`. Never throws. */
export async function queryPrometheus(baseUrl: string, query: string, time: Date, fetchImpl: typeof fetch = fetch): Promise<PromqlResult> {
  const url = new URL("/api/v1/query", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("query", query);
  url.searchParams.set("time", (time.getTime() / 1000).toFixed(3));
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(PROMQL_TIMEOUT_MS), headers: { accept: "application/json" } });
    const body = (await response.json()) as PromResponse;
    if (body.status !== "success") return { value: null, error: `Prometheus: ${body.error}` };
    const { resultType, result } = body.data;
    let raw: string | undefined;
    if (resultType === "vector") raw = (result as { value: [number, string] }[])[0]?.value[1];
    else if (resultType === "scalar") raw = (result as [number, string])[1];
    else return { value: null, error: `unsupported result type ${resultType}: use an instant vector or scalar` };
    if (raw === undefined) return { value: null, error: "the query returned no series" };
    const value = Number(raw);
    return Number.isFinite(value) ? { value } : { value: null, error: `non-finite value ${raw}` };
  } catch (error) {
    const e = error as Error;
    return { value: null, error: e.name === "TimeoutError" ? `no answer within ${PROMQL_TIMEOUT_MS / 1000} s` : e.message };
  }
}
