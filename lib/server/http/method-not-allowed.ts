/**
 * Next answers a method that a route file does not export with a bare 405: no body, no type.
 * On the API every refusal is problem+json, so the custom server rewrites such an answer as it
 * is sent. Next sends it one of two ways: `end()` before any header went out, or headers first
 * (`flushHeaders`, then an empty body); both are caught here.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { problemBody } from "./problem";

/** writeHead's headers come as an object or as a flat [name, value, …] array. */
function namesContentType(headers: object): boolean {
  const names = Array.isArray(headers) ? headers.filter((_, i) => i % 2 === 0) : Object.keys(headers);
  return names.some((name) => String(name).toLowerCase() === "content-type");
}

export function problemForBareMethodRefusals(req: IncomingMessage, res: ServerResponse): void {
  let pending: string | null = null;
  /** Called just before the headers go out: a 405 without a type becomes a problem. */
  const rewrite = (): boolean => {
    if (res.statusCode !== 405 || res.hasHeader("content-type")) return false;
    const requestId = randomUUID();
    pending = JSON.stringify(problemBody(405, "method_not_allowed", `${req.method} is not supported on ${req.url?.split("?")[0]}.`, requestId));
    res.setHeader("content-type", "application/problem+json");
    res.setHeader("x-request-id", requestId);
    return true;
  };

  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.statusCode = status;
    const headers = rest.find((r) => typeof r === "object" && r !== null);
    if (!(headers !== undefined && namesContentType(headers)) && rewrite()) res.removeHeader("content-length");
    return writeHead(status, ...rest);
  }) as ServerResponse["writeHead"];

  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  // Next's 405 has no body of its own; while a problem is pending, what Next writes is dropped.
  res.write = ((...args: unknown[]) => (pending === null ? write(...args) : true)) as ServerResponse["write"];

  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const chunk = args[0];
    const bodyless = chunk == null || typeof chunk === "function" || (chunk as { length?: number }).length === 0;
    if (!res.headersSent && bodyless && rewrite()) res.setHeader("content-length", Buffer.byteLength(pending ?? ""));
    const body = pending;
    if (body === null) return end(...args);
    pending = null;
    return end(body);
  }) as ServerResponse["end"];
}
