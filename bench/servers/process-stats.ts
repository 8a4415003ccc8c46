/**
 * What a benchmark server process reports about itself over IPC, between {type:"statsReset"} and
 * {type:"stats"}: event-loop delay (p50/p99/max), GC pauses, and the CPU time it used. A latency
 * tail with a matching event-loop stall or GC pause is the server's; one without is the load
 * generator's or the shared machine's. CPU time per request does not depend on how many other
 * processes share the cores (req/s does), so it compares servers even on a loaded machine.
 */
import { monitorEventLoopDelay, PerformanceObserver, constants } from "node:perf_hooks";

export interface ProcessStats {
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  gcCount: number;
  /** Mark-sweep-compact collections (the long ones). */
  gcMajor: number;
  gcTotalMs: number;
  gcMaxMs: number;
  cpuMs: number;
}

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

/** Starts recording this process's event-loop delay, GC pauses and CPU time; `read` reports since the last `reset`. */
export function recordProcessStats(): { reset(): void; read(): ProcessStats } {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const gc = { count: 0, major: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    }
  }).observe({ entryTypes: ["gc"] });
  let cpuSince = process.cpuUsage();
  return {
    reset() {
      loopDelay.reset();
      Object.assign(gc, { count: 0, major: 0, totalMs: 0, maxMs: 0 });
      cpuSince = process.cpuUsage();
    },
    read() {
      const cpu = process.cpuUsage(cpuSince);
      return {
        loopP50Ms: ms(loopDelay.percentile(50)),
        loopP99Ms: ms(loopDelay.percentile(99)),
        loopMaxMs: ms(loopDelay.max),
        gcCount: gc.count,
        gcMajor: gc.major,
        gcTotalMs: Math.round(gc.totalMs),
        gcMaxMs: Math.round(gc.maxMs * 10) / 10,
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      };
    },
  };
}

/** Answers {type:"statsReset"} and {type:"stats"} over IPC (benchmark server processes). */
export function answerStatsRequests(): void {
  const stats = recordProcessStats();
  process.on("message", (message: { type: string; id?: number }) => {
    if (message.type === "statsReset") {
      stats.reset();
      process.send!({ type: "statsReset", id: message.id });
    } else if (message.type === "stats") {
      process.send!({ type: "stats", id: message.id, ...stats.read() });
    }
  });
}
