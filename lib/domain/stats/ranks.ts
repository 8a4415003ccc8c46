import { normalTwoSidedP } from "./distributions";
import { histogramEntries, type LatencyHistogram } from "./histogram";
import { invalid, requireFinite } from "./validate";

export interface MannWhitneyResult {
  /** U statistic of b: (sum of the ranks of b) − nB(nB + 1)/2. U > nA·nB/2 means b tends larger. */
  u: number;
  /** Continuity-corrected, tie-corrected normal score. */
  z: number;
  pValue: number;
}

/** Counts of A and B observations sharing one value (a tie group), in ascending value order. */
interface TieGroup {
  a: number;
  b: number;
}

const NO_INFORMATION: MannWhitneyResult = { u: 0, z: 0, pValue: 1 };

/**
 * Mann–Whitney U from tie groups: mid-ranks, tie-corrected variance
 * nA·nB/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))), continuity correction 0.5 toward the mean.
 */
function mannWhitneyFromGroups(groups: TieGroup[]): MannWhitneyResult {
  let nA = 0;
  let nB = 0;
  let rankSumB = 0;
  let tieTerm = 0;
  for (const { a, b } of groups) {
    const t = a + b;
    const before = nA + nB;
    rankSumB += b * (before + (t + 1) / 2);
    tieTerm += t * t * t - t;
    nA += a;
    nB += b;
  }
  if (nA === 0 || nB === 0) return NO_INFORMATION;
  const n = nA + nB;
  const u = rankSumB - (nB * (nB + 1)) / 2;
  const variance = ((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const deviation = u - (nA * nB) / 2;
  const z = (deviation - Math.sign(deviation) * 0.5) / Math.sqrt(variance);
  return { u, z, pValue: normalTwoSidedP(z) };
}

/**
 * Mann–Whitney U (Wilcoxon rank-sum) test of b against a, normal approximation with tie
 * correction and continuity correction (R: `wilcox.test(b, a, exact = FALSE, correct = TRUE)`,
 * whose W equals `u` here).
 *
 * No information: an empty sample → u 0, z 0, pValue 1; all values tied → z 0, pValue 1.
 *
 * @throws DomainError("invalid_input") for non-finite values.
 */
export function mannWhitneyU(a: number[], b: number[]): MannWhitneyResult {
  a.forEach((x, i) => requireFinite(`a[${i}]`, x));
  b.forEach((x, i) => requireFinite(`b[${i}]`, x));
  const labelled = [...a.map((value) => ({ value, fromB: false })), ...b.map((value) => ({ value, fromB: true }))];
  labelled.sort((x, y) => x.value - y.value);
  const groups: TieGroup[] = [];
  labelled.forEach(({ value, fromB }, i) => {
    if (i === 0 || value !== labelled[i - 1].value) groups.push({ a: 0, b: 0 });
    const group = groups[groups.length - 1];
    if (fromB) group.b += 1;
    else group.a += 1;
  });
  return mannWhitneyFromGroups(groups);
}

/**
 * The same test computed directly from two latency histograms: every observation in a bucket
 * is treated as tied with the others in that bucket, so the result equals mannWhitneyU on the
 * expanded bucket values, at a cost proportional to the number of buckets.
 */
export function mannWhitneyUHistograms(histA: LatencyHistogram, histB: LatencyHistogram): MannWhitneyResult {
  const byIndex = new Map<number, TieGroup>();
  for (const [index, count] of histogramEntries(histA)) byIndex.set(index, { a: count, b: 0 });
  for (const [index, count] of histogramEntries(histB)) {
    byIndex.set(index, { a: byIndex.get(index)?.a ?? 0, b: count });
  }
  const groups = [...byIndex.entries()].sort((x, y) => x[0] - y[0]).map(([, group]) => group);
  return mannWhitneyFromGroups(groups);
}

export interface SignedRankResult {
  /** V: the sum of the ranks of |b − a| over pairs where b > a. */
  statistic: number;
  z: number;
  pValue: number;
}

/**
 * Wilcoxon signed-rank test on paired differences b − a (shadow pairs). Zero differences are
 * dropped; mid-ranks for tied |differences|; normal approximation with tie-corrected variance
 * n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48 and no continuity correction
 * (R: `wilcox.test(b, a, paired = TRUE, exact = FALSE, correct = FALSE)`).
 *
 * No information: no pairs, or every difference 0 → statistic 0, z 0, pValue 1.
 *
 * @throws DomainError("invalid_input") when a and b differ in length or hold non-finite values.
 */
export function wilcoxonSignedRank(a: number[], b: number[]): SignedRankResult {
  if (a.length !== b.length) invalid("paired samples must have the same length", { a: a.length, b: b.length });
  a.forEach((x, i) => requireFinite(`a[${i}]`, x));
  b.forEach((x, i) => requireFinite(`b[${i}]`, x));
  const differences = b.map((x, i) => x - a[i]).filter((d) => d !== 0);
  const n = differences.length;
  if (n === 0) return { statistic: 0, z: 0, pValue: 1 };

  const sorted = differences.map((d) => ({ size: Math.abs(d), positive: d > 0 })).sort((x, y) => x.size - y.size);
  let statistic = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && sorted[end + 1].size === sorted[start].size) end++;
    const t = end - start + 1;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (sorted[i].positive) statistic += midRank;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (!(variance > 0)) return { statistic, z: 0, pValue: 1 };
  const z = (statistic - (n * (n + 1)) / 4) / Math.sqrt(variance);
  return { statistic, z, pValue: normalTwoSidedP(z) };
}
