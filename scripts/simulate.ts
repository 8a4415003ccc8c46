/**
 * npm run simulate -- --url http://127.0.0.1:3000 --evaluate-key rg_… --ingest-key rg_… --flag support-bot.model
 *   [--rps 20] [--duration 60] [--users 5000] [--seed 42]
 *   [--error-rate-treatment 0.1] [--latency-shift-ms 300] [--quality-drop 0.2] [--cost-increase 0.5]
 *
 * Drives Rollgate's public API like a production service: evaluate the flag per simulated
 * request, then report outcomes in batches. --duration 0 runs until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { runSimulation } from "../lib/simulator/run";

const USAGE = `Usage: npm run simulate -- --url <base url> --evaluate-key <key> --ingest-key <key> --flag <flag key>
  [--rps 20] [--duration 60 (0 = until Ctrl-C)] [--users 5000] [--seed <int>] [--concurrency 16]
  [--error-rate-treatment 0.1] [--latency-shift-ms 300] [--quality-drop 0.2] [--cost-increase 0.5]
Keys: an API key of scope "evaluate" and one of scope "ingest", both of the flag's environment
(Settings → API keys). The env vars ROLLGATE_URL, ROLLGATE_EVALUATE_KEY, ROLLGATE_INGEST_KEY work too.`;

function num(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got "${value}"`);
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      "evaluate-key": { type: "string" },
      "ingest-key": { type: "string" },
      flag: { type: "string" },
      environment: { type: "string" },
      rps: { type: "string" },
      duration: { type: "string" },
      users: { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      "error-rate-treatment": { type: "string" },
      "latency-shift-ms": { type: "string" },
      "quality-drop": { type: "string" },
      "cost-increase": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const url = values.url ?? process.env.ROLLGATE_URL ?? "http://127.0.0.1:3000";
  const evaluateKey = values["evaluate-key"] ?? process.env.ROLLGATE_EVALUATE_KEY;
  const ingestKey = values["ingest-key"] ?? process.env.ROLLGATE_INGEST_KEY;
  if (values.help || !evaluateKey || !ingestKey || !values.flag) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const errorRate = num("error-rate-treatment", values["error-rate-treatment"]);
  if (errorRate !== undefined && errorRate > 1) throw new Error("--error-rate-treatment is a fraction between 0 and 1 (0.1 = 10%)");

  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.log("\nstopping: flushing the last events…");
    controller.abort();
  });
  const rps = num("rps", values.rps, 20) as number;
  const duration = num("duration", values.duration, 60) as number;
  console.log(`simulating ${values.flag}${values.environment ? ` in ${values.environment}` : ""} at ${rps} req/s for ${duration ? `${duration} s` : "ever (Ctrl-C stops)"} against ${url}`);
  const report = await runSimulation(
    {
      url,
      evaluateKey,
      ingestKey,
      flag: values.flag,
      rps,
      durationSeconds: duration,
      users: num("users", values.users),
      seed: num("seed", values.seed),
      concurrency: num("concurrency", values.concurrency),
      errorRateTreatment: errorRate,
      latencyShiftMs: num("latency-shift-ms", values["latency-shift-ms"]),
      qualityDrop: num("quality-drop", values["quality-drop"]),
      costIncrease: num("cost-increase", values["cost-increase"]),
      log: (line) => console.log(line),
    },
    controller.signal,
  );
  console.table({
    requests: report.requests,
    "evaluate errors": report.evaluateErrors,
    control: report.byArm.control,
    treatment: report.byArm.treatment,
    "no rollout": report.byArm.none,
    "shadow pairs": report.shadowPairs,
    "events sent": report.events.sent,
    "events accepted": report.events.accepted,
    duplicates: report.events.duplicates,
    rejected: report.events.rejected,
    seconds: Math.round(report.durationMs / 100) / 10,
  });
  if (report.sampleRejections.length) console.log("first rejections:", JSON.stringify(report.sampleRejections, null, 2));
  if (report.evaluateErrors === report.requests && report.requests > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
