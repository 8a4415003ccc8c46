import { z } from "zod";
import { DomainError } from "../domain/errors";
import { BUCKETS } from "../domain/flags/bucket";
import { parseSemver } from "../domain/flags/semver";
import { CONDITION_OPERATORS, type Condition as DomainCondition, type ConditionOperator, type Serve as DomainServe, type TargetingRule as DomainTargetingRule } from "../domain/flags/types";
import { environmentKeySchema } from "./common";

/**
 * Zod schemas of the flag document (API bodies and config-as-code). Objects are strict: an
 * unknown key (often a typo such as "defaultVarient") is an error, not silently dropped.
 * Limits: flag key 1-128 chars, variant key 1-64, 1-50 variants, ≤ 100 rules, ≤ 20 conditions
 * per rule, ≤ 1000 values in an `in` list, payload ≤ 32 KiB as UTF-8 JSON, descriptions ≤ 1000 chars.
 */

export const MAX_VARIANTS = 50;
export const MAX_RULES = 100;
export const MAX_CONDITIONS_PER_RULE = 20;
export const MAX_IN_VALUES = 1000;
export const MAX_PAYLOAD_BYTES = 32 * 1024;
export const MAX_DESCRIPTION_CHARS = 1000;

export const flagKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, {
    error: "flag key must start with a lowercase letter or digit and contain only a-z, 0-9, '.', '_' or '-'",
  });

export const variantKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, {
    error: "variant key must start with a letter or digit and contain only letters, digits, '.', '_', ':' or '-'",
  });

/** Name of a context attribute (conditions and stickiness). */
export const attributeNameSchema = z.string().min(1).max(64);

const descriptionSchema = z.string().max(MAX_DESCRIPTION_CHARS);

export const flagKindSchema = z.enum(["model", "prompt", "json"]);

const utf8 = new TextEncoder();

/** A JSON object of at most 32 KiB once serialized. */
export const payloadSchema = z.record(z.string(), z.unknown()).superRefine((payload, ctx) => {
  const bytes = utf8.encode(JSON.stringify(payload)).length;
  if (bytes > MAX_PAYLOAD_BYTES) {
    ctx.addIssue({ code: "custom", message: `payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}` });
  }
});

/** Payload of a `model` flag: which provider/model to call; extra keys are allowed. */
export const modelPayloadSchema = z.looseObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});

/** Payload of a `prompt` flag: a versioned template; extra keys are allowed. */
export const promptPayloadSchema = z.looseObject({
  promptVersion: z.number().int().min(1),
  template: z.string(),
});

export const variantSchema = z.strictObject({
  key: variantKeySchema,
  payload: payloadSchema,
  description: descriptionSchema.optional(),
});

const primitiveSchema = z.union([z.string(), z.number(), z.boolean()]);

const isPrimitive = (v: unknown): boolean => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** Which value each operator takes, as a check and the message shown when it fails. */
const valueRules: Record<ConditionOperator, { accepts: (value: unknown) => boolean; expected: string }> = (() => {
  const primitive = { accepts: isPrimitive, expected: "a string, number or boolean value" };
  const list = {
    accepts: (v: unknown) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_IN_VALUES && v.every(isPrimitive),
    expected: `an array of 1 to ${MAX_IN_VALUES} strings, numbers or booleans`,
  };
  const text = { accepts: (v: unknown) => typeof v === "string", expected: "a string value" };
  const number = {
    accepts: (v: unknown) => typeof v === "number" && Number.isFinite(v),
    expected: "a finite number value",
  };
  const semver = {
    accepts: (v: unknown) => typeof v === "string" && parseSemver(v) !== null,
    expected: 'a semantic version value such as "1.4.0" or "2.0.0-rc.1"',
  };
  return {
    eq: primitive,
    neq: primitive,
    in: list,
    not_in: list,
    contains: text,
    starts_with: text,
    ends_with: text,
    lt: number,
    lte: number,
    gt: number,
    gte: number,
    semver_gt: semver,
    semver_lt: semver,
    exists: {
      accepts: (v: unknown) => v === undefined || typeof v === "boolean",
      expected: "no value, true or false",
    },
  };
})();

