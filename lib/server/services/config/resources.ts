/**
 * From API documents to comparable resources, both ways: the files' resources parsed by each
 * kind's own API schema (errors keep their path under `resources.N.spec`), and the stored rows
 * as specs in the same normalized form, with their version tokens.
 */
import "server-only";
import { toJsonValue, type JsonValue } from "../../../domain/audit/chain";
import { contentVersion, maskUrl, resolveUrl, type AppliedKind, type CurrentResource, type DesiredResource, type Spec } from "../../../domain/config";
import { DomainError } from "../../../domain/errors";
import { CONFIG_API_VERSION } from "../../../domain/config/types";
import { SPEC_SCHEMAS, type ConfigResourceInput } from "../../../schemas/config";
import type { FlagDocument } from "../../../schemas/flags";
import type { SloBody } from "../../../schemas/slo";
import type { CreateWebhookBody } from "../../../schemas/webhooks";
import type { DbOrTx } from "../../db";
import { flagViewInclude, holdingRollout, storedDocument } from "../flags/flag-view";

export interface FieldError {
  path: string;
  message: string;
}

/** A desired resource with what the writes need: the parsed API document. */
export type ParsedResource = (DesiredResource & { kind: "Flag"; doc: FlagDocument }) | (DesiredResource & { kind: "SLO"; doc: SloBody }) | (DesiredResource & { kind: "Webhook"; doc: WebhookDoc });

type WebhookDoc = Pick<CreateWebhookBody, "url" | "events" | "active">;

/** The stored rows of an environment, by `Kind/name`, with their ids. */
export interface CurrentState {
  resources: CurrentResource[];
}

const sortedEvents = <E extends string>(events: readonly E[]): E[] => [...new Set(events)].sort();

function flagSpec(doc: FlagDocument): Spec {
  const { key: _key, ...rest } = doc;
  return toJsonValue({ ...rest, description: rest.description ?? "" }) as Spec;
}

function sloSpec(s: Omit<SloBody, "environment" | "name">): Spec {
  return toJsonValue({
    flagKey: s.flagKey ?? null,
    successRateTarget: s.successRateTarget,
    windowDays: s.windowDays,
    latencyP50MsMax: s.latencyP50MsMax ?? null,
    latencyP95MsMax: s.latencyP95MsMax ?? null,
    latencyP99MsMax: s.latencyP99MsMax ?? null,
    costPerRequestUsdMax: s.costPerRequestUsdMax ?? null,
    costPerDayUsdMax: s.costPerDayUsdMax ?? null,
    policies: s.policies ?? [],
  }) as Spec;
}

const webhookSpec = (w: { url: string; events: readonly string[]; active: boolean }): Spec => ({ url: w.url, events: sortedEvents(w.events), active: w.active });

/** Every live flag, every SLO and every webhook bound to the environment. */
export async function loadCurrent(client: DbOrTx, environmentId: string): Promise<CurrentState> {
  const [flags, slos, webhooks] = await Promise.all([
    client.flag.findMany({ where: { environmentId, archivedAt: null }, include: flagViewInclude, orderBy: { key: "asc" } }),
    client.slo.findMany({ where: { environmentId }, orderBy: { name: "asc" } }),
    client.webhook.findMany({ where: { environmentId }, orderBy: { name: "asc" } }),
  ]);
  const resources: CurrentResource[] = [];
  for (const f of flags) {
    const live = holdingRollout(f);
    resources.push({
      kind: "Flag",
      name: f.key,
      id: f.id,
      version: String(f.version),
      spec: flagSpec(storedDocument(f)),
      liveRollout: live && live.state !== "draft" ? { id: live.id, state: live.state } : null,
    });
  }
  for (const s of slos) {
    const spec = sloSpec({ ...s, windowDays: s.windowDays as 7 | 28, policies: s.policies as SloBody["policies"] });
    resources.push({ kind: "SLO", name: s.name, id: s.id, version: contentVersion(spec), spec });
  }
  for (const w of webhooks) {
    const spec = webhookSpec(w);
    resources.push({ kind: "Webhook", name: w.name, id: w.id, version: contentVersion(spec), spec });
  }
  const seen = new Set<string>();
  for (const r of resources) {
    const ref = `${r.kind}/${r.name}`;
    if (seen.has(ref)) {
      throw new DomainError("conflict", `Two ${r.kind === "SLO" ? "SLOs" : "webhooks"} of this environment are named "${r.name}"; rename one in the dashboard so that files can name each.`, {
        reason: "duplicate_name",
        resource: ref,
      });
    }
    seen.add(ref);
  }
  return { resources };
}

