/**
 * Helpers of the flags API tests: a model-flag document, a `manage` API key with its raw key for
 * calls through the route handlers, and what a mutation should have written.
 */
import { randomBytes } from "node:crypto";
import { generateApiKey } from "@/lib/server/auth/api-keys";
import { db } from "@/lib/server/db";
import type { FlagDocumentInput } from "@/lib/schemas/flags";

export const uid = () => randomBytes(3).toString("hex");

/** gpt-4o by default, claude for enterprise users, gpt-4o-mini as the kill switch's fallback. */
export function modelFlagDocument(key = `bot-${uid()}.model`): FlagDocumentInput & { key: string } {
  return {
    key,
    description: "Model behind the support bot",
    kind: "model",
    variants: [
      { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o" } },
      { key: "gpt-4.1", payload: { provider: "openai", model: "gpt-4.1" }, description: "candidate" },
      { key: "safe", payload: { provider: "openai", model: "gpt-4o-mini" } },
    ],
    defaultVariant: "gpt-4o",
    fallbackVariant: "safe",
    rules: [{ description: "enterprise", conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "gpt-4.1" } }],
  };
}

/** A real `manage` key of the environment (the raw key authenticates route calls). */
export async function createManageKey(environmentId: string): Promise<string> {
  const key = generateApiKey();
  await db.apiKey.create({ data: { environmentId, name: `manage-${uid()}`, prefix: key.prefix, keyHash: key.keyHash, scopes: ["manage"] } });
  return key.key;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler as Next would, with `Authorization: Bearer <key>`. */
export async function callRoute(handler: Handler, key: string, url: string, init: { method: string; body?: unknown; params?: Record<string, string> }) {
  const res = await handler(
    new Request(`http://localhost${url}`, {
      method: init.method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whichever fields of the answer they check
  return { status: res.status, contentType: res.headers.get("content-type"), json: (await res.json()) as any };
}

/** Audit records, config version and flag rows of an environment: a mutation's footprint. */
export async function footprint(environmentId: string) {
  const [audits, env, flags] = await Promise.all([
    db.auditRecord.count({ where: { environmentId } }),
    db.environment.findUniqueOrThrow({ where: { id: environmentId }, select: { configVersion: true } }),
    db.flag.findMany({ where: { environmentId }, orderBy: { key: "asc" } }),
  ]);
  return { audits, configVersion: env.configVersion, flags: JSON.stringify(flags) };
}
