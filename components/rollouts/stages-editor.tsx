"use client";
import { Fragment, useId, useState } from "react";
import { defaultGateMinSamples, defaultGatesForStage, effectiveMinSamples, type GateSpec } from "@/lib/domain/gates";
import { formatBasisPoints, type RolloutStrategy, type StagePlan } from "@/lib/domain/rollouts";
import type { FieldMessages } from "@/lib/client/field-errors";
import { useMe } from "@/lib/client/hooks/use-me";
import { Button } from "../ui/button";
import { GatesEditor, hasGateErrors } from "./gates-editor";
import { Input, Select } from "../ui/field";
import { Table, Td, Th } from "../ui/table";
import styles from "./rollouts.module.css";

const UNITS = [
  { seconds: 86_400, label: "days" },
  { seconds: 3_600, label: "hours" },
  { seconds: 60, label: "min" },
  { seconds: 1, label: "s" },
] as const;

/** The largest unit that expresses `seconds` exactly (0 → minutes, the usual unit to type). */
function unitFor(seconds: number): number {
  if (seconds === 0) return 60;
  return UNITS.find((u) => seconds % u.seconds === 0)?.seconds ?? 1;
}

/** Percent text ↔ basis points: "2.5" → 250; blanks and junk become 0. */
const toBasisPoints = (percent: string) => Math.round((Number.parseFloat(percent) || 0) * 100);
const toPercent = (bp: number) => String(bp / 100);

/**
 * The editable plan: one row per stage with treatment %, shadow %, bake time, minimum samples
 * per arm and whether leaving it needs a reviewer. Stages can be added or removed where the
 * strategy allows (canary, shadow); blue-green and A/B plans have a fixed shape. Each stage
 * starts with its strategy's default gates, recomputed as its traffic, shadow share, bake or
 * minimum samples change (they depend on them) until the gates are edited by hand; "Edit gates"
 * opens the stage's gate editor. Where stage and gate minimums differ, the row shows the
 * effective minimum per arm and why.
 */
