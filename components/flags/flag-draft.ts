/**
 * The editable form of a flag document. Payloads are kept as the text the person typed, condition
 * values as text plus a type, split weights as percentages: `draftToDocument` turns that into the
 * API's document and reports what cannot be sent (bad JSON, a non-number, a split that does not
 * total 100%) under the same dotted paths the server uses for its field errors
 * (`variants.1.payload`, `rules.0.conditions.2.value`), so both kinds of error land on the same field.
 */
import type { ConditionOperator, FlagCondition, FlagDocument, FlagKind, FlagRule, FlagVariant, FlagView } from "@/lib/client/types";
import { FLAG_RULES, humanFieldErrors } from "@/lib/client/field-errors";

export type ValueType = "text" | "number" | "boolean";
export type ServeMode = "variant" | "split" | "rollout";
export const STICKINESS_PRESETS = ["userId", "sessionId", "orgId"] as const;

export interface VariantDraft {
  id: string;
  key: string;
  payloadText: string;
  description: string;
}

export interface ConditionDraft {
  id: string;
  attribute: string;
  operator: ConditionOperator;
  /** Text of the value; for `in`/`not_in` a comma-separated list; "true"/"false" for booleans. */
  value: string;
  valueType: ValueType;
  /** `exists` only: whether the attribute must be present or missing. */
  exists: "present" | "missing";
}

export interface SplitDraft {
  id: string;
  variant: string;
  /** Percent as typed, e.g. "12.5". */
  percent: string;
}

export interface RuleDraft {
  id: string;
  description: string;
  conditions: ConditionDraft[];
  mode: ServeMode;
  variant: string;
  split: SplitDraft[];
}

export interface FlagDraft {
  key: string;
  description: string;
  kind: FlagKind;
  variants: VariantDraft[];
  defaultVariant: string;
  fallbackVariant: string;
  /** A preset attribute, or "custom" with `customStickiness`. */
  stickinessChoice: (typeof STICKINESS_PRESETS)[number] | "custom";
  customStickiness: string;
  enabled: boolean;
  rules: RuleDraft[];
}

/** Field problems by dotted path (`rules.0.serve.split`); "" for the whole form. */
export type PathErrors = Record<string, string>;

let counter = 0;
export const newId = (prefix: string) => `${prefix}-${++counter}`;

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** The payload a new variant starts with, per kind. */
export const PAYLOAD_TEMPLATES: Record<FlagKind, string> = {
  model: pretty({ provider: "openai", model: "gpt-4o", params: { temperature: 0.2 } }),
  prompt: pretty({ promptVersion: 1, template: "You are a helpful support assistant. Answer in {{language}}." }),
  json: pretty({}),
};

export const KIND_HINTS: Record<FlagKind, string> = {
  model: 'Each payload names the model to call: {"provider", "model", "params"}.',
  prompt: 'Each payload is a versioned prompt: {"promptVersion", "template"}.',
  json: "Each payload is any JSON object your service understands.",
};

export function emptyVariant(kind: FlagKind, key = ""): VariantDraft {
  return { id: newId("v"), key, payloadText: PAYLOAD_TEMPLATES[kind], description: "" };
}

export function emptyCondition(attribute = ""): ConditionDraft {
  return { id: newId("c"), attribute, operator: "eq", value: "", valueType: "text", exists: "present" };
}

export function emptyRule(variant: string): RuleDraft {
  return { id: newId("r"), description: "", conditions: [emptyCondition()], mode: "variant", variant, split: [] };
}

export function newFlagDraft(kind: FlagKind = "model"): FlagDraft {
  return {
    key: "",
    description: "",
    kind,
    variants: [emptyVariant(kind)],
    defaultVariant: "",
    fallbackVariant: "",
    stickinessChoice: "userId",
    customStickiness: "",
    enabled: true,
    rules: [],
  };
}

/** An even split over `variants` in percent, the remainder of the basis points going to the first. */
export function evenSplit(variants: readonly string[]): SplitDraft[] {
  if (variants.length === 0) return [];
  const each = Math.floor(10_000 / variants.length);
  return variants.map((variant, i) => ({
    id: newId("s"),
    variant,
    percent: String((i === 0 ? 10_000 - each * (variants.length - 1) : each) / 100),
  }));
}

const typeOf = (v: unknown): ValueType => (typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "text");