export const conditionSchema = z
  .strictObject({
    attribute: attributeNameSchema,
    operator: z.enum(CONDITION_OPERATORS),
    value: z
      .union([primitiveSchema, z.array(primitiveSchema)], {
        error: "value must be a string, number, boolean or an array of those",
      })
      .optional(),
  })
  .superRefine((condition, ctx) => {
    const rule = valueRules[condition.operator];
    if (!rule.accepts(condition.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `"${condition.operator}" takes ${rule.expected}` });
    }
  });

const splitEntrySchema = z.strictObject({
  variant: variantKeySchema,
  weight: z.number().int().min(0).max(BUCKETS),
});

/**
 * Exactly one of `{variant}`, `{split}` (weights in basis points summing to 10000, each variant
 * once) or `{rollout: true}`. Written as one object with a "which one" check rather than a zod
 * union so that errors point at the offending field instead of "Invalid input".
 */
export const serveSchema = z
  .strictObject({
    variant: variantKeySchema.optional(),
    split: z.array(splitEntrySchema).min(1).max(MAX_VARIANTS).optional(),
    rollout: z.literal(true).optional(),
  })
  .superRefine((serve, ctx) => {
    const present = (["variant", "split", "rollout"] as const).filter((k) => serve[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `serve must have exactly one of "variant", "split" or "rollout" (got ${present.length === 0 ? "none" : present.join(", ")})`,
      });
      return;
    }
    if (!serve.split) return;
    const total = serve.split.reduce((sum, entry) => sum + entry.weight, 0);
    if (total !== BUCKETS) {
      ctx.addIssue({
        code: "custom",
        path: ["split"],
        message: `split weights must sum to ${BUCKETS} basis points (got ${total})`,
      });
    }
    const seen = new Set<string>();
    serve.split.forEach((entry, i) => {
      if (seen.has(entry.variant)) {
        ctx.addIssue({ code: "custom", path: ["split", i, "variant"], message: `variant "${entry.variant}" appears twice in the split` });
      }
      seen.add(entry.variant);
    });
  }) as unknown as z.ZodType<DomainServe, DomainServe>;

export const targetingRuleSchema = z.strictObject({
  description: descriptionSchema.optional(),
  conditions: z.array(conditionSchema).max(MAX_CONDITIONS_PER_RULE),
  serve: serveSchema,
});

export type Condition = z.output<typeof conditionSchema>;
export type Serve = DomainServe;
export type TargetingRule = z.output<typeof targetingRuleSchema>;

// Compile-time guard: what the schema accepts is what the engine evaluates.
type Assignable<From extends To, To> = From;
export type _ConditionFitsDomain = Assignable<Condition, DomainCondition>;
export type _RuleFitsDomain = Assignable<TargetingRule, DomainTargetingRule>;

type RefineCtx = z.RefinementCtx;

/** Re-emits the issues of a nested parse under `path`, so they keep precise locations. */
function forwardIssues(ctx: RefineCtx, path: (string | number)[], error: z.ZodError): void {
  for (const issue of error.issues) {
    ctx.addIssue({ code: "custom", path: [...path, ...issue.path], message: issue.message });
  }
}

type FlagParts = {
  kind?: z.output<typeof flagKindSchema>;
  variants?: z.output<typeof variantSchema>[];
  defaultVariant?: string;
  fallbackVariant?: string;
  rules?: TargetingRule[];
};

/**
 * Cross-field checks on whichever parts are present: unique variant keys, payloads fitting the
 * kind, and every variant reference (default, fallback, rules) naming a variant of the document.
 */
