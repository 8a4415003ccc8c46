import { describe, expect, test } from "vitest";
import { evaluateFlag, type EvaluationResult } from "../../domain/flags";
import { makeFlag, makeRollout } from "../../domain/flags/test-fixtures";
import { toNativeResult, toOfrepSuccess } from "./results";
import { nativeResultJson, ofrepSuccessJson } from "./serialize";

const flag = makeFlag({ key: 'odd "key"\n', variants: [...makeFlag().variants, { key: 'ü"v', payload: { text: 'line\nbreak "quoted"', n: 1.5, list: [null, true] } }] });
const base: EvaluationResult = { flagKey: flag.key, variant: "gpt-4o", payload: flag.variants[0].payload, reason: "DEFAULT" };

describe("string serializers match the object shapes", () => {
  test.each<[string, EvaluationResult]>([
    ["default", base],
    ["kill switch", { ...base, variant: "safe", payload: flag.variants[2].payload, reason: "KILL_SWITCH" }],
    ["random split", { ...base, reason: "SPLIT", bucket: 17, stickiness: "random" }],
    ["rollout", { ...base, reason: "SPLIT", stickiness: "attribute", rollout: { id: 'ro"1', stage: 3, arm: "treatment" } }],
    ["odd variant", { ...base, variant: 'ü"v', payload: flag.variants[3].payload }],
    ["shadow", { ...base, rollout: { id: "ro2", stage: 0, arm: "control" }, shadow: { variant: 'ü"v', payload: flag.variants[3].payload } }],
  ])("%s", (_name, result) => {
    // Twice: the second call uses the cached fragments.
    for (let i = 0; i < 2; i++) {
      expect(JSON.parse(nativeResultJson(flag, result))).toEqual(toNativeResult(result));
      expect(JSON.parse(ofrepSuccessJson(flag, result, JSON.stringify("42")))).toEqual(toOfrepSuccess(result, "42"));
    }
  });

  test("real engine output, rollout included", () => {
    const rolled = makeFlag({ rollout: makeRollout({ trafficBasisPoints: 5000 }) });
    for (const userId of ["a", "b", "c", "d", "e", "f"]) {
      const r = evaluateFlag(rolled, { userId }, { rng: () => 0.5 });
      expect(JSON.parse(nativeResultJson(rolled, r))).toEqual(toNativeResult(r));
    }
  });
});
