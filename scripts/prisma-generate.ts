/**
 * `prisma generate` without network access. The Prisma 7 CLI insists on locating its native
 * schema-engine binary for every command, although `generate` never executes it (the client is
 * built by the WASM query compiler). Pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file
 * satisfies that check; a real engine, when present, is left alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");

const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath; // any existing file; never executed by generate
}

const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [prismaCli, ...(args.length ? args : ["generate"])], {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);
