import { describe, expect, test } from "vitest";
import { evaluateFlag } from "./evaluate";
import { forbiddenRng, makeFlag, makeRollout } from "./test-fixtures";
import type { ActiveRolloutSnapshot } from "./types";

/** 20,000 users: the standard error of a share is ≤ 0.36 percentage points, so 1.5 points is > 4σ. */
const USERS = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
const TOLERANCE = 0.015;

/** The set of users in treatment for a flag key and rollout settings. */
function treated(flagKey: string, rollout: Partial<ActiveRolloutSnapshot>): Set<string> {
  const flag = makeFlag({ key: flagKey, rollout: makeRollout(rollout) });
  return new Set(USERS.filter((userId) => evaluateFlag(flag, { userId }, { rng: forbiddenRng }).rollout?.arm === "treatment"));
}

const share = (set: Set<string>) => set.size / USERS.length;
const intersect = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => b.has(x)));

describe("rollout bucketing properties", () => {
  test("ramping 5% → 25% → 50% only moves users into treatment, at the planned shares", () => {
    const stages = [500, 2500, 5000].map((trafficBasisPoints) => treated("support-bot.model", { trafficBasisPoints }));
    stages.forEach((set, i) => expect(Math.abs(share(set) - [0.05, 0.25, 0.5][i])).toBeLessThan(TOLERANCE));
    for (const userId of stages[0]) expect(stages[1].has(userId)).toBe(true);
    for (const userId of stages[1]) expect(stages[2].has(userId)).toBe(true);
  });

  test("two flags at 50% assign independently: each of the four arm pairs gets ~25%", () => {
    const a = treated("support-bot.model", { trafficBasisPoints: 5000 });
    const b = treated("financial-summary.prompt", { trafficBasisPoints: 5000 });
    const both = intersect(a, b).size;
    const cells = [both, a.size - both, b.size - both, USERS.length - a.size - b.size + both];
    for (const cell of cells) expect(Math.abs(cell / USERS.length - 0.25)).toBeLessThan(TOLERANCE);
  });

  test("two salts of one flag at 50% assign independently: each of the four arm pairs gets ~25%", () => {
    const a = treated("support-bot.model", { trafficBasisPoints: 5000, salt: "salt-a" });
    const b = treated("support-bot.model", { trafficBasisPoints: 5000, salt: "salt-b" });
    const both = intersect(a, b).size;
    const cells = [both, a.size - both, b.size - both, USERS.length - a.size - b.size + both];
    for (const cell of cells) expect(Math.abs(cell / USERS.length - 0.25)).toBeLessThan(TOLERANCE);
  });

  test("a new salt reshuffles: about half the users change arm at 50%", () => {
    const before = treated("support-bot.model", { trafficBasisPoints: 5000, salt: "first" });
    const after = treated("support-bot.model", { trafficBasisPoints: 5000, salt: "second" });
    const changed = USERS.filter((u) => before.has(u) !== after.has(u)).length;
    expect(Math.abs(changed / USERS.length - 0.5)).toBeLessThan(TOLERANCE);
  });

  test("the same salt keeps every user where they were across stages and app instances", () => {
    const first = treated("support-bot.model", { trafficBasisPoints: 2500, stageIndex: 1, id: "ro_1" });
    const again = treated("support-bot.model", { trafficBasisPoints: 2500, stageIndex: 2, id: "ro_1" });
    expect([...again]).toEqual([...first]);
  });
});
