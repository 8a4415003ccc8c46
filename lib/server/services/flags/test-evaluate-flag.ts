/**
 * "What would this context get?": the flag evaluated with the evaluation API's own engine
 * (`evaluateFlag`) over the snapshot this instance serves — the in-process SnapshotStore, with
 * the flag's active rollout — shaped like a `/api/v1/evaluate` result (`toNativeResult`), plus
 * the bucket and the matching rule. Nothing is counted: tester calls are not exposures.
 *
 * The store is first brought up to the environment's committed config version (a reload through
 * the store's own loader when this instance is behind or has not loaded it yet), so the tester
 * always reflects the change its caller just made.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { evaluateFlag } from "../../../domain/flags";
import { flagTestBodySchema } from "../../../schemas/flags";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { toNativeResult, type NativeFlagResult } from "../../evaluation/results";
import { sharedSnapshotStore } from "../../evaluation/shared";
import { callerEnvironment, parseInput } from "./flag-records";

export interface FlagTestResult {
  result: NativeFlagResult & { bucket?: number; ruleIndex?: number };
  /** The snapshot version evaluated (environments.config_version). */
  configVersion: string;
}

export async function testEvaluateFlag(
  actor: Actor,
  environmentKey: string,
  key: string,
  context: Record<string, string | number | boolean>,
  rng: () => number = Math.random,
): Promise<FlagTestResult> {
  assertPermission(actor, "dashboard.read");
  const input = parseInput(flagTestBodySchema, { context });
  const environment = await callerEnvironment(actor, environmentKey);

  const store = sharedSnapshotStore();
  await store.refresh(environment.id, environment.configVersion.toString());
  const snapshot = store.snapshot(environment.id);
  if (!snapshot) throw new DomainError("unavailable", `The configuration of ${environment.key} cannot be loaded right now; retry shortly.`);
  const flag = snapshot.flags.get(key);
  if (!flag) {
    throw new DomainError("not_found", `Flag "${key}" is not served in ${environment.key}: it does not exist or is archived.`, { flagKey: key });
  }

  const evaluated = evaluateFlag(flag, input.context, { rng });
  const result: FlagTestResult["result"] = toNativeResult(evaluated);
  if (evaluated.bucket !== undefined) result.bucket = evaluated.bucket;
  if (evaluated.ruleIndex !== undefined) result.ruleIndex = evaluated.ruleIndex;
  return { result, configVersion: snapshot.version };
}
