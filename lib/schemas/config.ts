import { z } from "zod";
import { CONFIG_API_VERSION, CONFIG_KINDS } from "../domain/config/types";
import { environmentKeySchema } from "./common";
import { flagDocumentSchema, flagKeySchema } from "./flags";
import { createRolloutBodySchema } from "./rollouts";
import { sloBodySchema } from "./slo";
import { createWebhookBodySchema } from "./webhooks";

/**
 * Config as code (docs/config-as-code.md): YAML documents of one resource each, the body of
 * POST /api/v1/config/apply and the query of GET /api/v1/config/export. A resource is
 * `{apiVersion, kind, metadata: {environment, key | name}, spec}`; `spec` has the management
 * API's field names, so each kind's spec is parsed by that API's own schema (below, with the
 * name and environment taken from metadata). docs/rollgate.schema.json is generated from these
 * schemas by scripts/config-schema.ts.
 */

export const MAX_CONFIG_RESOURCES = 1000;
export const MAX_RESOURCE_NAME_CHARS = 100;

const resourceNameSchema = z.string().trim().min(1).max(MAX_RESOURCE_NAME_CHARS);

/**
 * Each kind's spec is its API document without what metadata carries, parsed by that API's own
 * schema (parseResourceSpec in lib/server/services/config): a Flag is the flag document without
 * `key`; an SLO the SLO body without `environment` and `name`; a RolloutPlan the rollout create
 * body without `environment`; a Webhook `{url, events, active}` — never a secret: one is
 * generated when the webhook is created and shown once in the apply answer. A URL with `***`
 * (as export masks it) keeps the current URL.
 */
export const SPEC_SCHEMAS = {
  Flag: { schema: flagDocumentSchema, fromMetadata: ["key"] },
  SLO: { schema: sloBodySchema, fromMetadata: ["environment", "name"] },
  RolloutPlan: { schema: createRolloutBodySchema, fromMetadata: ["environment"] },
  Webhook: { schema: createWebhookBodySchema, fromMetadata: ["environment", "name", "secret"] },
} as const satisfies Record<(typeof CONFIG_KINDS)[number], { schema: z.ZodType; fromMetadata: readonly string[] }>;

const metadataSchema = z.strictObject({
  environment: environmentKeySchema,
  key: flagKeySchema.optional(),
  name: resourceNameSchema.optional(),
});

/** The envelope of every document; the spec is checked per kind by parseResourceSpec. */
export const configResourceSchema = z
  .strictObject({
    apiVersion: z.literal(CONFIG_API_VERSION, { error: `apiVersion must be "${CONFIG_API_VERSION}"` }),
    kind: z.enum(CONFIG_KINDS, { error: `kind must be one of: ${CONFIG_KINDS.join(", ")}` }),
    metadata: metadataSchema,
    spec: z.record(z.string(), z.unknown(), { error: "spec must be a mapping" }),
  })
  .superRefine((r, ctx) => {
    if (r.kind === "Flag" && !r.metadata.key) ctx.addIssue({ code: "custom", path: ["metadata", "key"], message: "a Flag is named by metadata.key" });
    if (r.kind === "Flag" && r.metadata.name) ctx.addIssue({ code: "custom", path: ["metadata", "name"], message: "a Flag is named by metadata.key, not name" });
    if (r.kind !== "Flag" && !r.metadata.name) ctx.addIssue({ code: "custom", path: ["metadata", "name"], message: `a ${r.kind} is named by metadata.name` });
    if (r.kind !== "Flag" && r.metadata.key) ctx.addIssue({ code: "custom", path: ["metadata", "key"], message: `a ${r.kind} is named by metadata.name, not key` });
  });
export type ConfigResourceInput = z.output<typeof configResourceSchema>;

/** POST /api/v1/config/apply. */
export const applyConfigBodySchema = z.strictObject({
  environment: environmentKeySchema,
  resources: z.array(configResourceSchema).max(MAX_CONFIG_RESOURCES),
  /** Archive flags and delete SLOs and webhooks of the environment that `resources` do not name. */
  prune: z.boolean().default(false),
  /** Change a flag's serving although a rollout is live on it (needs rollout.skip_analysis). */
  force: z.boolean().default(false),
  /** Plan only: answer the changes, write nothing. */
  dryRun: z.boolean().default(false),
  /**
   * `Kind/name` → the version the plan was computed against (null: did not exist). Any
   * difference fails the whole apply with 409; absent, the apply checks against what it reads.
   */
  expectedVersions: z.record(z.string().max(200), z.string().max(100).nullable()).optional(),
  comment: z.string().max(2000).optional(),
});
export type ApplyConfigBody = z.output<typeof applyConfigBodySchema>;

export const exportConfigQuerySchema = z.object({ environment: environmentKeySchema });

/** The JSON Schema of one YAML document, for editors and the CLI (scripts/config-schema.ts). */
export function configDocumentJsonSchema(): Record<string, unknown> {
  const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  const strip = ({ $schema: _drop, ...rest }: Record<string, unknown>) => rest;
  const metadata = (named: "key" | "name") => ({
    type: "object",
    additionalProperties: false,
    required: ["environment", named],
    properties: { environment: strip(json(environmentKeySchema)), [named]: strip(json(named === "key" ? flagKeySchema : resourceNameSchema)) },
  });
  /** The API document's JSON Schema without the members metadata carries. */
  const spec = (k: keyof typeof SPEC_SCHEMAS) => {
    const { schema, fromMetadata } = SPEC_SCHEMAS[k];
    const full = strip(json(schema)) as { properties: Record<string, unknown>; required?: string[] };
    const properties = Object.fromEntries(Object.entries(full.properties).filter(([p]) => !(fromMetadata as readonly string[]).includes(p)));
    const required = (full.required ?? []).filter((p) => !(fromMetadata as readonly string[]).includes(p));
    return { ...full, properties, required };
  };
  const kind = (k: keyof typeof SPEC_SCHEMAS, named: "key" | "name") => ({
    if: { properties: { kind: { const: k } }, required: ["kind"] },
    then: { properties: { metadata: metadata(named), spec: spec(k) } },
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://rollgate.dev/schemas/rollgate.schema.json",
    title: "Rollgate configuration document",
    description: "One Rollgate resource per YAML document: a Flag, RolloutPlan, SLO or Webhook of one environment (docs/config-as-code.md).",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      apiVersion: { const: CONFIG_API_VERSION },
      kind: { enum: [...CONFIG_KINDS] },
      metadata: { type: "object" },
      spec: { type: "object" },
    },
    allOf: [kind("Flag", "key"), kind("RolloutPlan", "name"), kind("SLO", "name"), kind("Webhook", "name")],
  };
}
