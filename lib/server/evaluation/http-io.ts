/**
 * Minimal node:http helpers for the lean evaluation layer: bounded body reading, JSON and
 * problem+json answers. Kept free of Next and of Web Request objects for speed.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../../domain/errors";
import { BodyTooLarge } from "../http/body";
import { problemBody, problemFromError, retryHeaders, type Problem } from "../http/problem";
import { apiKeyFromHeader } from "../auth/api-keys";

export type Headers = Record<string, string | number>;

/**
 * Reads the whole body, refusing (BodyTooLarge) as soon as it is known to exceed `maxBytes`:
 * from Content-Length before reading, or while streaming a chunked body.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBytes) {
      req.resume();
      reject(new BodyTooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new BodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      failed = true;
      reject(e);
    });
  });
}

/** Parses JSON text; an empty body is `undefined`. Throws invalid_input naming the parse error. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError("invalid_input", `Request body is not valid JSON: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Headers): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** Sends already-serialized JSON. */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers?: Headers): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers?: Headers): void {
  res.writeHead(status, { "content-length": 0, ...headers });
  res.end();
}

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return (typeof given === "string" && given.slice(0, 100)) || randomUUID();
}

export function sendProblem(res: ServerResponse, problem: Problem, headers?: Headers): void {
  const text = JSON.stringify(problem);
  res.writeHead(problem.status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": problem.requestId,
    ...retryHeaders(problem),
    ...headers,
  });
  res.end(text);
}

/** problem+json for anything thrown; a body-too-large answer also closes the connection (its body was not read). */
export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const problem = problemFromError(error, requestIdOf(req));
  sendProblem(res, problem, error instanceof BodyTooLarge ? { connection: "close" } : undefined);
}

export function problem(req: IncomingMessage, status: number, code: string, detail: string, extra?: Record<string, unknown>): Problem {
  return problemBody(status, code, detail, requestIdOf(req), extra);
}

/** The raw API key from `Authorization: Bearer …` or `X-API-Key`. */
export function apiKeyOf(req: IncomingMessage): string | null {
  return apiKeyFromHeader(req.headers.authorization, req.headers["x-api-key"]);
}
