import { invalid } from "./validate";

function requirePValues(pValues: number[]): void {
  pValues.forEach((p, i) => {
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) invalid("p-values must be between 0 and 1", { index: i, value: p });
  });
}

/** Indexes of `values` sorted ascending; ties keep input order (stable, like R's order()). */
function ascendingOrder(values: number[]): number[] {
  return values.map((_, i) => i).sort((i, j) => values[i] - values[j] || i - j);
}

/**
 * Holm's step-down adjustment, controlling the family-wise error rate
 * (R: `p.adjust(p, method = "holm")`). With p sorted ascending, the i-th (1-based) of m gets
 * max over j ≤ i of (m − j + 1)·p(j), capped at 1. Returned in input order; [] → [].
 *
 * @throws DomainError("invalid_input") for a value outside [0, 1] (including NaN).
 */
export function holmAdjust(pValues: number[]): number[] {
  requirePValues(pValues);
  const m = pValues.length;
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  ascendingOrder(pValues).forEach((index, rank) => {
    runningMax = Math.max(runningMax, (m - rank) * pValues[index]);
    adjusted[index] = Math.min(1, runningMax);
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg step-up adjustment, controlling the false discovery rate
 * (R: `p.adjust(p, method = "BH")`). With p sorted ascending, the i-th of m gets
 * min over j ≥ i of m·p(j)/j, capped at 1. Returned in input order; [] → [].
 *
 * @throws DomainError("invalid_input") for a value outside [0, 1] (including NaN).
 */
export function benjaminiHochbergAdjust(pValues: number[]): number[] {
  requirePValues(pValues);
  const m = pValues.length;
  const adjusted = new Array<number>(m);
  const order = ascendingOrder(pValues);
  let runningMin = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank];
    // (m / i)·p, in R's order of operations, so results agree to the last bit.
    runningMin = Math.min(runningMin, (m / (rank + 1)) * pValues[index]);
    adjusted[index] = runningMin;
  }
  return adjusted;
}
