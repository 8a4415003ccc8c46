/**
 * Field problems in the dashboard's words. The API keeps its precise problem+json (a path and a
 * technical message per field, see lib/server/http/zod-problem.ts); forms validate with the same
 * zod schemas before sending. Both end here: each problem is classified (missing, negative, out
 * of range, badly formed) and turned into the sentence the form's rules give for that field, so a
 * person reads "Traffic must be between 0% and 100%." instead of a schema message.
 */
import type { z } from "zod";

export interface FieldIssue {
  /** Dotted path, e.g. "stages.2.trafficBasisPoints" (the domain's "stages[2].x" is accepted). */
  path: string;
  message: string;
  /** Known when the problem comes from a zod schema on this side; read from the wording otherwise. */
  kind?: ProblemKind;
}

export type ProblemKind = "missing" | "negative" | "range" | "format" | "other";

/**
 * What a form says about one field. Sentences may use `{n}`: the first list index in the path,
 * counted from 1 ("Stage {n} traffic…"). Missing kinds fall back to `invalid`, then to the label.
 */
export interface FieldRule {
  label: string;
  missing?: string;
  negative?: string;
  range?: string;
  format?: string;
  invalid?: string;
}

/** Rules by path pattern; `*` matches one list index ("stages.*.trafficBasisPoints"). */
export type FieldRules = Record<string, FieldRule>;

/** Human sentence per dotted path: what the form shows under each field. */
export type FieldMessages = Record<string, string>;

export function normalisePath(path: string): string {
  return path.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
}

/**
 * Checks `data` with `schema` (the server's own) and returns every problem, classified; empty
 * when it passes. The input is kept on each issue to tell "missing" from "not a number".
 */
export function schemaIssues(schema: z.ZodType, data: unknown): FieldIssue[] {
  const result = schema.safeParse(data, { reportInput: true });
  return result.success ? [] : zodIssues(result.error);
}

/** Zod's issues with their kinds (client-side validation). */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, kind: kindFromZod(i) }));
}

function kindFromZod(issue: z.core.$ZodIssue): ProblemKind {
  if (issue.code === "invalid_type") return issue.input === undefined || issue.input === null ? "missing" : "format";
  if (issue.code === "too_small") {
    const min = Number(issue.minimum);
    if ((issue.origin === "string" || issue.origin === "array" || issue.origin === "set") && min === 1) return "missing";
    if (min === 0 && (issue.origin === "number" || issue.origin === "int")) return "negative";
    return "range";
  }
  if (issue.code === "too_big") return "range";
  if (issue.code === "invalid_format" || issue.code === "invalid_value") return "format";
  return "other";
}

/** The kind of a problem, from its zod code or, for the server's messages, from their wording. */
export function classify(issue: FieldIssue): ProblemKind {
  if (issue.kind) return issue.kind;
  const m = issue.message;
  if (/required|received undefined|received null|>=\s*1 characters?|at least 1 (item|character|element)|must not be empty|cannot be empty|is empty/i.test(m)) return "missing";
  if (/got -\d|must be (≥|>=) ?0\b|>=\s*0\b|≥ 0|non-?negative|can't be negative|cannot be negative/i.test(m)) return "negative";
  if (/too (small|big)|from -?\d[\d.,]* to -?\d|between|must be (an integer )?(≤|≥|<|>|at most|at least)|[<>]=?\s*\d|≤|≥/i.test(m)) return "range";
  if (/invalid|format|pattern|must (be|start|match)/i.test(m)) return "format";
  return "other";
}

function ruleFor(path: string, rules: FieldRules): FieldRule | undefined {
  if (rules[path]) return rules[path];
  const segments = path.split(".");
  for (const [pattern, rule] of Object.entries(rules)) {
    const p = pattern.split(".");
    if (p.length === segments.length && p.every((seg, i) => seg === segments[i] || (seg === "*" && /^\d+$/.test(segments[i] ?? "")))) return rule;
  }
  return undefined;
}

/** For a field no rule names: a plain sentence by kind, naming the field as the API does. */
function generic(kind: ProblemKind, path: string): string | undefined {
  const name = path
    .split(".")
    .filter((s) => !/^\d+$/.test(s))
    .pop();
  if (!name) return undefined;
  if (kind === "missing") return `Enter ${name}.`;
  if (kind === "negative") return `${name} can't be negative.`;
  if (kind === "format") return `Check the format of ${name}.`;
  return undefined;
}

function fill(sentence: string, path: string): string {
  const index = /(?:^|\.)(\d+)(?:\.|$)/.exec(path)?.[1];
  return index === undefined ? sentence : sentence.replaceAll("{n}", String(Number(index) + 1));
}

/** The sentence for one problem. A message that already reads as a sentence is kept when no rule covers its kind. */
export function humanMessage(issue: FieldIssue, rules: FieldRules): string {
  const path = normalisePath(issue.path);
  const rule = ruleFor(path, rules);
  const kind = classify(issue);
  const chosen = rule && kind !== "other" ? (rule[kind] ?? rule.invalid) : rule?.invalid;
  if (chosen) return fill(chosen, path);
  // Domain messages such as "Stage 3 serves 10% of traffic, less than stage 2…" already read well.
  const technical = /^(Too (small|big)|Invalid|Expected|Unrecognized)/.test(issue.message);
  if (/^[A-Z][^.]*\s/.test(issue.message) && !technical) return sentence(issue.message);
  if (rule) return `Check ${fill(rule.label, path).toLowerCase()}.`;
  return (technical ? generic(kind, path) : undefined) ?? sentence(issue.message);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Every problem as a sentence, keyed by dotted path; the first problem per path wins. */
export function humanFieldErrors(issues: readonly FieldIssue[] | undefined, rules: FieldRules): FieldMessages {
  const out: FieldMessages = {};
  for (const issue of issues ?? []) {
    const path = normalisePath(issue.path) || "_";
    out[path] ??= humanMessage(issue, rules);
  }
  return out;
}

/** Keyed by top-level field ("roles.0" → "roles"), for forms whose fields are flat; the first message wins. */
export function topLevel(messages: FieldMessages): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, message] of Object.entries(messages)) out[path.split(".")[0] || "_"] ??= message;
  return out;
}

