/**
 * The OpenFeature server provider. Evaluates in this process with the server's own engine
 * (lib/domain/flags, bundled into the package) against a synced snapshot, so for the same
 * context and configuration version it answers exactly what POST /api/v1/evaluate answers:
 * variant, value (the variant's payload), reason, and the rollout's id/stage/arm in flagMetadata.
 *
 * Flag values are JSON objects (model/prompt configurations): use getObjectValue/Details. A
 * string evaluation answers the variant key; boolean and number evaluations are TYPE_MISMATCH.
 */
import { ErrorCode, OpenFeatureEventEmitter, ProviderEvents, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails, type TrackingEventDetails } from "@openfeature/server-sdk";
import { evaluateFlag } from "../../../lib/domain/flags/evaluate";
import type { EvaluationResult, FlagSnapshot, RolloutArm } from "../../../lib/domain/flags/types";
import { Reporter, type OutcomeEventPayload, type ReporterOptions, type ReporterStats } from "./reporter";
import { SnapshotSync, type HeldSnapshot, type SyncOptions, type SyncStats } from "./sync";

export interface RollgateProviderOptions extends Omit<SyncOptions, "onSnapshot" | "onError">, Omit<ReporterOptions, "onError"> {
  /** Called with background errors (sync, reporting); default: console.warn once per distinct message. */
  onError?: (error: Error) => void;
}

/** The native answer of POST /api/v1/evaluate for one flag (lib/server/evaluation/results.ts). */
export interface RollgateEvaluation {
  flagKey: string;
  variant: string;
  value: Record<string, unknown>;
  reason: EvaluationResult["reason"];
  stickiness?: "random";
  rollout?: { id: string; stage: number; arm: RolloutArm };
  shadow?: { variant: string; value: Record<string, unknown> };
  /** Configuration version the answer was computed from. */
  version: string;
}

/** What an outcome is attributed to: an answer of `evaluate`, or OpenFeature evaluation details. */
export type Assignment = Pick<RollgateEvaluation, "flagKey" | "variant" | "rollout"> | { flagKey: string; variant?: string; flagMetadata?: Readonly<Record<string, string | number | boolean>> };

/** One call's outcome; everything but `success` is optional (see POST /api/v1/events). */
export interface Outcome {
  success?: boolean;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  model?: string;
  costUsd?: number;
  errorType?: string;
  feedback?: 1 | -1;
  retried?: boolean;
  qualityScore?: number;
  subjectKey?: string;
  requestId?: string;
  pairId?: string;
  attributes?: Record<string, unknown>;
  /** Event id (default: a random UUID); reuse it when re-reporting the same outcome. */
  id?: string;
  /** Epoch ms (default: now). */
  timestamp?: number;
}

export interface ShadowOptions<T> {
  /** Extra outcome fields from a call's answer (tokens, model, quality…). */
  measure?: (answer: T) => Outcome;
  subjectKey?: string;
}

type Metadata = Record<string, string | number | boolean>;

/** OpenFeature contexts may hold Dates; the HTTP path sees JSON, so the engine must too. */
function jsonContext(context: EvaluationContext): Record<string, unknown> {
  for (const key in context) {
    const v = context[key];
    if (v !== null && typeof v === "object") return JSON.parse(JSON.stringify(context)) as Record<string, unknown>;
  }
  return context as Record<string, unknown>;
}

