import { describe, expect, test } from "vitest";
import { createRolloutBodySchema, listRolloutsQuerySchema, rolloutCommandBodySchema, rolloutCommandParamsSchema, rolloutCommandSchema, stagePlanSchema } from "./rollouts";

const base = {
  environment: "production",
  flagKey: "support-bot.model",
  strategy: "canary",
  controlVariant: "gpt-4o",
  treatmentVariant: "gpt-4.1",
};

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("stagePlanSchema", () => {
  test("fills defaults", () => {
    expect(stagePlanSchema.parse({ trafficBasisPoints: 500, minBakeSeconds: 60, minSamplesPerArm: 10 })).toEqual({
      trafficBasisPoints: 500,
      shadowSampleBasisPoints: 0,
      minBakeSeconds: 60,
      minSamplesPerArm: 10,
      requiresApproval: false,
      gates: [],
    });
  });

  test.each([
    [{ trafficBasisPoints: 10_001, minBakeSeconds: 0, minSamplesPerArm: 0 }, "trafficBasisPoints"],
    [{ trafficBasisPoints: 2.5, minBakeSeconds: 0, minSamplesPerArm: 0 }, "trafficBasisPoints"],
    [{ trafficBasisPoints: 0, minBakeSeconds: -1, minSamplesPerArm: 0 }, "minBakeSeconds"],
    [{ trafficBasisPoints: 0, minBakeSeconds: 0 }, "minSamplesPerArm"],
    [{ trafficBasisPoints: 0, minBakeSeconds: 0, minSamplesPerArm: 0, trafficBasisPoint: 1 }, ""],
  ])("rejects %o at %s", (input, path) => {
    expect(issuePaths(stagePlanSchema.safeParse(input))).toContain(path);
  });
});

describe("createRolloutBodySchema", () => {
  test("fills defaults and leaves stages to the template", () => {
    expect(createRolloutBodySchema.parse(base)).toEqual({
      ...base,
      autoAdvance: false,
      requiredApprovals: 1,
      newSalt: false,
    });
  });

  test("accepts a custom plan that fits the strategy", () => {
    const body = createRolloutBodySchema.parse({
      ...base,
      stages: [
        { trafficBasisPoints: 1000, minBakeSeconds: 60, minSamplesPerArm: 10 },
        { trafficBasisPoints: 10_000, minBakeSeconds: 60, minSamplesPerArm: 0, requiresApproval: true },
      ],
      requiredApprovals: 2,
    });
    expect(body.stages?.map((s) => s.requiresApproval)).toEqual([false, true]);
  });

  test("reports a plan that breaks the strategy's rules on stages, with the domain message", () => {
    const result = createRolloutBodySchema.safeParse({
      ...base,
      stages: [
        { trafficBasisPoints: 2500, minBakeSeconds: 60, minSamplesPerArm: 10 },
        { trafficBasisPoints: 500, minBakeSeconds: 60, minSamplesPerArm: 10 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["stages"], message: expect.stringMatching(/must never decrease/) })]);
  });

  test.each([
    [{ treatmentVariant: "gpt-4o" }, "treatmentVariant"],
    [{ strategy: "big_bang" }, "strategy"],
    [{ requiredApprovals: 0 }, "requiredApprovals"],
    [{ requiredApprovals: 6 }, "requiredApprovals"],
    [{ stages: [] }, "stages"],
    [{ environment: "Prod!" }, "environment"],
    [{ description: "x".repeat(2001) }, "description"],
    [{ autoadvance: true }, ""],
  ])("rejects %o at %s", (override, path) => {
    expect(issuePaths(createRolloutBodySchema.safeParse({ ...base, ...override }))).toContain(path);
  });
});

describe("rollout commands", () => {
  test("params name a known command", () => {
    expect(rolloutCommandParamsSchema.parse({ id: "r1", command: "skip_analysis" })).toEqual({
      id: "r1",
      command: "skip_analysis",
    });
    expect(rolloutCommandParamsSchema.safeParse({ id: "r1", command: "deploy" }).success).toBe(false);
  });

  test.each([
    [{}, true],
    [{ comment: "ok", expectedVersion: 3 }, true],
    [{ comment: "x".repeat(2000) }, true],
    [{ comment: "x".repeat(2001) }, false],
    [{ expectedVersion: -1 }, false],
    [{ expectedVersion: 1.5 }, false],
    [{ reason: "typo" }, false],
  ])("body %o valid: %s", (body, valid) => {
    expect(rolloutCommandBodySchema.safeParse(body).success).toBe(valid);
  });

  test("the combined form carries the command", () => {
    expect(rolloutCommandSchema.parse({ command: "reject", comment: "no" })).toEqual({ command: "reject", comment: "no" });
  });
});

describe("listRolloutsQuerySchema", () => {
  test.each([
    [{ environment: "staging" }, { environment: "staging" }],
    [
      { environment: "staging", state: "running" },
      { environment: "staging", state: ["running"] },
    ],
    [
      { environment: "staging", state: "running, paused,running", flagKey: "a.b" },
      { environment: "staging", state: ["running", "paused"], flagKey: "a.b" },
    ],
    [
      { environment: "staging", state: ["running", "awaiting_approval,draft"] },
      { environment: "staging", state: ["running", "awaiting_approval", "draft"] },
    ],
  ])("parses %o", (query, parsed) => {
    expect(listRolloutsQuerySchema.parse(query)).toEqual(parsed);
  });

  test.each([[{}], [{ environment: "staging", state: "running,done" }], [{ environment: "staging", state: " , " }]])("rejects %o", (query) => {
    expect(listRolloutsQuerySchema.safeParse(query).success).toBe(false);
  });
});