/** The message for `path` or, failing that, the first one under it ("variants" → "variants.0.key"). */
export function messageAt(messages: FieldMessages, path: string): string | undefined {
  if (messages[path]) return messages[path];
  const nested = Object.keys(messages).find((p) => p.startsWith(`${path}.`));
  return nested ? messages[nested] : undefined;
}

/**
 * Moves focus to the first field marked invalid inside `root`, after the render that marks it.
 * Used when a submit is refused, so a keyboard or screen-reader user lands on what to fix.
 */
export function focusFirstInvalid(root: ParentNode | null | undefined): void {
  if (!root) return;
  requestAnimationFrame(() => {
    // A checkbox group marks its fieldset, not its boxes: its first box stands in.
    const field = root.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input:not(:disabled)');
    field?.focus();
  });
}

/* ---------- Each form's rules: what it calls its fields and what it says about them ---------- */

export const FLAG_RULES: FieldRules = {
  key: {
    label: "Key",
    missing: "Enter a key.",
    format: "Use lowercase letters, digits, '.', '_' and '-' in the key, starting with a letter or digit.",
    range: "The key can be at most 128 characters.",
  },
  kind: { label: "Kind", invalid: "Choose a kind." },
  description: { label: "Description", range: "The description can be at most 1,000 characters." },
  variants: { label: "Variants", missing: "Add at least one variant." },
  "variants.*.key": { label: "Variant {n} key", missing: "Enter a key for variant {n}.", format: "Variant {n} key: use lowercase letters, digits, '.', '_' and '-'." },
  defaultVariant: { label: "Default variant", missing: "Choose the default variant.", invalid: "The default variant must be one of the variants." },
  fallbackVariant: { label: "Fallback variant", missing: "Choose the fallback variant.", invalid: "The fallback variant must be one of the variants." },
  stickiness: { label: "Stickiness attribute", missing: "Enter the attribute that keeps a user in the same bucket." },
};

export const ROLLOUT_RULES: FieldRules = {
  flagKey: { label: "Flag", missing: "Choose a flag." },
  treatmentVariant: { label: "Treatment", missing: "Choose the treatment variant.", invalid: "The treatment must differ from the control variant." },
  stages: { label: "Stages", missing: "Add at least one stage." },
  "stages.*.trafficBasisPoints": {
    label: "Stage {n} traffic",
    missing: "Enter stage {n}'s traffic.",
    negative: "Traffic must be between 0% and 100% (stage {n}).",
    range: "Traffic must be between 0% and 100% (stage {n}).",
  },
  "stages.*.shadowSampleBasisPoints": {
    label: "Stage {n} shadow share",
    negative: "Shadow share must be between 0% and 100% (stage {n}).",
    range: "Shadow share must be between 0% and 100% (stage {n}).",
  },
  "stages.*.minBakeSeconds": { label: "Stage {n} bake time", negative: "Bake time can't be negative (stage {n}).", range: "Bake time must be a whole number of seconds up to 90 days (stage {n})." },
  "stages.*.minSamplesPerArm": { label: "Stage {n} minimum samples", negative: "Minimum samples can't be negative (stage {n}).", range: "Minimum samples per arm is too large (stage {n})." },
  "stages.*.gates": { label: "Stage {n} gates", invalid: "A gate of stage {n} needs fixing: open its gates." },
  requiredApprovals: { label: "Required approvals", range: "Required approvals must be from 1 to 5." },
  description: { label: "Description", range: "The description can be at most 2,000 characters." },
};

