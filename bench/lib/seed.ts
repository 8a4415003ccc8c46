/**
 * Benchmark data: one environment with 20 flags of varied rules (targeting, splits, semver),
 * one of them under an active canary rollout (25%), one used for kill-switch trials, and an
 * evaluate-scope API key whose rate limit is far above what the load generator can send.
 */
import type { TargetingRule } from "@/lib/domain/flags";
import { createApiKey, createEnvironment, createFlag, createRunningRollout } from "@/tests/integration/evaluation/fixtures";

export const ROLLOUT_FLAG = "bench.rollout";
export const KILL_FLAG = "kill.target";
export const FLAG_COUNT = 20;

const rulesFor = (i: number): TargetingRule[] => {
  switch (i % 4) {
    case 0:
      return [{ conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "claude" } }];
    case 1:
      return [
        {
          conditions: [
            { attribute: "region", operator: "in", value: ["us", "ca"] },
            { attribute: "appVersion", operator: "semver_gt", value: "2.0.0" },
          ],
          serve: { variant: "claude" },
        },
        { conditions: [{ attribute: "orgId", operator: "starts_with", value: "beta-" }], serve: { variant: "safe" } },
      ];
    case 2:
      return [
        {
          conditions: [],
          serve: {
            split: [
              { variant: "gpt-4o", weight: 7000 },
              { variant: "claude", weight: 3000 },
            ],
          },
        },
      ];
    default:
      return [];
  }
};

export async function seedBenchmark(): Promise<{ environmentId: string; apiKey: string }> {
  const env = await createEnvironment("bench");
  for (let i = 0; i < FLAG_COUNT - 2; i++) await createFlag(env.id, { key: `feature.${String(i).padStart(2, "0")}`, rules: rulesFor(i) });
  await createFlag(env.id, { key: ROLLOUT_FLAG });
  await createRunningRollout(env.id, ROLLOUT_FLAG, { strategy: "canary", trafficBasisPoints: 2500 });
  await createFlag(env.id, { key: KILL_FLAG });
  const { key } = await createApiKey(env.id, { rateLimitPerSecond: 10_000_000, name: "bench" });
  return { environmentId: env.id, apiKey: key };
}