/** The environment as documents (export): webhook URLs masked, never a secret. */
export function toDocuments(environmentKey: string, current: CurrentState) {
  return current.resources.map((r) => {
    const named = r.kind === "Flag" ? { key: r.name } : { name: r.name };
    return { apiVersion: CONFIG_API_VERSION, kind: r.kind, metadata: { environment: environmentKey, ...named }, spec: exportedSpec(r) };
  });
}

/** Only what says something: no empty description, no null ceilings, the URL masked. */
function exportedSpec(r: CurrentResource): Spec {
  const spec: Spec = Object.fromEntries(Object.entries(r.spec).filter(([, v]) => v !== null));
  if (r.kind === "Flag" && spec.description === "") delete spec.description;
  if (r.kind === "Webhook") spec.url = maskUrl(String(spec.url));
  return spec;
}

/**
 * The files' resources of one environment, parsed by their API schemas. Every problem of every
 * resource is collected before answering 400, each with its path in the request.
 */
export function parseResources(environmentKey: string, resources: readonly ConfigResourceInput[], current: CurrentState): ParsedResource[] {
  const errors: FieldError[] = [];
  const parsed: ParsedResource[] = [];
  const seen = new Map<string, number>();
  const byRef = new Map(current.resources.map((r) => [`${r.kind}/${r.name}`, r]));
  resources.forEach((r, i) => {
    const at = (path: (string | number)[]) => ["resources", i, ...path].join(".");
    if (r.metadata.environment !== environmentKey) {
      errors.push({ path: at(["metadata", "environment"]), message: `this apply is for environment "${environmentKey}"; apply each environment's files separately` });
      return;
    }
    if (r.kind === "RolloutPlan") {
      errors.push({ path: at(["kind"]), message: "a RolloutPlan is not applied: run it with `rollgate rollout create -f` (POST /api/v1/rollouts)" });
      return;
    }
    const kind = r.kind as AppliedKind;
    // The envelope schema (lib/schemas/config.ts) requires metadata.key on a Flag and name on the rest.
    const name = (kind === "Flag" ? r.metadata.key : r.metadata.name) ?? "";
    const ref = `${kind}/${name}`;
    if (seen.has(ref)) {
      errors.push({ path: at(["metadata"]), message: `${ref} is also declared by resource ${seen.get(ref)}` });
      return;
    }
    seen.set(ref, i);
    const { schema, fromMetadata } = SPEC_SCHEMAS[kind];
    const misplaced = fromMetadata.filter((f) => f in r.spec);
    for (const f of misplaced) {
      errors.push({ path: at(["spec", f]), message: f === "secret" ? "webhook secrets are never in files: one is generated when the webhook is created" : `"${f}" belongs in metadata` });
    }
    if (misplaced.length) return;
    const input = kind === "Flag" ? { ...r.spec, key: name } : kind === "SLO" ? { ...r.spec, environment: environmentKey, name } : { ...r.spec, name };
    const result = schema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push({ path: at(["spec", ...(issue.path as (string | number)[])]), message: issue.message });
      return;
    }
    if (kind === "Flag") {
      const doc = result.data as FlagDocument;
      parsed.push({ kind, name, spec: flagSpec(doc), doc });
    } else if (kind === "SLO") {
      const doc = result.data as SloBody;
      parsed.push({ kind, name, spec: sloSpec(doc), doc });
    } else {
      const doc = result.data as WebhookDoc;
      const now = byRef.get(ref);
      const resolved = resolveUrl(doc.url, now ? String(now.spec.url) : undefined);
      if ("error" in resolved) {
        errors.push({ path: at(["spec", "url"]), message: resolved.error });
        return;
      }
      const full = { url: resolved.url, events: sortedEvents(doc.events), active: doc.active };
      parsed.push({ kind, name, spec: webhookSpec(full), doc: full });
    }
  });
  if (errors.length) {
    throw new DomainError("invalid_input", `Invalid body: ${errors[0].path}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, { errors });
  }
  return parsed;
}

export const jsonOf = (v: unknown): JsonValue => toJsonValue(v);
