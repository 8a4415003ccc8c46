/**
 * Builds the Next.js app only when its inputs changed since the last build, so `npm start`
 * is fast after the first run and never serves a stale build.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = ["app", "components", "lib", "public", "next.config.js", "package-lock.json", "prisma/schema.prisma", "tsconfig.json"];
const SKIP = new Set(["node_modules", ".next", "generated", ".data"]);

function hashInputs(root: string): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!SKIP.has(name) && !name.endsWith(".test.ts")) walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p)).update(readFileSync(p));
    }
  };
  for (const i of INPUTS) walk(path.join(root, i));
  return hash.digest("hex");
}

function run(root: string, cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
}

export function ensureGenerated(root: string): void {
  const marker = path.join(root, "lib/server/generated/prisma/.schema-hash");
  const schemaHash = createHash("sha256")
    .update(readFileSync(path.join(root, "prisma/schema.prisma")))
    .digest("hex");
  if (existsSync(marker) && readFileSync(marker, "utf8") === schemaHash) return;
  run(root, process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/prisma-generate.ts"]);
  writeFileSync(marker, schemaHash);
}

/**
 * Bundles @rollgate/sdk (packages/sdk/dist), which the SDK tests import by package name. npm runs
 * the package's `prepare` on install, but a checkout whose install predates the package, or that
 * changed lib/domain/flags since, would test a stale or missing bundle; esbuild takes a second.
 */
export function ensureSdkBuilt(root: string): void {
  run(root, process.execPath, [path.join(root, "packages/sdk/build.mjs")]);
}

export async function ensureBuilt(root: string): Promise<void> {
  ensureGenerated(root);
  const marker = path.join(root, ".next/rollgate-build-hash");
  if (existsSync(path.join(root, ".next/BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === hashInputs(root)) return;
  console.log("• Building the app (first start or sources changed; takes a minute or two)…");
  run(root, process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"]);
  // Hash again: the build itself may normalise inputs (Next rewrites tsconfig.json).
  writeFileSync(marker, hashInputs(root));
}
