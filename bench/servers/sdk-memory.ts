/**
 * Benchmark child (run with --expose-gc): the heap an @rollgate/sdk provider holds once it has
 * loaded an environment's snapshot. Prints one JSON line: heap before, after, and their difference.
 * Env: ROLLGATE_URL, ROLLGATE_API_KEY.
 */
import { RollgateProvider } from "@rollgate/sdk";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
};

// Load the module's code first, so only the provider's state is measured.
const warm = new RollgateProvider({ baseUrl: "http://127.0.0.1:9", apiKey: "x", flushIntervalMs: 0 });
void warm;
const before = await settle();
const provider = new RollgateProvider({ baseUrl: process.env.ROLLGATE_URL!, apiKey: process.env.ROLLGATE_API_KEY!, flushIntervalMs: 0 });
await provider.initialize();
const flags = provider.evaluate("mem.0000", { targetingKey: "u" }) ? "loaded" : "missing";
const after = await settle();
console.log(JSON.stringify({ before, after, retainedBytes: after - before, flags, version: provider.stats().version }));
await provider.close();
process.exit(0);
