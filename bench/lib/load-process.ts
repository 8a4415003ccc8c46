/** Parent side of bench/lib/load-worker.ts: one long-lived generator process, jobs over IPC. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadFigures, PacedJob, PeakJob } from "./load-worker";
import type { PacedResult } from "./paced-load";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface LoadProcess {
  peak(job: Omit<PeakJob, "kind">): Promise<LoadFigures>;
  paced(job: Omit<PacedJob, "kind">): Promise<PacedResult>;
  stop(): void;
}

export async function startLoadProcess(): Promise<LoadProcess> {
  const child: ChildProcess = fork(path.join(here, "load-worker.ts"), [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
    child.on("message", (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) return resolve();
      const p = m.id !== undefined ? pending.get(m.id) : undefined;
      if (!p) return;
      pending.delete(m.id!);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
  });
  child.removeAllListeners("exit");
  const send = <T>(job: PeakJob | PacedJob) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, job });
    });
  return {
    peak: (job) => send<LoadFigures>({ kind: "peak", ...job }),
    paced: (job) => send<PacedResult>({ kind: "paced", ...job }),
    stop: () => void child.kill(),
  };
}