function conditionToDraft(c: FlagCondition): ConditionDraft {
  const base = emptyCondition(c.attribute);
  if (c.operator === "exists") return { ...base, operator: c.operator, exists: c.value === false ? "missing" : "present" };
  if (Array.isArray(c.value)) return { ...base, operator: c.operator, value: c.value.map(String).join(", "), valueType: typeOf(c.value[0]) };
  return { ...base, operator: c.operator, value: c.value === undefined ? "" : String(c.value), valueType: typeOf(c.value) };
}

function ruleToDraft(rule: FlagRule, defaultVariant: string): RuleDraft {
  const base: RuleDraft = { ...emptyRule(defaultVariant), description: rule.description ?? "", conditions: rule.conditions.map(conditionToDraft) };
  if ("variant" in rule.serve) return { ...base, mode: "variant", variant: rule.serve.variant };
  if ("split" in rule.serve) {
    return { ...base, mode: "split", split: rule.serve.split.map((s) => ({ id: newId("s"), variant: s.variant, percent: String(s.weight / 100) })) };
  }
  return { ...base, mode: "rollout" };
}

export function flagToDraft(flag: FlagView): FlagDraft {
  const preset = (STICKINESS_PRESETS as readonly string[]).includes(flag.stickiness);
  return {
    key: flag.key,
    description: flag.description ?? "",
    kind: flag.kind,
    variants: flag.variants.map((v) => ({ id: newId("v"), key: v.key, payloadText: pretty(v.payload), description: v.description ?? "" })),
    defaultVariant: flag.defaultVariant,
    fallbackVariant: flag.fallbackVariant,
    stickinessChoice: preset ? (flag.stickiness as FlagDraft["stickinessChoice"]) : "custom",
    customStickiness: preset ? "" : flag.stickiness,
    enabled: flag.enabled,
    rules: flag.rules.map((r) => ruleToDraft(r, flag.defaultVariant)),
  };
}

export const stickinessOf = (draft: FlagDraft) => (draft.stickinessChoice === "custom" ? draft.customStickiness.trim() : draft.stickinessChoice);

/** What the value input of an operator takes. */
export type ValueInput = "primitive" | "list" | "text" | "number" | "semver" | "exists";

export function valueInputFor(operator: ConditionOperator): ValueInput {
  switch (operator) {
    case "eq":
    case "neq":
      return "primitive";
    case "in":
    case "not_in":
      return "list";
    case "contains":
    case "starts_with":
    case "ends_with":
      return "text";
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return "number";
    case "semver_gt":
    case "semver_lt":
      return "semver";
    case "exists":
      return "exists";
  }
}

type Primitive = string | number | boolean;

/** One typed value from its text, or an error message. */
function parsePrimitive(text: string, type: ValueType): { value: Primitive } | { error: string } {
  if (type === "number") {
    const t = text.trim();
    const n = Number(t);
    return t !== "" && Number.isFinite(n) ? { value: n } : { error: `"${text}" is not a number` };
  }
  if (type === "boolean") {
    if (text === "true" || text === "false") return { value: text === "true" };
    return { error: "choose true or false" };
  }
  return { value: text };
}

function conditionValue(c: ConditionDraft): { value?: Primitive | Primitive[] } | { error: string } {
  switch (valueInputFor(c.operator)) {
    case "exists":
      return c.exists === "missing" ? { value: false } : {};
    case "number":
      return parsePrimitive(c.value, "number");
    case "list": {
      const items = c.value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      if (items.length === 0) return { error: "enter one or more values, separated by commas" };
      const values: Primitive[] = [];
      for (const item of items) {
        const parsed = parsePrimitive(item, c.valueType === "boolean" ? "text" : c.valueType);
        if ("error" in parsed) return parsed;
        values.push(parsed.value);
      }
      return { value: values };
    }
    case "primitive":
      return parsePrimitive(c.value, c.valueType);
    default:
      return { value: c.value };
  }
}

/** `"12.5"` → 1250 basis points; null when it is not a percentage with at most two decimals. */
export function percentToBasisPoints(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const bp = Math.round(Number(t) * 100);
  return bp <= 10_000 ? bp : null;
}

/** Sum of a split's weights in basis points (unparseable entries count 0). */
export const splitTotal = (split: readonly SplitDraft[]) => split.reduce((sum, s) => sum + (percentToBasisPoints(s.percent) ?? 0), 0);

