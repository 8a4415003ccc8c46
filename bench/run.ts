/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (each
 * prints its own table). Not part of the test suite: timings depend on the machine.
 * `npm run bench -- evaluation` runs only the benches whose file name contains "evaluation".
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureGenerated } from "../scripts/lib/build";

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (benches.length === 0) {
  console.error(`No bench/*.bench.ts matches ${filters.join(", ") || "(all)"}.`);
  process.exit(1);
}

// A fresh clone has no generated Prisma client yet.
ensureGenerated(path.resolve(dir, ".."));

let failed = 0;
for (const file of benches) {
  console.log(`\n▶ ${file}`);
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: "inherit", env: process.env });
  if (run.status !== 0) {
    failed++;
    console.error(`✖ ${file} failed (exit ${run.status ?? run.signal})`);
  }
}
process.exit(failed ? 1 : 0);
