/**
 * POST /api/v1/events, the handler itself: an API key of scope `ingest` (its environment), up to
 * 1,000 events and 1 MiB (more → 413), each invalid event rejected with its index and reasons.
 *
 * Served twice over the same code: by the Next route file (app/api/v1/events/route.ts) and, in
 * the app's own server, by `eventsFastRoute` — registered with the runtime's fast routes so
 * this hot service endpoint skips Next's per-request routing and rendering machinery.
 */
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../../../domain/errors";
import { eventBatchEnvelopeSchema, MAX_EVENTS_BODY_BYTES } from "../../../schemas/events";
import { apiKeyOf, readBody } from "../../evaluation/http-io";
import { BodyTooLarge, readJsonBody } from "../../http/body";
import { problemBody, problemFromError, problemResponse } from "../../http/problem";
import { route } from "../../http/route";
import { zodProblem } from "../../http/zod-problem";
import { ingestEvents } from "./ingest-events";

export const EVENTS_PATH = "/api/v1/events";

export const postEvents = route({
  permission: "event.ingest",
  apiKeys: true,
  handler: async ({ actor, request }) => {
    if (!actor.environmentId) throw new DomainError("forbidden", "Events are sent with an API key of scope `ingest`; the key names the environment.");
    const envelope = eventBatchEnvelopeSchema.safeParse(await readJsonBody(request, MAX_EVENTS_BODY_BYTES));
    if (!envelope.success) throw zodProblem(envelope.error, "body");
    return ingestEvents({ environmentId: actor.environmentId, events: envelope.data.events });
  },
});

function requestIdOf(req: IncomingMessage): string {
  return (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"].slice(0, 100)) || crypto.randomUUID();
}

/** The request as a web Request around its body, already read whole (one chunk, not a web stream). */
function toWebRequest(req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The fast route: POST /api/v1/events only. Sessions are not accepted here (no Next request
 * context), which costs nothing: the endpoint is for API keys, so a request without one is 401.
 */
export async function eventsFastRoute(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? "").split("?")[0];
  if (path !== EVENTS_PATH || req.method !== "POST") return false;
  if (!apiKeyOf(req)) {
    req.resume();
    await send(res, problemResponse(problemBody(401, "unauthenticated", "Send an API key of scope `ingest` as `Authorization: Bearer <key>`.", requestIdOf(req))));
    return true;
  }
  let body: Buffer;
  try {
    body = await readBody(req, MAX_EVENTS_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    // Answered before the upload ends (a declared length says so at once); the connection
    // closes, so the client reads the 413 instead of pushing the rest of a body nobody reads.
    const response = problemResponse(problemFromError(error, requestIdOf(req)));
    response.headers.set("connection", "close");
    await send(res, response);
    return true;
  }
  await send(res, await postEvents(toWebRequest(req, body)));
  return true;
}
