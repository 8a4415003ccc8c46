/**
 * The one way to answer HTTP from a route handler: authenticate (session cookie or API key),
 * check the permission, parse params/query/body with zod, run the handler, and map every error
 * to problem+json. Route files stay a few lines long and cannot forget a step.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { DomainError } from "../../domain/errors";
import type { Permission } from "../../domain/auth/permissions";
import { getEnv } from "../../env";
import type { Actor } from "../auth/actor";
import { apiKeyActor, apiKeyFromHeaders } from "../auth/api-keys";
import { sessionActor } from "../auth/guard";
import { assertPermission } from "../auth/access";
import { authenticateApiKey, isKeyRefusal } from "../evaluation/api-key-lookup";
import { problemBody, problemFromError, problemResponse } from "./problem";
import { readJsonBody } from "./body";
import { refuseCrossSite } from "./same-origin";
import { assertStorableText, zodProblem } from "./zod-problem";

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteInput<P, Q, B> {
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
}

export interface RouteSpec<PS, QS, BS> {
  /** Permission the caller needs. */
  permission: Permission;
  /** Accept API keys (their scope must grant `permission`). Sessions are always accepted. */
  apiKeys?: boolean;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Success status, 200 unless said. */
  status?: number;
  handler: (input: RouteInput<Infer<PS>, Infer<QS>, Infer<BS>>) => Promise<unknown>;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

export function route<PS extends Schema | undefined = undefined, QS extends Schema | undefined = undefined, BS extends Schema | undefined = undefined>(spec: RouteSpec<PS, QS, BS>) {
  return async (request: Request, context?: NextContext): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    try {
      const actor = await authenticate(request, spec.apiKeys ?? false);
      if (!actor) {
        return problemResponse(problemBody(401, "unauthenticated", "Sign in, or send an API key as `Authorization: Bearer <key>`.", requestId));
      }
      // CSRF: a session cookie is ambient, so the request must come from the app's own pages.
      const crossSite = actor.type === "user" ? refuseCrossSite(request, requestId, Boolean(spec.body)) : null;
      if (crossSite) return crossSite;
      assertPermission(actor, spec.permission);

      const params = parse(spec.params, (await context?.params) ?? {}, "path");
      const query = parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query");
      const body = spec.body ? parse(spec.body, await readJsonBody(request, getEnv().ROLLGATE_MAX_BODY_BYTES), "body") : undefined;

      const result = await spec.handler({ actor, params, query, body, request, requestId } as RouteInput<Infer<PS>, Infer<QS>, Infer<BS>>);
      if (result instanceof Response) return result;
      const status = spec.status ?? 200;
      if (status === 204) return new Response(null, { status, headers: { "x-request-id": requestId } });
      return Response.json(result, { status, headers: { "x-request-id": requestId } });
    } catch (error) {
      return problemResponse(problemFromError(error, requestId));
    }
  };
}

async function authenticate(request: Request, acceptApiKeys: boolean): Promise<Actor | null> {
  const rawKey = apiKeyFromHeaders(request.headers);
  if (rawKey) {
    if (!acceptApiKeys) throw new DomainError("forbidden", "This endpoint does not accept API keys; sign in instead.");
    const key = await authenticateApiKey(rawKey);
    if (isKeyRefusal(key)) throw new DomainError(key.status === 503 ? "unavailable" : "unauthenticated", key.detail);
    return apiKeyActor(key);
  }
  return sessionActor();
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: "path" | "query" | "body"): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  assertStorableText(value, where);
  const result = schema.safeParse(value);
  if (!result.success) throw zodProblem(result.error, where);
  return result.data as Infer<S>;
}
