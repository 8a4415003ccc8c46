/**
 * `npm run lint`, and the lint tier of `npm test`: ESLint (eslint.config.mjs), Prettier's check
 * (.prettierrc.json) and the import boundaries (.dependency-cruiser.cjs). All three always run, so
 * one report lists every finding; the exit code is 1 if any of them found something.
 * ESLint and Prettier keep their caches under node_modules/.cache, so a re-run checks changed files only.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

export interface LintResult {
  eslint: number;
  prettier: number;
  boundaries: number;
  /** Set when a checker could not run at all (a crash, not findings). */
  broken: string[];
}

function spawn(root: string, args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? 1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

async function eslint(root: string): Promise<number> {
  const linter = new ESLint({
    cwd: root,
    cache: true,
    cacheLocation: path.join(root, "node_modules/.cache/eslint/"),
    cacheStrategy: "content",
  });
  const results = await linter.lintFiles(["."]);
  const text = await (await linter.loadFormatter("stylish")).format(results);
  if (text) console.log(text);
  return results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
}

export async function lint(root: string): Promise<LintResult> {
  const bin = (p: string) => path.join(root, "node_modules", p);
  const result: LintResult = { eslint: 0, prettier: 0, boundaries: 0, broken: [] };

  console.log("• ESLint");
  try {
    result.eslint = await eslint(root);
  } catch (error) {
    console.error(error);
    result.broken.push("eslint");
  }

  console.log("• Prettier (formatting; `npm run format` fixes it)");
  const cacheLocation = path.join(root, "node_modules/.cache/prettier/.prettier-cache");
  const prettier = spawn(root, [bin("prettier/bin/prettier.cjs"), "--check", "--cache", "--cache-location", cacheLocation, "."]);
  process.stdout.write(prettier.out);
  result.prettier = prettier.out.split("\n").filter((l) => /^\[warn\] (?!Code style issues)/.test(l)).length;
  if (prettier.status !== 0 && result.prettier === 0) result.broken.push("prettier");

  console.log("• Import boundaries (dependency-cruiser)");
  const cruise = spawn(root, [bin("dependency-cruiser/bin/dependency-cruise.mjs"), "--config", ".dependency-cruiser.cjs", "--output-type", "err", "app", "components", "lib"]);
  process.stdout.write(cruise.out);
  result.boundaries = cruise.out.split("\n").filter((l) => /^\s*error /.test(l)).length;
  if (cruise.status !== 0 && result.boundaries === 0) result.broken.push("dependency-cruiser");

  console.log('• lib/server modules start with import "server-only"');
  const unmarked = withoutServerOnly(root);
  for (const file of unmarked) console.log(`  error ${file}: add import "server-only" (lib/server code must never reach a client bundle)`);
  if (unmarked.length === 0) console.log("✔ every lib/server module is marked");
  result.boundaries += unmarked.length;

  return result;
}

/** Non-test modules under lib/server without the marker (the generated Prisma client and the marker's own stand-in excepted). */
function withoutServerOnly(root: string): string[] {
  const exempt = new Set(["lib/server/runtime/server-only.ts"]);
  return readdirSync(path.join(root, "lib/server"), { recursive: true, encoding: "utf8" })
    .map((f) => `lib/server/${f.split(path.sep).join("/")}`)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("lib/server/generated/") && !exempt.has(f))
    .filter((f) => !/^import "server-only";$/m.test(readFileSync(path.join(root, f), "utf8")));
}

export function findings(r: LintResult): number {
  return r.eslint + r.prettier + r.boundaries;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  lint(root).then((r) => {
    console.log(`lint: ${r.eslint} ESLint, ${r.prettier} formatting, ${r.boundaries} boundary findings` + (r.broken.length ? `; could not run: ${r.broken.join(", ")}` : ""));
    process.exit(findings(r) || r.broken.length ? 1 : 0);
  });
}