function checkFlagParts(flag: FlagParts, ctx: RefineCtx): void {
  const { variants } = flag;
  if (!variants) return;

  const keys = new Set<string>();
  variants.forEach((variant, i) => {
    if (keys.has(variant.key)) {
      ctx.addIssue({ code: "custom", path: ["variants", i, "key"], message: `duplicate variant key "${variant.key}"` });
    }
    keys.add(variant.key);
  });

  const payloadSchemaForKind = flag.kind === "model" ? modelPayloadSchema : flag.kind === "prompt" ? promptPayloadSchema : null;
  if (payloadSchemaForKind) {
    variants.forEach((variant, i) => {
      const parsed = payloadSchemaForKind.safeParse(variant.payload);
      if (!parsed.success) forwardIssues(ctx, ["variants", i, "payload"], parsed.error);
    });
  }

  const requireVariant = (key: string | undefined, path: (string | number)[]) => {
    if (key !== undefined && !keys.has(key)) {
      ctx.addIssue({ code: "custom", path, message: `unknown variant "${key}"` });
    }
  };
  requireVariant(flag.defaultVariant, ["defaultVariant"]);
  requireVariant(flag.fallbackVariant, ["fallbackVariant"]);
  flag.rules?.forEach((rule, r) => {
    if ("variant" in rule.serve) requireVariant(rule.serve.variant, ["rules", r, "serve", "variant"]);
    if ("split" in rule.serve) {
      rule.serve.split.forEach((entry, s) => requireVariant(entry.variant, ["rules", r, "serve", "split", s, "variant"]));
    }
  });
}

/** Fields shared by create and patch, without defaults (a patch must not invent values). */
const flagFields = {
  description: descriptionSchema,
  kind: flagKindSchema,
  variants: z.array(variantSchema).min(1).max(MAX_VARIANTS),
  defaultVariant: variantKeySchema,
  fallbackVariant: variantKeySchema,
  stickiness: attributeNameSchema,
  enabled: z.boolean(),
  rules: z.array(targetingRuleSchema).max(MAX_RULES),
};

/**
 * A whole flag document (create, config-as-code). Defaults: kind "json", stickiness "userId",
 * enabled true, rules []. `fallbackVariant` is required: it is what the kill switch serves.
 */
export const flagDocumentSchema = z
  .strictObject({
    key: flagKeySchema,
    description: flagFields.description.optional(),
    kind: flagFields.kind.default("json"),
    variants: flagFields.variants,
    defaultVariant: flagFields.defaultVariant,
    fallbackVariant: flagFields.fallbackVariant,
    stickiness: flagFields.stickiness.default("userId"),
    enabled: flagFields.enabled.default(true),
    rules: flagFields.rules.default([]),
  })
  .superRefine(checkFlagParts);

/**
 * A partial update: any top-level field but `key`. Checks only what the patch itself contains
 * (e.g. a new defaultVariant against variants sent in the same patch); the service must merge
 * the patch into the stored document and validate the result with `flagDocumentSchema`.
 */
export const flagPatchSchema = z
  .strictObject({
    key: z.never({ error: "key cannot be changed; create a new flag instead" }).optional(),
    description: flagFields.description.optional(),
    kind: flagFields.kind.optional(),
    variants: flagFields.variants.optional(),
    defaultVariant: flagFields.defaultVariant.optional(),
    fallbackVariant: flagFields.fallbackVariant.optional(),
    stickiness: flagFields.stickiness.optional(),
    enabled: flagFields.enabled.optional(),
    rules: flagFields.rules.optional(),
  })
  .superRefine(checkFlagParts);

/** A validated flag document with defaults applied. */
export type FlagDocument = z.output<typeof flagDocumentSchema>;
/** What a client may send to create a flag (defaults not yet applied). */
export type FlagDocumentInput = z.input<typeof flagDocumentSchema>;
export type FlagPatch = z.output<typeof flagPatchSchema>;

// ---------------------------------------------------------------------------------------------
// Requests of the flags management API (/api/v1/flags…). The document schemas above cannot be
// `.extend`ed (they carry cross-field checks), so the few request-only members are taken off
// first and the rest is parsed by the document schema; issues of both keep their field paths.

/** Re-emits a nested parse's issues; an unknown key gets its own path ("defaultVarient", not ""). */
function forwardRequestIssues(ctx: RefineCtx, error: z.ZodError): void {
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        ctx.addIssue({ code: "custom", path: [...issue.path, key], message: `unknown field "${key}"` });
      }
    } else {
      ctx.addIssue({ code: "custom", path: issue.path as (string | number)[], message: issue.message });
    }
  }
}

/**
 * `schema` plus the request-only members of `extra`, which are parsed on their own; the result
 * is the extra members with the schema's output under `as`.
 */
