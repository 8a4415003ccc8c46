"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { describeGateRule, effectiveMinSamples } from "@/lib/domain/gates";
import { ROLLOUT_STRATEGIES, describeStage, formatDuration, strategyTemplate, type RolloutStrategy, type StagePlan } from "@/lib/domain/rollouts";
import { api, isApiError } from "@/lib/client/api";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useCreateRollout, useFlagOptions, useRequiredApprovals, type CommandAnswer } from "@/lib/client/hooks/rollouts";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { useRadioCards } from "../ui/radio-cards";
import { Field, Select } from "../ui/field";
import { IconFlags } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { STRATEGY_DESCRIPTIONS, STRATEGY_LABELS } from "./labels";
import styles from "./rollouts.module.css";
import { hasGateErrors } from "./gates-editor";
import { STAGE_FIELDS, planFieldErrors } from "@/lib/client/plan-errors";
import { StagesEditor } from "./stages-editor";

const STEPS = ["Flag", "Variants", "Strategy", "Stages", "Review"] as const;

/**
 * New rollout: pick the flag, the treatment (control is the flag's default), a strategy whose
 * template fills the stages, edit them, review and create — as a draft or started at once.
 */
export function NewRolloutWizard() {
  const env = useEnvironmentKey();
  const router = useRouter();
  const search = useSearchParams();
  const flags = useFlagOptions(env);
  const approvalsSetting = useRequiredApprovals();
  const create = useCreateRollout();

  const [step, setStep] = useState(0);
  const [flagKey, setFlagKey] = useState(search.get("flag") ?? "");
  const [treatment, setTreatment] = useState("");
  const [strategy, setStrategy] = useState<RolloutStrategy>("canary");
  const [stages, setStages] = useState<StagePlan[]>(() => strategyTemplate("canary"));
  const [description, setDescription] = useState("");
  const [requiredApprovals, setRequiredApprovals] = useState<number | null>(null);
  const [newSalt, setNewSalt] = useState(false);
  const [autoAdvance, setAutoAdvance] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const flag = flags.data?.find((f) => f.key === flagKey);
  const control = flag?.defaultVariant ?? "";
  const treatments = flag?.variants.filter((v) => v.key !== control) ?? [];

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a newly chosen flag needs a treatment among its own variants
    if (flag && !treatments.some((v) => v.key === treatment)) setTreatment(treatments[0]?.key ?? "");
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the chosen flag changes, not when the treatment does
  }, [flagKey, flags.data]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the setting's default arrives once the query answers, and only fills an untouched field
    if (requiredApprovals === null && approvalsSetting.data !== undefined) setRequiredApprovals(approvalsSetting.data);
  }, [approvalsSetting.data, requiredApprovals]);

  const planErrors = useMemo(() => planFieldErrors(strategy, stages), [strategy, stages]);
  const planErrorCount = Object.keys(planErrors).length;
  // What has no cell of its own in the stages table (e.g. the strategy's shape) is said in the summary.
  const unplaced = Object.entries(planErrors).filter(([path]) => !STAGE_FIELDS.some((f) => new RegExp(`^stages\\.\\d+\\.${f}$`).test(path)));

  const gatesInvalid = stages.some((s) => hasGateErrors(s.gates));
  const canNext = [Boolean(flag), Boolean(treatment), true, planErrorCount === 0 && !gatesInvalid, true][step];

  function pickStrategy(s: RolloutStrategy) {
    setStrategy(s);
    setStages(strategyTemplate(s));
  }
  const strategyCards = useRadioCards({ values: ROLLOUT_STRATEGIES, value: strategy, onChange: pickStrategy });

  async function submit(start: boolean) {
    setStartError(null);
    const detail = await create
      .mutateAsync({
        environment: env,
        flagKey,
        strategy,
        controlVariant: control,
        treatmentVariant: treatment,
        stages,
        autoAdvance,
        newSalt,
        description: description.trim() || undefined,
        ...(requiredApprovals ? { requiredApprovals } : {}),
      })
      .catch(() => null);
    if (!detail) return;
    if (start) {
      setStarting(true);
      try {
        await api.post<CommandAnswer>(`/api/v1/rollouts/${detail.id}/start`, { expectedVersion: detail.version });
      } catch (e) {
        // The draft exists; say why it did not start and let the person start it from its page.
        setStartError(e);
        setStarting(false);
        return;
      }
    }
    router.push(withEnvironment(`/rollouts/${detail.id}`, env));
  }

  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment("/rollouts", env)}>
            Rollouts
          </Link>
        }
        title="New rollout"
        description="Replace a flag's current variant with a new one, stage by stage. The rollout is created as a draft; nothing changes for users until it starts."
      />
      <ol className={styles.steps} aria-label="Steps">
        {STEPS.map((name, i) => (
          <li key={name} className={cx(styles.step, i === step && styles.stepActive, i < step && styles.stepDone)} aria-current={i === step ? "step" : undefined}>
            {i + 1}. {name}
          </li>
        ))}
      </ol>

      {step === 0 && (
        <Card>
          <CardHeader title="Which flag?" description="The decision services ask Rollgate for, e.g. support-bot.model." />
          <CardBody>
            {flags.isPending ? (
              <SkeletonRows rows={2} columns={2} />
            ) : flags.isError ? (
              <ErrorPanel error={flags.error} onRetry={() => void flags.refetch()} />
            ) : flags.data.length === 0 ? (
              <EmptyState
                icon={<IconFlags size={22} />}
                title="No flags in this environment"
                action={
                  <Link className="link" href={withEnvironment("/flags", env)}>
                    Go to flags →
                  </Link>
                }
              >
                A rollout changes what a flag serves; create the flag with both variants first.
              </EmptyState>
            ) : (
              <Field label="Flag" hint={flag ? `Serves ${flag.defaultVariant} by default; ${flag.variants.length} variants.` : undefined}>
                {(p) => (
                  <Select {...p} value={flagKey} onChange={(e) => setFlagKey(e.target.value)} data-testid="wizard-flag">
                    <option value="">Choose a flag…</option>
                    {flags.data.map((f) => (
                      <option key={f.key} value={f.key}>
                        {f.key} ({f.kind})
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            )}
          </CardBody>
        </Card>
      )}

      {step === 1 && flag && (
        <Card>
          <CardHeader title="Control and treatment" description="Control is what everyone gets today: the flag's default variant. A rollback returns everyone to it." />
          <CardBody>
            <div className="form-stack">
              <Field label="Control (current default)">
                {(p) => (
                  <Select {...p} value={control} disabled>
                    <option value={control}>{control}</option>
                  </Select>
                )}
              </Field>
              <Field label="Treatment (the new variant)" hint={treatments.length === 0 ? "This flag has no other variant; add one on the flag first." : undefined}>
                {(p) => (
                  <Select {...p} value={treatment} onChange={(e) => setTreatment(e.target.value)} data-testid="wizard-treatment">
                    {treatments.map((v) => (
                      <option key={v.key} value={v.key}>
                        {v.key}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
          </CardBody>
        </Card>
      )}

      {step === 2 && (
        <Card>
          <CardHeader title="Strategy" description="Choosing one fills the stages with its template; you can edit them next." />
          <CardBody>
            <div className={styles.choices} {...strategyCards.group} aria-label="Strategy">
              {ROLLOUT_STRATEGIES.map((s) => (
                <button key={s} {...strategyCards.card(s)} className={cx(styles.choice, strategy === s && styles.choiceSelected)} data-testid={`strategy-${s}`}>
                  <span className={styles.choiceTitle}>{STRATEGY_LABELS[s]}</span>
                  <span className={styles.choiceText}>{STRATEGY_DESCRIPTIONS[s]}</span>
                </button>
              ))}
            </div>
          </CardBody>
        </Card>
      )}

      {step === 3 && (
        <Card>
          <CardHeader
            title="Stages"
            description="Treatment share of users, shadow sample of requests, how long each stage bakes, the samples each arm needs, and whether a reviewer must approve leaving it."
            actions={
              <Button size="sm" variant="ghost" onClick={() => setStages(strategyTemplate(strategy))}>
                Reset to template
              </Button>
            }
          />
          <CardBody flush>
            <StagesEditor strategy={strategy} stages={stages} onChange={setStages} errors={planErrors} />
            {gatesInvalid && (
              <div className="pad">
                <div className="alert alert-danger" role="alert" data-testid="gates-error">
                  A gate has an invalid field (shown under it): fix it to continue.
                </div>
              </div>
            )}
            {planErrorCount > 0 && (
              <div className="pad">
                <div className="alert alert-danger" role="alert" data-testid="plan-error">
                  {planErrorCount - unplaced.length > 0 && (
                    <p>{planErrorCount - unplaced.length === 1 ? "A stage field needs fixing" : `${planErrorCount - unplaced.length} stage fields need fixing`}: each says what is wrong under it.</p>
                  )}
                  {unplaced.map(([path, message]) => (
                    <p key={path}>{message}</p>
                  ))}
                </div>
              </div>
            )}
          </CardBody>
        </Card>
      )}

      {step === 4 && flag && (
        <Card>
          <CardHeader title="Review" description="Check the plan, then create it. Starting applies stage 1 to live traffic at once." />
          <CardBody>
            <div className="form-stack">
              <dl className="kv" data-testid="wizard-review">
                <dt>Flag</dt>
                <dd>
                  <code>{flag.key}</code> in {env}
                </dd>
                <dt>Variants</dt>
                <dd>
                  <code>{control}</code> → <code>{treatment}</code>
                </dd>
                <dt>Strategy</dt>
                <dd>{STRATEGY_LABELS[strategy]}</dd>
                <dt>Stages</dt>
                <dd>
                  <ol style={{ margin: 0, paddingLeft: 18 }}>
                    {stages.map((s, i) => (
                      <li key={i}>
                        {describeStage(stages, i)} · bake {formatDuration(s.minBakeSeconds)} · {effectiveMinSamples(s).perArm} samples per arm
                        {s.requiresApproval && " · needs approval"}
                        <ul className="small muted" style={{ margin: 0, paddingLeft: 16 }} data-testid={`review-gates-${i + 1}`}>
                          {s.gates.map((g) => (
                            <li key={g.name}>{describeGateRule(g)}</li>
                          ))}
                        </ul>
                      </li>
                    ))}
                  </ol>
                </dd>
              </dl>
              <Field label="Description (optional)">
                {(p) => (
                  <textarea {...p} className="input" rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Why this change, what to watch" />
                )}
              </Field>
              <Field label="Approvals per gated stage" hint="Defaults to the admin policy.">
                {(p) => (
                  <Select {...p} value={requiredApprovals ?? 1} onChange={(e) => setRequiredApprovals(Number(e.target.value))}>
                    {[1, 2, 3, 4, 5].map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <label className="checkbox">
                <input type="checkbox" checked={newSalt} onChange={(e) => setNewSalt(e.target.checked)} />
                <span>
                  <span className="checkbox-label">Reshuffle users (new salt)</span>
                  <span className="checkbox-description">Off keeps the flag&apos;s bucketing, so users keep the arm they had in earlier rollouts.</span>
                </span>
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={autoAdvance} onChange={(e) => setAutoAdvance(e.target.checked)} />
                <span>
                  <span className="checkbox-label">Auto-advance</span>
                  <span className="checkbox-description">Let the background evaluator promote once bake time, samples and gates allow (approvals still apply).</span>
                </span>
              </label>
              {create.isError && <ErrorPanel error={create.error} compact />}
              {startError != null && (
                <div className="alert alert-danger" role="alert">
                  The draft was created but did not start: {isApiError(startError) ? startError.problem.detail : String(startError)}{" "}
                  <Link className="link" href={withEnvironment(`/rollouts/${create.data?.id ?? ""}`, env)}>
                    Open it
                  </Link>
                </div>
              )}
            </div>
          </CardBody>
        </Card>
      )}

      <div className={styles.wizardFooter}>
        <Button onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0 || create.isPending || starting}>
          Back
        </Button>
        {step < STEPS.length - 1 ? (
          <Button variant="primary" onClick={() => setStep((s) => s + 1)} disabled={!canNext} data-testid="wizard-next">
            Next: {STEPS[step + 1]}
          </Button>
        ) : (
          <div className={styles.actions}>
            <Button onClick={() => submit(false)} loading={create.isPending && !starting} disabled={starting} data-testid="wizard-create">
              Create draft
            </Button>
            <Button variant="primary" onClick={() => submit(true)} loading={starting} disabled={create.isPending} data-testid="wizard-create-start">
              Create and start
            </Button>
          </div>
        )}
      </div>
    </>
  );
}