function ruleToDocument(rule: RuleDraft, r: number, errors: PathErrors): FlagRule {
  const conditions: FlagCondition[] = rule.conditions.map((c, i) => {
    const parsed = conditionValue(c);
    if ("error" in parsed) errors[`rules.${r}.conditions.${i}.value`] = parsed.error;
    const condition: FlagCondition = { attribute: c.attribute.trim(), operator: c.operator };
    if (!("error" in parsed) && parsed.value !== undefined) condition.value = parsed.value;
    return condition;
  });
  const description = rule.description.trim() ? { description: rule.description.trim() } : {};
  if (rule.mode === "rollout") return { ...description, conditions, serve: { rollout: true } };
  if (rule.mode === "variant") return { ...description, conditions, serve: { variant: rule.variant } };
  const split = rule.split.map((s, i) => {
    const weight = percentToBasisPoints(s.percent);
    if (weight === null) errors[`rules.${r}.serve.split.${i}.weight`] = "a percentage from 0 to 100, at most two decimals";
    return { variant: s.variant, weight: weight ?? 0 };
  });
  const total = split.reduce((sum, s) => sum + s.weight, 0);
  if (split.length === 0) errors[`rules.${r}.serve.split`] = "add at least one variant to the split";
  else if (total !== 10_000) errors[`rules.${r}.serve.split`] = `the weights total ${total / 100}%; they must total 100%`;
  return { ...description, conditions, serve: { split } };
}

/** The document to send, and the problems found before sending (empty when it can be sent). */
export function draftToDocument(draft: FlagDraft): { doc: FlagDocument; errors: PathErrors } {
  const errors: PathErrors = {};
  const variants: FlagVariant[] = draft.variants.map((v, i) => {
    let payload: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(v.payloadText);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) errors[`variants.${i}.payload`] = "the payload must be a JSON object ({ … })";
      else payload = parsed as Record<string, unknown>;
    } catch (e) {
      errors[`variants.${i}.payload`] = `not valid JSON: ${(e as Error).message}`;
    }
    return { key: v.key.trim(), payload, ...(v.description.trim() ? { description: v.description.trim() } : {}) };
  });
  const stickiness = stickinessOf(draft);
  if (!stickiness) errors.stickiness = "name the context attribute that keeps a user in the same bucket";
  const doc: FlagDocument = {
    key: draft.key.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    kind: draft.kind,
    variants,
    defaultVariant: draft.defaultVariant,
    fallbackVariant: draft.fallbackVariant,
    stickiness,
    enabled: draft.enabled,
    rules: draft.rules.map((rule, r) => ruleToDocument(rule, r, errors)),
  };
  return { doc, errors };
}

/** Compares drafts by content (ids and typing differences that send the same document are ignored). */
export function draftFingerprint(draft: FlagDraft): string {
  const { doc, errors } = draftToDocument(draft);
  // Unsendable text still counts as a change: include the raw payload texts when they do not parse.
  return JSON.stringify({ doc, raw: Object.keys(errors).length ? draft : null });
}

/** The editable part of a stored flag, for change detection. */
export function flagFingerprint(flag: FlagView): string {
  return draftFingerprint(flagToDraft(flag));
}

/** Server field errors by full dotted path, in words (the first message per path wins). */
export function serverPathErrors(problems: readonly { path: string; message: string }[] | undefined): PathErrors {
  return humanFieldErrors(problems, FLAG_RULES);
}

/** The first error at `path` or below it (`variants.0.payload` covers `variants.0.payload.model`). */
export function errorAt(errors: PathErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const prefix = `${path}.`;
  const hit = Object.entries(errors).find(([p]) => p.startsWith(prefix));
  return hit ? `${hit[0].slice(prefix.length)}: ${hit[1]}` : undefined;
}

/**
 * Sets variant `index`'s key and renames it everywhere the draft refers to it (default, fallback,
 * rules), unless another variant still has the old key. A first key typed into a new variant
 * also fills an empty default and fallback.
 */
export function setVariantKey(draft: FlagDraft, index: number, to: string): FlagDraft {
  const from = draft.variants[index]?.key ?? "";
  const variants = draft.variants.map((v, i) => (i === index ? { ...v, key: to } : v));
  if (from === "") {
    return { ...draft, variants, defaultVariant: draft.defaultVariant || to, fallbackVariant: draft.fallbackVariant || to };
  }
  if (draft.variants.some((v, i) => i !== index && v.key === from)) return { ...draft, variants };
  const swap = (k: string) => (k === from ? to : k);
  return {
    ...draft,
    variants,
    defaultVariant: swap(draft.defaultVariant),
    fallbackVariant: swap(draft.fallbackVariant),
    rules: draft.rules.map((r) => ({ ...r, variant: swap(r.variant), split: r.split.map((sp) => ({ ...sp, variant: swap(sp.variant) })) })),
  };
}
