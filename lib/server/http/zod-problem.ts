import "server-only";
import type { z } from "zod";
import { DomainError } from "../../domain/errors";
import { textIssues } from "../../schemas/hygiene";

export interface FieldError {
  path: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** A zod failure as a domain error whose details list every field problem. */
export function zodProblem(error: z.ZodError, where: string): DomainError {
  const errors = fieldErrors(error);
  const first = errors[0];
  const summary = first ? `${first.path || where}: ${first.message}` : "invalid input";
  return new DomainError("invalid_input", `Invalid ${where}: ${summary}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, {
    errors,
  });
}

/** Input hygiene (lib/schemas/hygiene.ts) before any schema: text Postgres cannot store is a 400 naming the field. */
export function assertStorableText(value: unknown, where: string): void {
  const errors = textIssues(value);
  if (errors.length === 0) return;
  const first = errors[0];
  throw new DomainError("invalid_input", `Invalid ${where}: ${first.path || where}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, {
    errors,
  });
}
