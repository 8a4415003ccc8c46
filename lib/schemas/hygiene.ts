/**
 * Input hygiene, the one check every request input passes before its schema: text Postgres
 * cannot store (NUL characters) or that is not valid Unicode (unpaired UTF-16 surrogates) is
 * refused with the path of the field that carries it, in values and in object keys alike.
 * Numbers are bounded by each schema (see `int32` below), since only the schema knows the column.
 */
import { z } from "zod";

export interface TextIssue {
  path: string;
  message: string;
}

/** Largest value of a Postgres `integer` column. */
export const INT32_MAX = 2_147_483_647;

/** An integer that fits a Postgres `integer` column. */
export const int32 = () =>
  z
    .int()
    .min(-INT32_MAX - 1)
    .max(INT32_MAX);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(s)) return "must not contain unpaired UTF-16 surrogates";
  return null;
}

/** Every string (value or key) in `value` that cannot be stored, with its dotted path. */
export function textIssues(value: unknown, path: (string | number)[] = [], out: TextIssue[] = [], depth = 0): TextIssue[] {
  if (out.length >= 20 || depth > 64) return out;
  const at = (p: (string | number)[]) => p.map(String).join(".");
  if (typeof value === "string") {
    const problem = textProblem(value);
    if (problem) out.push({ path: at(path), message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => textIssues(v, [...path, i], out, depth + 1));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k);
      // The key itself cannot be named faithfully; its position is shown with a placeholder.
      if (keyProblem) out.push({ path: at([...path, "<key>"]), message: `field name ${keyProblem}` });
      else textIssues(v, [...path, k], out, depth + 1);
    }
  }
  return out;
}
