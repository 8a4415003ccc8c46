/** A benchmark server in its own process (bench/servers/*), driven over IPC. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, "..");
const root = path.resolve(benchDir, "..");

export interface Child {
  process: ChildProcess;
  url: string;
  request<T>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** `nodeFlags`: extra flags for the child's node, e.g. `--expose-gc` (the soak's memory figures are taken after a full GC). */
export async function startChild(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Child> {
  const child = fork(path.join(benchDir, "servers", script), [], {
    cwd: root,
    env: { ...process.env, ...env },
    // BENCH_PROFILE=1 writes a V8 CPU profile of each server to bench/results/profiles/.
    execArgv: ["--import", "tsx", ...nodeFlags, ...(process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${path.join(root, "bench/results/profiles")}`] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const pending = new Map<number, (m: unknown) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on("message", (m: { type: string; url?: string; id?: number }) => {
      if (m.type === "ready") resolve(m.url!);
      else if (m.id !== undefined) pending.get(m.id)?.(m);
    });
  });
  child.removeAllListeners("exit");
  return {
    process: child,
    url,
    request<T>(message: Record<string, unknown>) {
      const id = nextId++;
      return new Promise<T>((resolve) => {
        pending.set(id, (m) => resolve(m as T));
        child.send({ ...message, id });
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
