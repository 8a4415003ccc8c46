/** Small helpers for printing benchmark tables, summarising samples and writing results. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Prints rows as an aligned text table with a title. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => String(r[c]).length));
  const line = (cells: string[]) => `  ${cells.join("  ")}`;
  console.log(`\n${title}`);
  console.log(line(columns.map((c) => c.padEnd(width(c)))));
  console.log(line(columns.map((c) => "-".repeat(width(c)))));
  for (const r of rows) {
    console.log(line(columns.map((c) => (typeof r[c] === "number" ? String(r[c]).padStart(width(c)) : String(r[c]).padEnd(width(c))))));
  }
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface Verdict {
  figure: string;
  value: string;
  reference: string;
  target: string;
  met: boolean;
}

/** Prints each figure against its same-run reference and target with met/MISSED; returns the rows. */
export function verdictTable(verdicts: Verdict[]): Verdict[] {
  printTable(
    "Targets (value, its reference in this run, target)",
    verdicts.map((v) => ({ figure: v.figure, value: v.value, reference: v.reference, target: v.target, result: v.met ? "met" : "MISSED" })),
  );
  return verdicts;
}

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "results");

/** Writes `bench/results/<name>.json` (git ignores the folder) and says so. */
export function writeResults(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`\nwritten: bench/results/${name}.json`);
}
