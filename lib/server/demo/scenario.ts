/**
 * The demo story a fresh `npm start` tells (embedded database or ROLLGATE_DEMO=1): three LLM
 * features mid-release in production, with live traffic from the simulator.
 * - support-bot.model: a healthy canary gpt-4o → gpt-4.1 (cheaper, rated better, about as fast)
 *   that auto-advances to 100%;
 * - ticket-triage.model: a canary gpt-4o-mini → gpt-4.1-nano whose treatment fails 12% of calls
 *   and is slower, rolled back automatically by its critical gates within a few minutes;
 * - financial-summary.prompt: an A/B test of prompt v4 vs v5 collecting its planned sample.
 * Plain data: lib/server/demo/seed.ts creates it through the services, traffic.ts drives it.
 */
import "server-only";
import type { Regression } from "../../simulator/outcome";

export interface DemoFeature {
  flag: {
    key: string;
    kind: "model" | "prompt";
    description: string;
    variants: { key: string; payload: Record<string, unknown>; description?: string }[];
    defaultVariant: string;
    fallbackVariant: string;
    rules?: { description?: string; conditions: { attribute: string; operator: "eq" | "in"; value: string | string[] }[]; serve: { variant: string } | { rollout: true } }[];
  };
  rollout: {
    strategy: "canary" | "ab_test";
    controlVariant: string;
    treatmentVariant: string;
    autoAdvance: boolean;
    description: string;
    stages: { trafficBasisPoints: number; minBakeSeconds: number; minSamplesPerArm: number; requiresApproval?: boolean }[];
  };
  /** Simulated requests per second, and what to make worse in the treatment. */
  traffic: { rps: number; regression?: Regression };
}

const model = (provider: string, name: string, temperature = 0.2) => ({ provider, model: name, params: { temperature } });

export const DEMO_FEATURES: DemoFeature[] = [
  {
    flag: {
      key: "support-bot.model",
      kind: "model",
      description: "Model behind the customer-support assistant",
      variants: [
        { key: "gpt-4o", payload: model("openai", "gpt-4o") },
        { key: "gpt-4.1", payload: model("openai", "gpt-4.1") },
        { key: "claude-sonnet-4", payload: model("anthropic", "claude-sonnet-4"), description: "Next candidate, tried by staff first" },
        { key: "gpt-4o-mini", payload: model("openai", "gpt-4o-mini", 0), description: "Safe, cheap fallback" },
      ],
      defaultVariant: "gpt-4o",
      fallbackVariant: "gpt-4o-mini",
      rules: [{ description: "Internal staff always try the candidate", conditions: [{ attribute: "plan", operator: "eq", value: "internal" }], serve: { variant: "claude-sonnet-4" } }],
    },
    rollout: {
      strategy: "canary",
      controlVariant: "gpt-4o",
      treatmentVariant: "gpt-4.1",
      autoAdvance: true,
      description: "Cheaper, better-rated model for support answers",
      stages: [
        { trafficBasisPoints: 1000, minBakeSeconds: 120, minSamplesPerArm: 150 },
        { trafficBasisPoints: 2500, minBakeSeconds: 180, minSamplesPerArm: 300 },
        { trafficBasisPoints: 5000, minBakeSeconds: 300, minSamplesPerArm: 600 },
        { trafficBasisPoints: 10_000, minBakeSeconds: 300, minSamplesPerArm: 0 },
      ],
    },
    traffic: { rps: 15 },
  },
  {
    flag: {
      key: "ticket-triage.model",
      kind: "model",
      description: "Classifies incoming tickets by urgency and team",
      variants: [
        { key: "gpt-4o-mini", payload: model("openai", "gpt-4o-mini", 0) },
        { key: "gpt-4.1-nano", payload: model("openai", "gpt-4.1-nano", 0) },
      ],
      defaultVariant: "gpt-4o-mini",
      fallbackVariant: "gpt-4o-mini",
    },
    rollout: {
      strategy: "canary",
      controlVariant: "gpt-4o-mini",
      treatmentVariant: "gpt-4.1-nano",
      autoAdvance: true,
      description: "Smaller model to cut triage cost",
      stages: [
        { trafficBasisPoints: 1000, minBakeSeconds: 120, minSamplesPerArm: 150 },
        { trafficBasisPoints: 5000, minBakeSeconds: 300, minSamplesPerArm: 500 },
        { trafficBasisPoints: 10_000, minBakeSeconds: 300, minSamplesPerArm: 0 },
      ],
    },
    traffic: { rps: 10, regression: { errorRateTreatment: 0.12, latencyShiftMs: 250 } },
  },
  {
    flag: {
      key: "financial-summary.prompt",
      kind: "prompt",
      description: "Prompt of the quarterly financial summary",
      variants: [
        { key: "v4", payload: { promptVersion: 4, template: "Summarize the quarter for {{audience}} in five bullet points." } },
        { key: "v5", payload: { promptVersion: 5, template: "You are a financial analyst. Summarize the quarter for {{audience}}: revenue, margin, risks; five bullets, numbers first." } },
      ],
      defaultVariant: "v4",
      fallbackVariant: "v4",
      rules: [{ description: "Enterprise orgs join the experiment", conditions: [{ attribute: "plan", operator: "in", value: ["enterprise", "pro", "free"] }], serve: { rollout: true } }],
    },
    rollout: {
      strategy: "ab_test",
      controlVariant: "v4",
      treatmentVariant: "v5",
      autoAdvance: false,
      description: "Does the analyst persona earn more thumbs-up?",
      stages: [{ trafficBasisPoints: 5000, minBakeSeconds: 3600, minSamplesPerArm: 20_000 }],
    },
    traffic: { rps: 6 },
  },
];