function withRequestFields<S extends z.ZodType, E extends z.ZodRawShape, K extends string>(schema: S, extra: E, as: K) {
  const extraSchema = z.strictObject(extra);
  const names = new Set(Object.keys(extra));
  type Out = z.output<typeof extraSchema> & { [P in K]: z.output<S> };
  return z.unknown().transform((raw, ctx): Out => {
    const own: Record<string, unknown> = {};
    let rest: unknown = raw;
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      const others: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) (names.has(k) ? own : others)[k] = v;
      rest = others;
    }
    const fields = extraSchema.safeParse(own);
    const value = schema.safeParse(rest);
    if (!fields.success) forwardRequestIssues(ctx, fields.error);
    if (!value.success) forwardRequestIssues(ctx, value.error);
    if (!fields.success || !value.success) return z.NEVER;
    return { ...fields.data, [as]: value.data } as Out;
  });
}

/** `{key}` of /api/v1/flags/{key}… */
export const flagParamsSchema = z.object({ key: flagKeySchema });

/** `GET /api/v1/flags?environment=&includeArchived=true&q=` (q: case-insensitive match on key or description). */
export const listFlagsQuerySchema = z.object({
  environment: environmentKeySchema,
  includeArchived: z
    .enum(["true", "false"], { error: 'includeArchived is "true" or "false"' })
    .transform((v) => v === "true")
    .optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListFlagsQuery = z.output<typeof listFlagsQuerySchema>;

/** `POST /api/v1/flags`: the environment may come in the query or in the body. */
export const createFlagQuerySchema = z.object({ environment: environmentKeySchema.optional() });

/** `POST /api/v1/flags` body: a flag document, optionally with `environment`. */
export const createFlagBodySchema = withRequestFields(flagDocumentSchema, { environment: environmentKeySchema.optional() }, "flag");
export type CreateFlagBody = z.output<typeof createFlagBodySchema>;

/**
 * The environment of a create: from the query or the body; both given and different, or
 * neither given, is a 400 naming `environment`.
 */
export function flagEnvironmentOf(fromQuery: string | undefined, fromBody: string | undefined): string {
  const fail = (message: string) => new DomainError("invalid_input", `Invalid request: environment: ${message}`, { errors: [{ path: "environment", message }] });
  if (fromQuery && fromBody && fromQuery !== fromBody) {
    throw fail(`the query says "${fromQuery}" but the body says "${fromBody}"; send one, or the same in both`);
  }
  const key = fromQuery ?? fromBody;
  if (!key) throw fail('required: send ?environment=<key> or an "environment" field in the body');
  return key;
}

/** `PATCH /api/v1/flags/{key}` body: flagPatchSchema fields plus the version the caller saw. */
export const updateFlagBodySchema = withRequestFields(flagPatchSchema, { expectedVersion: z.int().min(1).optional() }, "patch");
export type UpdateFlagBody = z.output<typeof updateFlagBodySchema>;
/** What `updateFlag` takes: the patch fields and `expectedVersion`, as a client sends them. */
export type FlagPatchRequest = z.input<typeof flagPatchSchema> & { expectedVersion?: number };

export const MAX_KILL_SWITCH_REASON_CHARS = 500;

/** `POST /api/v1/flags/{key}/kill-switch`: a reason (1-500 chars) is required to turn it on. */
export const killSwitchBodySchema = z
  .strictObject({
    enabled: z.boolean(),
    reason: z.string().trim().min(1, { error: "reason must not be blank" }).max(MAX_KILL_SWITCH_REASON_CHARS).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.enabled && body.reason === undefined) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "say why the kill switch goes on (1-500 characters)" });
    }
  });
export type KillSwitchBody = z.output<typeof killSwitchBodySchema>;

export const MAX_TEST_CONTEXT_ATTRIBUTES = 100;

/** `POST /api/v1/flags/{key}/evaluate`: the context to try, attribute → string, number or boolean. */
export const flagTestBodySchema = z.strictObject({
  context: z
    .record(attributeNameSchema, z.union([z.string().max(1000), z.number(), z.boolean()], { error: "context values are strings, numbers or booleans" }))
    .refine((c) => Object.keys(c).length <= MAX_TEST_CONTEXT_ATTRIBUTES, { error: `at most ${MAX_TEST_CONTEXT_ATTRIBUTES} attributes` }),
});
export type FlagTestBody = z.output<typeof flagTestBodySchema>;
