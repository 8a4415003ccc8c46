/**
 * Vitest globalSetup of the fuzz tier: the production build of the app (built if stale) on a
 * fresh database and a free port, with background workers off so that only the fuzzed requests
 * change the database, and a known admin. Teardown stops it and drops the database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBuilt } from "../../scripts/lib/build";
import { createFreshDatabase } from "../../scripts/lib/test-db";

declare module "vitest" {
  export interface ProvidedContext {
    fuzzBaseUrl: string;
    fuzzDatabaseUrl: string;
  }
}

export const FUZZ_ADMIN = { email: "fuzz-admin@rollgate.test", password: "fuzz-admin-password" } as const;
const root = path.resolve(import.meta.dirname, "../..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureBuilt(root);
  const fresh = await createFreshDatabase("rollgate_fuzz");
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: fresh.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      ROLLGATE_ADMIN_EMAIL: FUZZ_ADMIN.email,
      ROLLGATE_ADMIN_PASSWORD: FUZZ_ADMIN.password,
      ROLLGATE_DEMO: "0",
      ROLLGATE_DEMO_TRAFFIC: "0",
      ROLLGATE_DISABLE_WORKERS: "1",
      ROLLGATE_SIGNIN_MAX_FAILURES: "100000",
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await fresh.drop().catch(() => undefined);
  };
  try {
    await waitForHealth(url, child, 300_000);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide("fuzzBaseUrl", url);
  project.provide("fuzzDatabaseUrl", fresh.url);
  return stop;
}
