"use client";
import { useRef, useState, type FormEvent } from "react";
import { BREACH_ACTIONS, BREACH_TRIGGERS, SLO_TEMPLATES, sloTemplate, type BreachAction, type BreachPolicy, type BreachTrigger, type SloTemplate } from "@/lib/domain/slo";
import { isApiError } from "@/lib/client/api";
import { SLO_RULES, focusFirstInvalid, humanFieldErrors, schemaIssues, type FieldIssue } from "@/lib/client/field-errors";
import { useFlagOptions } from "@/lib/client/hooks/rollouts";
import { useCreateSlo, useUpdateSlo, type Slo } from "@/lib/client/hooks/slos";
import { sloBodySchema, type SloBodyInput } from "@/lib/schemas/slo";
import { Button } from "../ui/button";
import { cx } from "../ui/cx";
import { useRadioCards } from "../ui/radio-cards";
import { Dialog } from "../ui/dialog";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Input, Select } from "../ui/field";
import { NumberInput } from "../ui/number-input";
import { ACTION_LABELS, TEMPLATE_LABELS, TRIGGER_LABELS } from "./labels";
import styles from "./slos.module.css";

const FORM_ID = "slo-form";

interface FormState {
  name: string;
  flagKey: string;
  /** Percent, as typed: 99.5. */
  objective: number | null;
  windowDays: 7 | 28;
  latencyP95MsMax: number | null;
  costPerRequestUsdMax: number | null;
  policies: BreachPolicy[];
}

function fromTemplate(template: SloTemplate, flagKey: string): FormState {
  const t = sloTemplate(template, flagKey || null);
  return { ...t, flagKey, objective: Number((t.successRateTarget * 100).toPrecision(12)) };
}

function fromSlo(slo: Slo): FormState {
  return {
    name: slo.name,
    flagKey: slo.flagKey ?? "",
    objective: Number((slo.successRateTarget * 100).toPrecision(12)),
    windowDays: slo.windowDays === 7 ? 7 : 28,
    latencyP95MsMax: slo.latencyP95MsMax,
    costPerRequestUsdMax: slo.costPerRequestUsdMax,
    policies: slo.policies.map((p) => ({ ...p, actions: [...p.actions] })),
  };
}

/**
 * Create an SLO from a template, or edit one: objective, window, ceilings and breach policies.
 * The server validates (lib/schemas/slo.ts) and names the field of any error, shown under it.
 * Ceilings the form does not show (p50, p99, cost per day) are kept as they are on edit.
 */
