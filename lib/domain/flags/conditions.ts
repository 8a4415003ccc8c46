import { compareSemver, parseSemver } from "./semver";
import type { Condition, ConditionPrimitive, EvaluationContext, TargetingRule } from "./types";

/**
 * Condition semantics. Every SDK must implement exactly these rules.
 *
 * - An attribute is **missing** when the context has no such key or its value is `null`/`undefined`.
 *   A missing attribute matches only `exists` with value `false`, `neq` and `not_in`.
 * - `neq` is exactly `not eq`, `not_in` exactly `not in` (so both match a missing attribute or a
 *   value of another type).
 * - A **malformed condition** (a value of the wrong type for its operator, an unknown operator)
 *   matches nothing, negative operators included. The schema rejects such conditions on write;
 *   the engine still never throws on them.
 * - `eq`: JSON primitives (string, number, boolean) compare strictly (`"true"` ≠ `true`,
 *   `"A"` ≠ `"a"`), except that a number on one side and a **numeric string** on the other compare
 *   as numbers (`"42"` = `42`, `"42.0"` = `42`). A numeric string matches `^-?\d+(\.\d+)?$`
 *   (no spaces, exponents, `+` or hex). Objects and arrays never equal anything.
 * - `in`: the attribute `eq`-matches at least one element of the value array.
 * - `contains`: a string attribute contains the value as a substring, or an array attribute has
 *   an element strictly equal to the value (string). `starts_with`/`ends_with`: string attributes only.
 *   All string operators are case-sensitive and compare UTF-16 code units (no normalization).
 * - `lt`/`lte`/`gt`/`gte`: the attribute is a finite number or a numeric string; the value a finite number.
 * - `semver_gt`/`semver_lt`: the attribute and the value are strict SemVer 2.0.0 strings
 *   (`1.2.3`, `2.0.0-rc.1`); a prerelease is lower than its release; build metadata is ignored.
 *   An attribute that is not valid SemVer (e.g. `v1.2.3`, `1.2`) does not match.
 * - `exists`: no value or `true` → the attribute is present; `false` → it is missing.
 */

const NUMERIC_STRING = /^-?\d+(\.\d+)?$/;

const isPrimitive = (v: unknown): v is ConditionPrimitive => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

const isMissing = (v: unknown): v is null | undefined => v === null || v === undefined;

/** A finite number, or the number a numeric string spells; otherwise null. */
function asNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && NUMERIC_STRING.test(v)) return Number(v);
  return null;
}

/** `eq` on two values; see the module comment for the numeric-string rule. */
function primitiveEquals(attribute: unknown, value: ConditionPrimitive): boolean {
  if (!isPrimitive(attribute)) return false;
  if (typeof attribute === typeof value) return attribute === value;
  const mixesNumberAndString = (typeof attribute === "number" && typeof value === "string") || (typeof attribute === "string" && typeof value === "number");
  if (!mixesNumberAndString) return false;
  const a = asNumber(attribute);
  const b = asNumber(value);
  return a !== null && b !== null && a === b;
}

const isPrimitiveArray = (v: unknown): v is ConditionPrimitive[] => Array.isArray(v) && v.length > 0 && v.every(isPrimitive);

function compareNumbers(attribute: unknown, value: unknown, test: (a: number, b: number) => boolean): boolean {
  const a = asNumber(attribute);
  return a !== null && typeof value === "number" && Number.isFinite(value) && test(a, value);
}

function compareVersions(attribute: unknown, value: unknown, wanted: -1 | 1): boolean {
  if (typeof attribute !== "string" || typeof value !== "string") return false;
  const a = parseSemver(attribute);
  const b = parseSemver(value);
  return a !== null && b !== null && compareSemver(a, b) === wanted;
}

/** Own properties only, so `constructor` or `__proto__` never read the prototype chain. */
export const readAttribute = (context: EvaluationContext, name: string): unknown => (Object.hasOwn(context, name) ? context[name] : undefined);

/** Whether one condition holds for `context`. Never throws. */
export function matchesCondition(condition: Condition, context: EvaluationContext): boolean {
  const attribute = readAttribute(context, condition.attribute);
  const value: unknown = condition.value;

  switch (condition.operator) {
    case "eq":
      return isPrimitive(value) && primitiveEquals(attribute, value);
    case "neq":
      return isPrimitive(value) && !primitiveEquals(attribute, value);
    case "in":
      return isPrimitiveArray(value) && value.some((v) => primitiveEquals(attribute, v));
    case "not_in":
      return isPrimitiveArray(value) && !value.some((v) => primitiveEquals(attribute, v));
    case "contains":
      if (typeof value !== "string") return false;
      if (typeof attribute === "string") return attribute.includes(value);
      return Array.isArray(attribute) && attribute.some((element) => element === value);
    case "starts_with":
      return typeof value === "string" && typeof attribute === "string" && attribute.startsWith(value);
    case "ends_with":
      return typeof value === "string" && typeof attribute === "string" && attribute.endsWith(value);
    case "lt":
      return compareNumbers(attribute, value, (a, b) => a < b);
    case "lte":
      return compareNumbers(attribute, value, (a, b) => a <= b);
    case "gt":
      return compareNumbers(attribute, value, (a, b) => a > b);
    case "gte":
      return compareNumbers(attribute, value, (a, b) => a >= b);
    case "semver_gt":
      return compareVersions(attribute, value, 1);
    case "semver_lt":
      return compareVersions(attribute, value, -1);
    case "exists":
      if (value === undefined || value === true) return !isMissing(attribute);
      if (value === false) return isMissing(attribute);
      return false;
    default:
      return false;
  }
}

/** Conditions are ANDed; a rule with no conditions matches every context. */
export function matchesRule(rule: TargetingRule, context: EvaluationContext): boolean {
  return rule.conditions.every((condition) => matchesCondition(condition, context));
}
