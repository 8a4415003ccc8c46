import type { z } from "zod";
import { DomainError } from "../../domain/errors";

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
