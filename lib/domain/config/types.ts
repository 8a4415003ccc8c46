/**
 * Config as code: the resources an environment's files declare and the server holds, and the
 * changes between the two. Specs are the management API's documents, already normalized
 * (defaults filled in) so that comparing them means comparing meaning.
 */
import type { JsonValue } from "../audit/chain";

export const CONFIG_API_VERSION = "rollgate.dev/v1";
/** Kinds that `apply` reconciles; RolloutPlan files are run with `rollout create` instead. */
export const APPLIED_KINDS = ["Flag", "SLO", "Webhook"] as const;
export type AppliedKind = (typeof APPLIED_KINDS)[number];
export const CONFIG_KINDS = ["Flag", "RolloutPlan", "SLO", "Webhook"] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export type Spec = { [field: string]: JsonValue };

/** One resource as the files want it: flags are named by key, the rest by name. */
export interface DesiredResource {
  kind: AppliedKind;
  name: string;
  spec: Spec;
}

/** One resource as the server holds it, with the token that changes whenever it changes. */
export interface CurrentResource extends DesiredResource {
  id: string;
  version: string;
  /** Flags only: the rollout that is live on it (running, paused, awaiting approval). */
  liveRollout?: { id: string; state: string } | null;
}

export type ChangeAction = "create" | "update" | "archive" | "delete" | "unchanged";

export interface FieldChange {
  /** Dotted path inside the spec, such as `variants.1.payload.model`. */
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}

export interface ResourceChange {
  kind: AppliedKind;
  name: string;
  action: ChangeAction;
  fields: FieldChange[];
  /** The current resource's version token; null when it does not exist yet. */
  version: string | null;
}

/** `Kind/name`: how versions and conflicts name a resource. */
export const resourceRef = (r: { kind: string; name: string }): string => `${r.kind}/${r.name}`;
