import { chiSquareSurvival } from "./distributions";
import { invalid, requireNonNegative } from "./validate";

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Pearson chi-square test of independence on an r×c table of counts
 * (R: `chisq.test(matrix, correct = yates)`).
 *
 * Rows and columns whose total is 0 carry no information and are dropped before the test
 * (R would return NaN); `dof` is computed on what is left. Yates' continuity correction is
 * applied only when `yates` is true and the remaining table is 2×2, exactly as R does it:
 * each |observed − expected| is reduced by min(0.5, |observed − expected|).
 *
 * No information: an empty table, or fewer than two non-empty rows or columns, gives
 * statistic 0, pValue 1, dof 0.
 *
 * @throws DomainError("invalid_input") for a ragged table or a negative/non-finite count.
 */
export function chiSquareTest(table: number[][], options: { yates?: boolean } = {}): ChiSquareResult {
  const columns = table[0]?.length ?? 0;
  table.forEach((row, i) => {
    if (row.length !== columns) invalid("every row of the table must have the same length", { row: i });
    row.forEach((count, j) => requireNonNegative(`table[${i}][${j}]`, count));
  });

  const rowTotals = table.map((row) => row.reduce((sum, x) => sum + x, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) => table.reduce((sum, row) => sum + row[j], 0));
  const rows = table.filter((_, i) => rowTotals[i] > 0);
  const keptColumns = columnTotals.flatMap((total, j) => (total > 0 ? [j] : []));
  const r = rows.length;
  const c = keptColumns.length;
  if (r < 2 || c < 2) return { statistic: 0, pValue: 1, dof: 0 };

  const keptRowTotals = rowTotals.filter((total) => total > 0);
  const grandTotal = keptRowTotals.reduce((sum, x) => sum + x, 0);
  const yates = options.yates === true && r === 2 && c === 2;
  let statistic = 0;
  rows.forEach((row, i) => {
    keptColumns.forEach((j) => {
      const expected = (keptRowTotals[i] * columnTotals[j]) / grandTotal;
      const deviation = Math.abs(row[j] - expected);
      const corrected = yates ? deviation - Math.min(0.5, deviation) : deviation;
      statistic += (corrected * corrected) / expected;
    });
  });
  const dof = (r - 1) * (c - 1);
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

export interface McNemarInput {
  /** Discordant pairs where only arm A failed (A failed, B succeeded). */
  onlyAFailed: number;
  /** Discordant pairs where only arm B failed (A succeeded, B failed). */
  onlyBFailed: number;
  /** Continuity correction (|b − c| − 1)²; on by default, as in R. */
  continuity?: boolean;
}

/**
 * McNemar's test for paired success/failure (shadow pairs), on the discordant counts only
 * (R: `mcnemar.test(matrix(c(n11, onlyBFailed, onlyAFailed, n22), 2), correct = continuity)`).
 * Statistic (|b − c| − 1)² / (b + c) with the correction (floored at 0, as R skips the
 * correction when b = c), (b − c)² / (b + c) without; chi-square with 1 dof.
 *
 * No information: no discordant pairs → statistic 0, pValue 1.
 *
 * @throws DomainError("invalid_input") for negative or non-finite counts.
 */
export function mcnemarTest(input: McNemarInput): { statistic: number; pValue: number } {
  const { onlyAFailed: b, onlyBFailed: c, continuity = true } = input;
  requireNonNegative("onlyAFailed", b);
  requireNonNegative("onlyBFailed", c);
  if (b + c === 0) return { statistic: 0, pValue: 1 };
  const deviation = continuity ? Math.max(0, Math.abs(b - c) - 1) : Math.abs(b - c);
  const statistic = (deviation * deviation) / (b + c);
  return { statistic, pValue: chiSquareSurvival(statistic, 1) };
}
