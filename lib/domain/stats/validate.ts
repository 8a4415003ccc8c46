import { DomainError } from "../errors";

/**
 * Input checks shared by the tests in this folder. They throw DomainError("invalid_input")
 * with the offending field in `details`, so an API can show which number was wrong.
 */

export function invalid(message: string, details?: Record<string, unknown>): never {
  throw new DomainError("invalid_input", message, details);
}

/** A finite number ≥ 0 (counts, totals, variances, sample sizes). */
export function requireNonNegative(field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    invalid(`${field} must be a finite number ≥ 0`, { field, value });
  }
}

/** A finite number (means, differences). */
export function requireFinite(field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    invalid(`${field} must be a finite number`, { field, value });
  }
}

/** A probability strictly between 0 and 1 (confidence levels, α, power). */
export function requireOpenUnit(field: string, value: number): void {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    invalid(`${field} must be strictly between 0 and 1`, { field, value });
  }
}

/** successes ≤ total, both non-negative. */
export function requireCount(successesField: string, successes: number, totalField: string, total: number): void {
  requireNonNegative(successesField, successes);
  requireNonNegative(totalField, total);
  if (successes > total) {
    invalid(`${successesField} cannot exceed ${totalField}`, { [successesField]: successes, [totalField]: total });
  }
}