function metadataOf(r: RollgateEvaluation): Metadata {
  const m: Metadata = { configVersion: r.version };
  if (r.rollout) {
    m.rolloutId = r.rollout.id;
    m.rolloutStage = r.rollout.stage;
    m.rolloutArm = r.rollout.arm;
  }
  if (r.stickiness) m.stickiness = r.stickiness;
  if (r.shadow) {
    m.shadowVariant = r.shadow.variant;
    m.shadowPayload = JSON.stringify(r.shadow.value);
  }
  return m;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

export class RollgateProvider implements Provider {
  readonly metadata = { name: "rollgate" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly hooks = [];
  private readonly sync: SnapshotSync;
  private readonly reporter: Reporter;
  private readonly seenErrors = new Set<string>();
  private closed = false;

  constructor(private readonly opts: RollgateProviderOptions) {
    if (!opts.baseUrl || !opts.apiKey) throw new Error("RollgateProvider needs { baseUrl, apiKey }");
    const onError = opts.onError ?? ((e: Error) => this.warnOnce(e));
    this.sync = new SnapshotSync({ ...opts, onSnapshot: (next, prev) => this.changed(next, prev), onError });
    this.reporter = new Reporter({ ...opts, onError });
  }

  async initialize(): Promise<void> {
    await this.sync.start();
  }

  async onClose(): Promise<void> {
    await this.close();
  }

  /** Stops syncing and sends everything still queued (exposures and outcome events). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sync.close();
    await this.reporter.close();
  }

  /** Sends queued exposures and outcome events now. */
  flush(): Promise<void> {
    return this.reporter.flush();
  }

  /** Sync health (version, streaming, staleness) and reporting counters. */
  stats(now = Date.now()): SyncStats & ReporterStats {
    return { ...this.sync.stats(now), ...this.reporter.stats() };
  }

  /**
   * The native answer for one flag, counting the exposure if a rollout decided (as the server
   * does for every served evaluation). null when the flag does not exist or nothing is loaded.
   */
  evaluate(flagKey: string, context: EvaluationContext): RollgateEvaluation | null {
    return this.decide(flagKey, context, true);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, (r) => r.value as unknown as T));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context, (r) => r.variant));
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.mismatch(flagKey, defaultValue, "boolean"));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.mismatch(flagKey, defaultValue, "number"));
  }

  /**
   * OpenFeature's `client.track(name, context, details)`: `details.flagKey` names the flag; the
   * assignment (variant, rollout, stage, arm) is recomputed for `context` without counting an
   * exposure. Outcome fields are read from details: success, latencyMs (or `value`), inputTokens,
   * outputTokens, model, costUsd, errorType, feedback, retried, qualityScore, requestId, pairId.
   */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails = {}): void {
    const flagKey = str(details.flagKey);
    if (!flagKey) return this.warnOnce(new Error(`track("${trackingEventName}"): details.flagKey is required to attribute the outcome`));
    const assignment = this.decide(flagKey, context, false);
    if (!assignment) return this.warnOnce(new Error(`track("${trackingEventName}"): unknown flag "${flagKey}"`));
    const feedback = details.feedback === 1 || details.feedback === -1 ? details.feedback : undefined;
    this.reportOutcome(assignment, {
      success: typeof details.success === "boolean" ? details.success : !str(details.errorType),
      latencyMs: num(details.latencyMs) ?? num(details.value),
      inputTokens: num(details.inputTokens),
      outputTokens: num(details.outputTokens),
      model: str(details.model),
      costUsd: num(details.costUsd),
      errorType: str(details.errorType),
      feedback,
      retried: typeof details.retried === "boolean" ? details.retried : undefined,
      qualityScore: num(details.qualityScore),
      requestId: str(details.requestId),
      pairId: str(details.pairId),
      subjectKey: str(context.targetingKey),
      attributes: { event: trackingEventName },
    });
  }

  /** Queues one outcome event, attributed to `assignment` (rolloutId, stage and arm filled in). */
  reportOutcome(assignment: Assignment, outcome: Outcome = {}): OutcomeEventPayload {
    const meta = "flagMetadata" in assignment ? assignment.flagMetadata : undefined;
    const rollout = "rollout" in assignment ? assignment.rollout : undefined;
    const variant = assignment.variant;
    if (!variant) throw new Error(`reportOutcome: the assignment of "${assignment.flagKey}" has no variant`);
    const event: OutcomeEventPayload = {
      id: outcome.id ?? crypto.randomUUID(),
      timestamp: outcome.timestamp ?? Date.now(),
      flagKey: assignment.flagKey,
      variant,
      success: outcome.success ?? !outcome.errorType,
    };
    const rolloutId = rollout?.id ?? str(meta?.rolloutId);
    if (rolloutId) {
      event.rolloutId = rolloutId;
      event.stage = rollout?.stage ?? num(meta?.rolloutStage);
      event.arm = rollout?.arm ?? (str(meta?.rolloutArm) as RolloutArm | undefined);
    }
    for (const k of ["latencyMs", "inputTokens", "outputTokens", "model", "costUsd", "errorType", "feedback", "retried", "qualityScore", "subjectKey", "requestId", "pairId", "attributes"] as const) {
      if (outcome[k] !== undefined) (event as unknown as Record<string, unknown>)[k] = outcome[k];
    }
    this.reporter.enqueue(event);
    return event;
  }

  /**
   * Calls the served variant through `call`. For a sampled shadow assignment it also calls the
   * shadow (treatment) variant concurrently, reports both outcomes with one pairId (control and
   * treatment arm), and still returns the control's answer (or throws the control's error):
   * the treatment never affects the caller. Otherwise it reports the one call's outcome.
   */
  async shadow<T>(flagKey: string, context: EvaluationContext, call: (variant: { variant: string; value: Record<string, unknown> }) => Promise<T>, options: ShadowOptions<T> = {}): Promise<T> {
    const assignment = this.evaluate(flagKey, context);
    if (!assignment) throw new Error(`Rollgate: unknown flag "${flagKey}" (or no configuration loaded)`);
    const subjectKey = options.subjectKey ?? str(context.targetingKey);
    const timed = async (variant: { variant: string; value: Record<string, unknown> }) => {
      const start = performance.now();
      try {
        const answer = await call(variant);
        return { ok: true as const, answer, latencyMs: performance.now() - start };
      } catch (error) {
        return { ok: false as const, error, latencyMs: performance.now() - start };
      }
    };
    const outcomeOf = (r: Awaited<ReturnType<typeof timed>>): Outcome =>
      r.ok
        ? { success: true, latencyMs: r.latencyMs, subjectKey, ...options.measure?.(r.answer) }
        : { success: false, latencyMs: r.latencyMs, subjectKey, errorType: (r.error as Error)?.name || "Error" };

    if (!assignment.shadow || !assignment.rollout) {
      const r = await timed(assignment);
      this.reportOutcome(assignment, outcomeOf(r));
      if (!r.ok) throw r.error;
      return r.answer;
    }
    const shadow = assignment.shadow;
    const [control, treatment] = await Promise.all([timed(assignment), timed(shadow)]);
    const pairId = crypto.randomUUID();
    this.reportOutcome(assignment, { ...outcomeOf(control), pairId });
    this.reportOutcome({ flagKey, variant: shadow.variant, rollout: { ...assignment.rollout, arm: "treatment" } }, { ...outcomeOf(treatment), pairId });
    if (!control.ok) throw control.error;
    return control.answer;
  }

  private decide(flagKey: string, context: EvaluationContext, count: boolean): RollgateEvaluation | null {
    const held = this.sync.snapshot;
    const flag = held?.flags.get(flagKey);
    if (!held || !flag) return null;
    const r = evaluateFlag(flag, jsonContext(context), { rng: Math.random });
    if (count && r.rollout) this.reporter.countExposure(r.rollout.id, r.rollout.stage, r.rollout.arm, Date.now());
    const out: RollgateEvaluation = { flagKey, variant: r.variant, value: r.payload, reason: r.reason, version: held.document.version };
    if (r.stickiness === "random") out.stickiness = "random";
    if (r.rollout) out.rollout = { id: r.rollout.id, stage: r.rollout.stage, arm: r.rollout.arm };
    if (r.shadow) out.shadow = { variant: r.shadow.variant, value: r.shadow.payload };
    return out;
  }

  private resolve<T>(flagKey: string, defaultValue: T, context: EvaluationContext, pick: (r: RollgateEvaluation) => T): ResolutionDetails<T> {
    if (!this.sync.snapshot) return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.PROVIDER_NOT_READY };
    let r: RollgateEvaluation | null;
    try {
      r = this.evaluate(flagKey, context);
    } catch (error) {
      return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.GENERAL, errorMessage: (error as Error).message };
    }
    if (!r) return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND, errorMessage: `Flag "${flagKey}" does not exist in this environment.` };
    return { value: pick(r), variant: r.variant, reason: r.reason, flagMetadata: metadataOf(r) };
  }

  private mismatch<T>(flagKey: string, defaultValue: T, type: string): ResolutionDetails<T> {
    return {
      value: defaultValue,
      reason: "ERROR",
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: `Rollgate flag "${flagKey}" holds an object (its variant's payload), not a ${type}: use getObjectValue, or getStringValue for the variant key.`,
    };
  }

  private changed(next: HeldSnapshot, previous: HeldSnapshot | null): void {
    if (!previous) return;
    const keys = new Set([...next.flags.keys(), ...previous.flags.keys()]);
    const flagsChanged: string[] = [];
    for (const key of keys) {
      const a = previous.flags.get(key);
      const b = next.flags.get(key);
      if (!a || !b || !sameFlag(a, b)) flagsChanged.push(key);
    }
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged, metadata: { configVersion: next.document.version } });
  }

  private warnOnce(error: Error): void {
    if (this.seenErrors.has(error.message)) return;
    if (this.seenErrors.size > 100) this.seenErrors.clear();
    this.seenErrors.add(error.message);
    console.warn(`[rollgate] ${error.message}`);
  }
}

const sameFlag = (a: FlagSnapshot, b: FlagSnapshot) => JSON.stringify(a) === JSON.stringify(b);
