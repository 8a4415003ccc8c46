/**
 * The hot path's JSON writers. Each variant's `"variant":…,"value":<payload>` text is serialized
 * once per flag snapshot (snapshots are immutable) and reused; a response is then mostly string
 * concatenation. The output parses to exactly `toNativeResult` / `toOfrepSuccess` (results.ts);
 * serialize.test.ts holds them to that.
 */
import "server-only";
import type { EvaluationResult, FlagSnapshot, VariantPayload } from "../../domain/flags";
import { OFREP_REASONS } from "./results";

interface FlagFragments {
  keyJson: string;
  /** variant key → `"variant":"<key>","value":<payload JSON>` */
  variants: Map<string, string>;
}

const fragments = new WeakMap<FlagSnapshot, FlagFragments>();

function fragmentsOf(flag: FlagSnapshot): FlagFragments {
  let f = fragments.get(flag);
  if (!f) {
    f = { keyJson: JSON.stringify(flag.key), variants: new Map() };
    fragments.set(flag, f);
  }
  return f;
}

function variantFragment(flag: FlagSnapshot, variant: string, payload: VariantPayload): string {
  const f = fragmentsOf(flag);
  let text = f.variants.get(variant);
  if (text === undefined) {
    text = `"variant":${JSON.stringify(variant)},"value":${JSON.stringify(payload)}`;
    f.variants.set(variant, text);
  }
  return text;
}

/** `"<flag key>"` as a JSON string. */
export const flagKeyJson = (flag: FlagSnapshot): string => fragmentsOf(flag).keyJson;

/** JSON of `toNativeResult(r)` for a result of `flag`. */
export function nativeResultJson(flag: FlagSnapshot, r: EvaluationResult): string {
  let text = `{${variantFragment(flag, r.variant, r.payload)},"reason":"${r.reason}"`;
  if (r.stickiness === "random") text += `,"stickiness":"random"`;
  if (r.rollout) text += `,"rollout":{"id":${JSON.stringify(r.rollout.id)},"stage":${r.rollout.stage},"arm":"${r.rollout.arm}"}`;
  if (r.shadow) text += `,"shadow":{${variantFragment(flag, r.shadow.variant, r.shadow.payload)}}`;
  return `${text}}`;
}

/** JSON of `toOfrepSuccess(r, version)`; `versionJson` is the version already as a JSON string. */
export function ofrepSuccessJson(flag: FlagSnapshot, r: EvaluationResult, versionJson: string): string {
  let metadata = `"configVersion":${versionJson}`;
  if (r.rollout) {
    metadata += `,"rolloutId":${JSON.stringify(r.rollout.id)},"rolloutStage":${r.rollout.stage},"rolloutArm":"${r.rollout.arm}"`;
  }
  if (r.shadow) {
    metadata += `,"shadowVariant":${JSON.stringify(r.shadow.variant)},"shadowPayload":${JSON.stringify(JSON.stringify(r.shadow.payload))}`;
  }
  return `{"key":${flagKeyJson(flag)},${variantFragment(flag, r.variant, r.payload)},"reason":"${OFREP_REASONS[r.reason]}","metadata":{${metadata}}}`;
}