export function StagesEditor({ strategy, stages, onChange, errors = {} }: { strategy: RolloutStrategy; stages: StagePlan[]; onChange: (s: StagePlan[]) => void; errors?: FieldMessages }) {
  const errorIdBase = useId();
  /** A cell's message (under its input) and the aria attributes tying the input to it. */
  const cell = (i: number, field: string) => {
    const message = errors[`stages.${i}.${field}`];
    const id = `${errorIdBase}-${i}-${field}`;
    return {
      input: message ? { "aria-invalid": true as const, "aria-describedby": id } : {},
      message: message ? (
        <div className={`field-error ${styles.cellError}`} id={id} data-testid="stage-field-error">
          {message}
        </div>
      ) : null,
    };
  };
  const fixedShape = strategy === "blue_green" || strategy === "ab_test";
  const promql = useMe().data?.features?.promql ?? false;
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (i: number) => setOpen((o) => (o.has(i) ? new Set([...o].filter((x) => x !== i)) : new Set([...o, i])));
  const withGates = (s: StagePlan): StagePlan => ({ ...s, gates: defaultGatesForStage(strategy, s) });
  const isDefault = (s: StagePlan) => JSON.stringify(s.gates) === JSON.stringify(defaultGatesForStage(strategy, s));
  // Gates edited by hand stay as they are when the stage's numbers change.
  const set = (i: number, patch: Partial<StagePlan>) => onChange(stages.map((s, j) => (j === i ? (isDefault(s) ? withGates({ ...s, ...patch }) : { ...s, ...patch }) : s)));
  const setGates = (i: number, gates: GateSpec[]) => onChange(stages.map((s, j) => (j === i ? { ...s, gates } : s)));
  const columns = fixedShape ? 7 : 8;
  return (
    <>
      <Table className={styles.stagesTable} data-testid="stages-editor">
        <thead>
          <tr>
            <Th>Stage</Th>
            <Th>Treatment %</Th>
            <Th>Shadow %</Th>
            <Th>Bake time</Th>
            <Th>Min. samples per arm</Th>
            <Th>Approval</Th>
            <Th>Gates</Th>
            {!fixedShape && (
              <Th>
                <span className="sr-only">Remove</span>
              </Th>
            )}
          </tr>
        </thead>
        <tbody>
          {stages.map((s, i) => {
            const n = i + 1;
            const unit = unitFor(s.minBakeSeconds);
            const effective = effectiveMinSamples(s);
            const invalid = hasGateErrors(s.gates);
            const [traffic, shadow, bake, samples] = [cell(i, "trafficBasisPoints"), cell(i, "shadowSampleBasisPoints"), cell(i, "minBakeSeconds"), cell(i, "minSamplesPerArm")];
            return (
              <Fragment key={i}>
                <tr data-testid="stage-row">
                  <Td className="nowrap">
                    {n}
                    <span className="muted small"> · {formatBasisPoints(s.trafficBasisPoints)}</span>
                  </Td>
                  <Td>
                    <Input
                      type="number"
                      min={0}
                      max={100}
                      step={0.01}
                      aria-label={`Stage ${n} treatment %`}
                      value={toPercent(s.trafficBasisPoints)}
                      disabled={strategy === "shadow"}
                      onChange={(e) => set(i, { trafficBasisPoints: toBasisPoints(e.target.value) })}
                      {...traffic.input}
                    />
                    {traffic.message}
                  </Td>
                  <Td>
                    <Input
                      type="number"
                      min={0}
                      max={100}
                      step={0.01}
                      aria-label={`Stage ${n} shadow %`}
                      value={toPercent(s.shadowSampleBasisPoints)}
                      onChange={(e) => set(i, { shadowSampleBasisPoints: toBasisPoints(e.target.value) })}
                      {...shadow.input}
                    />
                    {shadow.message}
                  </Td>
                  <Td>
                    <div className={styles.bake}>
                      <Input
                        type="number"
                        min={0}
                        step={1}
                        aria-label={`Stage ${n} bake time`}
                        value={String(s.minBakeSeconds / unit)}
                        onChange={(e) => set(i, { minBakeSeconds: Math.max(0, Math.round((Number.parseFloat(e.target.value) || 0) * unit)) })}
                        {...bake.input}
                      />
                      <Select aria-label={`Stage ${n} bake unit`} value={unit} onChange={(e) => set(i, { minBakeSeconds: (s.minBakeSeconds / unit) * Number(e.target.value) })}>
                        {UNITS.map((u) => (
                          <option key={u.seconds} value={u.seconds}>
                            {u.label}
                          </option>
                        ))}
                      </Select>
                    </div>
                    {bake.message}
                  </Td>
                  <Td>
                    <Input
                      type="number"
                      min={0}
                      step={1}
                      aria-label={`Stage ${n} minimum samples per arm`}
                      value={String(s.minSamplesPerArm)}
                      onChange={(e) => set(i, { minSamplesPerArm: Math.max(0, Math.round(Number.parseFloat(e.target.value) || 0)) })}
                      {...samples.input}
                    />
                    {samples.message}
                  </Td>
                  <Td>
                    <label className="checkbox">
                      <input type="checkbox" aria-label={`Stage ${n} requires approval`} checked={s.requiresApproval} onChange={(e) => set(i, { requiresApproval: e.target.checked })} />
                      <span className="small">Reviewer</span>
                    </label>
                  </Td>
                  <Td className="small" data-testid="stage-gates">
                    {s.gates.length === 0 ? <span className="muted">none</span> : s.gates.map((g) => `${g.name}${g.critical ? " (critical)" : ""}`).join(", ")}
                    {invalid && <span className="field-error"> · a gate needs fixing</span>}
                    <div>
                      <Button size="sm" variant="ghost" aria-expanded={open.has(i)} onClick={() => toggle(i)} data-testid={`edit-gates-${n}`}>
                        {open.has(i) ? "Close gates" : "Edit gates"}
                      </Button>
                    </div>
                    {effective.explanation && (
                      <span className={`muted ${styles.effective}`} data-testid={`effective-min-samples-${n}`}>
                        Effective minimum: {effective.explanation}
                      </span>
                    )}
                  </Td>
                  {!fixedShape && (
                    <Td>
                      <Button size="sm" variant="ghost" disabled={stages.length <= 1} onClick={() => onChange(stages.filter((_, j) => j !== i))} aria-label={`Remove stage ${n}`}>
                        Remove
                      </Button>
                    </Td>
                  )}
                </tr>
                {open.has(i) && (
                  <tr className={styles.gatesRow}>
                    <Td colSpan={columns}>
                      <GatesEditor
                        stageNumber={n}
                        gates={s.gates}
                        promql={promql}
                        defaultMinSamples={defaultGateMinSamples(s)}
                        onChange={(gates) => setGates(i, gates)}
                        onReset={() => setGates(i, defaultGatesForStage(strategy, s))}
                      />
                    </Td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </Table>
      {!fixedShape && (
        <div className="pad">
          <Button
            size="sm"
            disabled={stages.length >= 20}
            onClick={() => {
              const last = stages[stages.length - 1];
              const next: StagePlan = last ?? { trafficBasisPoints: 0, shadowSampleBasisPoints: 0, minBakeSeconds: 3600, minSamplesPerArm: 100, requiresApproval: false, gates: [] };
              // Insert before the last stage, so a canary keeps ending at 100%.
              onChange(
                strategy === "canary" && stages.length > 0
                  ? [...stages.slice(0, -1), withGates({ ...next, trafficBasisPoints: stages[stages.length - 2]?.trafficBasisPoints ?? 0 }), last]
                  : [...stages, withGates(next)],
              );
            }}
          >
            Add stage
          </Button>
        </div>
      )}
    </>
  );
}
