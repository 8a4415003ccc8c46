/**
 * Runs axe-core on the current page (or an open dialog) with the WCAG 2.0/2.1/2.2 A and AA rules
 * and collects what it finds, so that one run lists every violation before the spec fails.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

export interface Finding {
  where: string;
  id: string;
  impact: string;
  targets: string[];
  help: string;
}

export class AxeScan {
  readonly findings: Finding[] = [];
  readonly scanned: string[] = [];

  constructor(private readonly page: Page) {}

  /** Scans the page; `include` narrows the scan (e.g. to an open dialog). */
  async check(where: string, include?: string): Promise<void> {
    let builder = new AxeBuilder({ page: this.page }).withTags(WCAG_TAGS);
    if (include) builder = builder.include(include);
    const result = await builder.analyze();
    this.scanned.push(where);
    for (const v of result.violations) {
      this.findings.push({ where, id: v.id, impact: v.impact ?? "unknown", targets: v.nodes.map((n) => n.target.join(" ")), help: v.help });
    }
    // One line per scan, so a run that stops early still says what it found.
    console.log(`axe ${where}: ${result.violations.map((v) => `${v.impact}:${v.id}×${v.nodes.length} [${v.nodes.map((n) => n.target.join(" ")).join(", ")}]`).join(" ") || "none"}`);
  }

  /** The serious and critical findings, one line each, for the failure message. */
  blocking(): string[] {
    return this.findings.filter((f) => f.impact === "serious" || f.impact === "critical").map((f) => `${f.where}: [${f.impact}] ${f.id} (${f.help}) at ${f.targets.join(", ")}`);
  }

  /** Counts by impact and by rule id, printed with the run's output. */
  summary(): string {
    const byImpact: Record<string, number> = {};
    const byRule: Record<string, number> = {};
    for (const f of this.findings) {
      byImpact[f.impact] = (byImpact[f.impact] ?? 0) + f.targets.length;
      byRule[`${f.impact} ${f.id}`] = (byRule[`${f.impact} ${f.id}`] ?? 0) + f.targets.length;
    }
    return `axe: ${this.scanned.length} scans; nodes by impact ${JSON.stringify(byImpact)}; by rule ${JSON.stringify(byRule)}`;
  }
}
