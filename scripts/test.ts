/**
 * `npm test`: every tier, in order, failing (never skipping) when one cannot run.
 *   1. lint (ESLint, Prettier's check, import boundaries; scripts/lint.ts)
 *   2. type check (tsc)   3. unit (Vitest, lib/)   4. integration (Vitest, real Postgres)
 *   5. end-to-end (Playwright, the built app in Chromium)
 *   6. fuzz (Vitest + fast-check, generated requests against every API route of the built app)
 * Pass tier names to run a subset: `npm test -- unit integration`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt, ensureGenerated, ensureSdkBuilt } from "./lib/build";
import { findings, lint } from "./lint";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (p: string) => path.join(root, "node_modules", p);
const TIERS = ["lint", "typecheck", "unit", "integration", "e2e", "fuzz"] as const;
type Tier = (typeof TIERS)[number];

const asked = process.argv.slice(2).filter((a) => (TIERS as readonly string[]).includes(a)) as Tier[];
const tiers = asked.length ? asked : [...TIERS];
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const counts = { passed: 0, failed: 0 };
const summary: string[] = [];

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

function vitest(project: "unit" | "integration" | "fuzz"): number {
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const out = path.join(root, `test-results/vitest-${project}.json`);
  const code = run(process.execPath, [bin("vitest/vitest.mjs"), "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8"));
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    summary.push(`${project}: ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numTotalTests} tests in ${r.numTotalTestSuites} suites)`);
    if (r.numTotalTests === 0) return 1;
  }
  return code;
}

function e2e(): number {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    console.error(`Chromium not found at ${chromium}: install it (apt-get install -y chromium) — end-to-end tests cannot be skipped.`);
    summary.push("e2e: could not run (no Chromium)");
    return 1;
  }
  const out = path.join(root, "test-results/playwright.json");
  const code = run(process.execPath, [bin("@playwright/test/cli.js"), "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, "utf8")).stats ?? {};
    const passed = (s.expected ?? 0) + (s.flaky ?? 0);
    const failed = (s.unexpected ?? 0) + (s.skipped ?? 0);
    counts.passed += passed;
    counts.failed += failed;
    summary.push(`e2e: ${passed} passed, ${failed} failed${s.skipped ? ` (${s.skipped} skipped count as failed)` : ""}`);
    if (passed === 0) return 1;
  } else summary.push("e2e: no report (Playwright did not run)");
  return code;
}

/** Installs Chromium / Prometheus when a chosen tier needs them and they are missing (as .ci/run does). */
function provisionTools(): number {
  const tools = [...(tiers.includes("e2e") ? ["chromium"] : []), ...(tiers.includes("integration") ? ["promtool"] : [])];
  return tools.length ? run("bash", [path.join(root, "scripts/provision-test-tools.sh"), ...tools]) : 0;
}

async function main() {
  if (provisionTools() !== 0) {
    console.error("The system tools the chosen tiers need are missing (see above): no tier was run.");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  ensureGenerated(root);
  ensureSdkBuilt(root);
  let failedTiers = 0;
  for (const tier of tiers) {
    console.log(`\n━━━ ${tier} ━━━`);
    let code: number;
    if (tier === "lint") {
      const started = Date.now();
      const r = await lint(root);
      const n = findings(r);
      code = n || r.broken.length ? 1 : 0;
      counts[code ? "failed" : "passed"]++;
      summary.push(
        `lint: ${code ? "failed" : "clean"} — ${r.eslint} ESLint, ${r.prettier} formatting, ${r.boundaries} boundary findings` +
          `${r.broken.length ? `; could not run: ${r.broken.join(", ")}` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } else if (tier === "typecheck") {
      code = run(process.execPath, [bin("typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"]);
      summary.push(`typecheck: ${code === 0 ? "clean" : "errors"}`);
    } else if (tier === "unit" || tier === "integration") {
      code = vitest(tier);
    } else if (tier === "fuzz") {
      await ensureBuilt(root);
      code = vitest("fuzz");
    } else {
      await ensureBuilt(root);
      code = e2e();
    }
    if (code !== 0) failedTiers++;
  }
  console.log(`\n━━━ summary ━━━\n${summary.join("\n")}`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(failedTiers ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