export function SloFormDialog({
  open,
  onClose,
  env,
  slo,
  defaultFlagKey,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  env: string;
  slo?: Slo;
  defaultFlagKey?: string;
  onSaved?: (id: string) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={slo ? `Edit SLO “${slo.name}”` : "New SLO"} width={760} description="Every change is recorded in the audit log.">
      {open && <SloForm env={env} slo={slo} defaultFlagKey={defaultFlagKey ?? ""} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function SloForm({ env, slo, defaultFlagKey, onClose, onSaved }: { env: string; slo?: Slo; defaultFlagKey: string; onClose: () => void; onSaved?: (id: string) => void }) {
  const flags = useFlagOptions(env);
  const create = useCreateSlo();
  const update = useUpdateSlo(slo?.id ?? "");
  const mutation = slo ? update : create;
  const [template, setTemplate] = useState<SloTemplate>("availability");
  const [form, setForm] = useState<FormState>(() => (slo ? fromSlo(slo) : fromTemplate("availability", defaultFlagKey)));
  const patch = (p: Partial<FormState>) => setForm((f) => ({ ...f, ...p }));
  // This side's check (the server's schema) and the server's answer, each problem in words at its field.
  const [clientIssues, setClientIssues] = useState<FieldIssue[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const serverIssues = isApiError(mutation.error) ? (mutation.error.problem.details?.errors ?? []) : [];
  const errors = pathErrors(Object.entries(humanFieldErrors([...clientIssues, ...serverIssues], SLO_RULES)).map(([path, message]) => ({ path, message })));
  const formLevel = mutation.error && Object.keys(errors).length === 0 ? mutation.error : null;
  const variants = flags.data?.find((f) => f.key === form.flagKey)?.variants ?? [];

  function pickTemplate(t: SloTemplate) {
    setTemplate(t);
    setForm(fromTemplate(t, form.flagKey));
  }
  const templateCards = useRadioCards({ values: SLO_TEMPLATES, value: template, onChange: pickTemplate });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      environment: env,
      name: form.name,
      flagKey: form.flagKey || null,
      successRateTarget: form.objective == null ? undefined : asJsonNumber(form.objective / 100),
      windowDays: form.windowDays,
      latencyP50MsMax: slo?.latencyP50MsMax ?? null,
      latencyP95MsMax: asJsonNumber(form.latencyP95MsMax),
      latencyP99MsMax: slo?.latencyP99MsMax ?? null,
      costPerRequestUsdMax: asJsonNumber(form.costPerRequestUsdMax),
      costPerDayUsdMax: slo?.costPerDayUsdMax ?? null,
      policies: form.policies,
    } as SloBodyInput;
    const issues = schemaIssues(sloBodySchema, body);
    setClientIssues(issues);
    if (issues.length) {
      mutation.reset();
      focusFirstInvalid(formRef.current);
      return;
    }
    const saved = await mutation.mutateAsync(body).catch(() => null);
    if (saved) {
      onSaved?.(saved.id);
      onClose();
    } else focusFirstInvalid(formRef.current);
  }

  const setPolicy = (i: number, p: BreachPolicy) => patch({ policies: form.policies.map((x, j) => (j === i ? p : x)) });

  return (
    <>
      <form ref={formRef} id={FORM_ID} className="form-stack" onSubmit={submit} noValidate data-testid="slo-form">
        {!slo && (
          <div className={styles.templates} {...templateCards.group} aria-label="Template">
            {SLO_TEMPLATES.map((t) => (
              <button key={t} {...templateCards.card(t)} className={cx(styles.template, template === t && styles.templateSelected)}>
                <strong>{TEMPLATE_LABELS[t].title}</strong>
                <span className="small muted">{TEMPLATE_LABELS[t].text}</span>
              </button>
            ))}
            <button type="button" role="radio" aria-checked={false} disabled tabIndex={-1} className={styles.template} aria-describedby="quality-template-reason">
              <strong>Quality score</strong>
              <span className="small muted" id="quality-template-reason">
                Not available as an SLO: SLOs read per-flag requests, latency and cost, which carry no quality scores. Gate a rollout on quality score instead.
              </span>
            </button>
          </div>
        )}
        <div className={styles.twoCols}>
          <Field label="Name" error={errors.name}>
            {(p) => <Input {...p} value={form.name} maxLength={100} onChange={(e) => patch({ name: e.target.value })} />}
          </Field>
          <Field label="Flag" error={errors.flagKey} hint="Or the whole environment.">
            {(p) => (
              <Select {...p} value={form.flagKey} onChange={(e) => patch({ flagKey: e.target.value })}>
                <option value="">Whole environment</option>
                {flags.data?.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.key}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <div className={styles.threeCols}>
          <Field label="Objective: success rate (%)" error={errors.successRateTarget} hint="e.g. 99.5; the rest is the error budget.">
            {(p) => <NumberInput {...p} value={form.objective} onValue={(v) => patch({ objective: v })} />}
          </Field>
          <Field label="Window" error={errors.windowDays}>
            {(p) => (
              <Select {...p} value={form.windowDays} onChange={(e) => patch({ windowDays: Number(e.target.value) === 7 ? 7 : 28 })}>
                <option value={28}>28 days</option>
                <option value={7}>7 days</option>
              </Select>
            )}
          </Field>
          <div />
          <Field label="p95 latency ceiling (ms)" error={errors.latencyP95MsMax} hint="Blank: no ceiling.">
            {(p) => <NumberInput {...p} value={form.latencyP95MsMax} onValue={(v) => patch({ latencyP95MsMax: v })} />}
          </Field>
          <Field label="Cost per request ceiling (USD)" error={errors.costPerRequestUsdMax} hint="Blank: no ceiling.">
            {(p) => <NumberInput {...p} value={form.costPerRequestUsdMax} onValue={(v) => patch({ costPerRequestUsdMax: v })} />}
          </Field>
        </div>

        <div className="form-stack">
          <h3 className={styles.sectionTitle}>Breach policies</h3>
          {errors.policies && <p className="field-error">{errors.policies}</p>}
          {form.policies.map((policy, i) => (
            <fieldset key={i} className={styles.policyRow} aria-label={`Policy ${i + 1}`}>
              <Field label="When" error={errors[`policies.${i}.on`]}>
                {(p) => (
                  <Select {...p} value={policy.on} onChange={(e) => setPolicy(i, { ...policy, on: e.target.value as BreachTrigger })}>
                    {BREACH_TRIGGERS.map((t) => (
                      <option key={t} value={t}>
                        {TRIGGER_LABELS[t]}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <div>
                <div className={styles.policyActions} role="group" aria-label={`Policy ${i + 1} actions`}>
                  {BREACH_ACTIONS.map((a) => (
                    <label key={a}>
                      <input
                        type="checkbox"
                        checked={policy.actions.includes(a)}
                        onChange={(e) => {
                          const actions: BreachAction[] = e.target.checked ? BREACH_ACTIONS.filter((x) => x === a || policy.actions.includes(x)) : policy.actions.filter((x) => x !== a);
                          setPolicy(i, { ...policy, actions, variant: actions.includes("circuit_break_variant") ? policy.variant : undefined });
                        }}
                      />
                      {ACTION_LABELS[a]}
                    </label>
                  ))}
                </div>
                {(errors[`policies.${i}.actions`] || errors[`policies.${i}`]) && <p className="field-error">{errors[`policies.${i}.actions`] ?? errors[`policies.${i}`]}</p>}
                {policy.actions.includes("circuit_break_variant") && (
                  <Field label="Variant to cut off" error={errors[`policies.${i}.variant`]}>
                    {(p) => (
                      <Select {...p} value={policy.variant ?? ""} onChange={(e) => setPolicy(i, { ...policy, variant: e.target.value || undefined })}>
                        <option value="">Choose…</option>
                        {variants.map((v) => (
                          <option key={v.key} value={v.key}>
                            {v.key}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                )}
              </div>
              <Button size="sm" variant="ghost" onClick={() => patch({ policies: form.policies.filter((_, j) => j !== i) })} aria-label={`Remove policy ${i + 1}`}>
                Remove
              </Button>
            </fieldset>
          ))}
          <div>
            <Button size="sm" onClick={() => patch({ policies: [...form.policies, { on: "budget_exhausted", actions: ["notify"] }] })}>
              Add policy
            </Button>
          </div>
        </div>
        {formLevel && <ErrorPanel error={formLevel} compact />}
      </form>
      <div className="dialog-footer">
        <Button onClick={onClose} disabled={mutation.isPending}>
          Cancel
        </Button>
        <Button type="submit" form={FORM_ID} variant="primary" loading={mutation.isPending} data-testid="slo-save">
          {slo ? "Save SLO" : "Create SLO"}
        </Button>
      </div>
    </>
  );
}

/**
 * A typed number for the JSON body. NaN (not a number typed) would turn into null and silently
 * clear a ceiling, so it is sent as the text "NaN": the server refuses it and names the field.
 */
function asJsonNumber(v: number | null): number | null {
  if (v == null) return null;
  return Number.isNaN(v) ? ("NaN" as unknown as number) : Number(v.toPrecision(12));
}

/**
 * Field problems by path: the full path ("policies.0.variant") and, for top-level fields, the
 * field name alone; the first message per key wins.
 */
function pathErrors(problems: readonly { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problems) {
    out[e.path] ??= e.message;
    const parts = e.path.split(".");
    if (parts[0] === "policies" && parts.length > 2) out[parts.slice(0, 3).join(".")] ??= e.message;
    if (parts[0] !== "policies" || parts.length === 1) out[parts[0] ?? "_"] ??= e.message;
  }
  return out;
}
