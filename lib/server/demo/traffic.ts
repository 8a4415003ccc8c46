/**
 * Live demo traffic: the simulator (lib/simulator) driving each demo feature through the public
 * API of this very instance, so a fresh start shows canaries that move, charts that fill and an
 * automatic rollback. Runs only where the demo seed stored its simulator keys, unless
 * ROLLGATE_DEMO_TRAFFIC=0.
 */
import "server-only";
import { runSimulation } from "../../simulator/run";
import { db } from "../db";
import { DEMO_FEATURES } from "./scenario";

export const DEMO_TRAFFIC_SETTING = "demo.traffic";

export interface DemoTrafficKeys {
  evaluateKey: string;
  ingestKey: string;
}

export async function startDemoTraffic(baseUrl: string): Promise<{ name: string; stop(): Promise<void> } | null> {
  const setting = await db.setting.findUnique({ where: { key: DEMO_TRAFFIC_SETTING } });
  if (!setting) return null;
  const keys = setting.value as unknown as DemoTrafficKeys;
  const controller = new AbortController();
  const runs = DEMO_FEATURES.map((feature, i) =>
    runSimulation(
      {
        url: baseUrl,
        evaluateKey: keys.evaluateKey,
        ingestKey: keys.ingestKey,
        flag: feature.flag.key,
        rps: feature.traffic.rps,
        durationSeconds: 0,
        seed: 1000 + i,
        concurrency: 4,
        log: (line) => console.warn(`[demo traffic ${feature.flag.key}] ${line}`),
        ...feature.traffic.regression,
      },
      controller.signal,
    ).catch((error) => console.warn(`[demo traffic ${feature.flag.key}] stopped: ${(error as Error).message}`)),
  );
  return {
    name: "demo-traffic",
    async stop() {
      controller.abort();
      await Promise.all(runs);
    },
  };
}