export const SLO_RULES: FieldRules = {
  name: { label: "Name", missing: "Enter a name.", range: "The name can be at most 100 characters." },
  flagKey: { label: "Flag", invalid: "Choose a flag of this environment, or the whole environment." },
  successRateTarget: {
    label: "Objective",
    missing: "Enter the objective as a success rate in %, e.g. 99.9.",
    negative: "The objective must be above 0% and below 100%.",
    range: "The objective must be above 0% and below 100%.",
    format: "Enter the objective as a number, e.g. 99.9.",
  },
  windowDays: { label: "Window", invalid: "The window is 7 or 28 days." },
  latencyP95MsMax: {
    label: "p95 latency ceiling",
    negative: "The p95 latency ceiling must be above 0 ms.",
    range: "The p95 latency ceiling must be above 0 ms.",
    format: "Enter the p95 latency ceiling in ms, or leave it blank.",
  },
  costPerRequestUsdMax: {
    label: "Cost per request ceiling",
    negative: "The cost per request ceiling must be above $0.",
    range: "The cost per request ceiling must be above $0.",
    format: "Enter the cost per request ceiling in US dollars, or leave it blank.",
  },
  "policies.*.variant": { label: "Variant to cut off in policy {n}", missing: "Choose the variant to cut off (policy {n}).", invalid: "Choose a variant of the flag to cut off (policy {n})." },
  "policies.*.actions": { label: "Actions of policy {n}", missing: "Choose at least one action (policy {n})." },
};

export const PRICE_RULES: FieldRules = {
  "prices.*.provider": {
    label: "Provider of row {n}",
    missing: "Enter the provider (row {n}).",
    format: "Provider names use letters, digits, '.', '_' and '-' (row {n}).",
    range: "The provider can be at most 64 characters (row {n}).",
  },
  "prices.*.model": {
    label: "Model of row {n}",
    missing: "Enter the model (row {n}).",
    format: "The model can't contain spaces (row {n}).",
    range: "The model can be at most 200 characters (row {n}).",
  },
  "prices.*.inputPerMillionUsd": {
    label: "Input price of row {n}",
    missing: "Enter the price per million input tokens (row {n}).",
    negative: "Price per million input tokens can't be negative (row {n}).",
    range: "Price per million input tokens can be at most $10,000 (row {n}).",
    format: "Enter the price per million input tokens as a number (row {n}).",
  },
  "prices.*.outputPerMillionUsd": {
    label: "Output price of row {n}",
    missing: "Enter the price per million output tokens (row {n}).",
    negative: "Price per million output tokens can't be negative (row {n}).",
    range: "Price per million output tokens can be at most $10,000 (row {n}).",
    format: "Enter the price per million output tokens as a number (row {n}).",
  },
  prices: { label: "Prices", range: "The table can hold at most 500 prices." },
};

export const WEBHOOK_RULES: FieldRules = {
  name: { label: "Name", missing: "Enter a name.", range: "The name is too long." },
  url: { label: "URL", missing: "Enter the URL to send events to.", format: "Enter an http:// or https:// URL.", invalid: "Enter an http:// or https:// URL that Rollgate may call." },
  secret: { label: "Signing secret", range: "The signing secret must be 16 to 256 characters." },
  events: { label: "Events", missing: "Choose at least one event." },
  environment: { label: "Environment", invalid: "Choose an environment, or all." },
};

export const API_KEY_RULES: FieldRules = {
  name: { label: "Name", missing: "Enter a name.", range: "The name is too long." },
  scopes: { label: "Scopes", missing: "Choose at least one scope." },
  rateLimitPerSecond: {
    label: "Rate limit",
    negative: "The rate limit must be at least 1 request per second.",
    range: "The rate limit must be a whole number of requests per second in range.",
    format: "The rate limit must be a whole number of requests per second.",
  },
  environment: { label: "Environment", invalid: "Choose an environment." },
};

export const USER_RULES: FieldRules = {
  email: { label: "Email", missing: "Enter an email address.", format: "Enter a valid email address.", invalid: "Enter a valid email address." },
  name: { label: "Name", missing: "Enter a name.", range: "The name can be at most 100 characters." },
  roles: { label: "Roles", missing: "Give the user at least one role.", range: "Give the user at least one role." },
  password: { label: "Initial password", missing: "Enter an initial password.", range: "The password must be at least 12 characters." },
};
