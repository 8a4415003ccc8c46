"use client";
import { defaultGatesForStage } from "@/lib/domain/gates/defaults";
import { formatBasisPoints, type RolloutStrategy, type StagePlan } from "@/lib/domain/rollouts";
import { Button } from "../ui/button";
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
 * carries its strategy's default gates, recomputed as its traffic, shadow share or bake changes
 * (they depend on them), and listed per row.
 */
export function StagesEditor({ strategy, stages, onChange }: { strategy: RolloutStrategy; stages: StagePlan[]; onChange: (s: StagePlan[]) => void }) {
  const fixedShape = strategy === "blue_green" || strategy === "ab_test";
  const withGates = (s: StagePlan): StagePlan => ({ ...s, gates: defaultGatesForStage(strategy, s) });
  const set = (i: number, patch: Partial<StagePlan>) => onChange(stages.map((s, j) => (j === i ? withGates({ ...s, ...patch }) : s)));
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
            return (
              <tr key={i} data-testid="stage-row">
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
                  />
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
                  />
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
                    />
                    <Select
                      aria-label={`Stage ${n} bake unit`}
                      value={unit}
                      onChange={(e) => set(i, { minBakeSeconds: (s.minBakeSeconds / unit) * Number(e.target.value) })}
                    >
                      {UNITS.map((u) => (
                        <option key={u.seconds} value={u.seconds}>
                          {u.label}
                        </option>
                      ))}
                    </Select>
                  </div>
                </Td>
                <Td>
                  <Input
                    type="number"
                    min={0}
                    step={1}
                    aria-label={`Stage ${n} minimum samples per arm`}
                    value={String(s.minSamplesPerArm)}
                    onChange={(e) => set(i, { minSamplesPerArm: Math.max(0, Math.round(Number.parseFloat(e.target.value) || 0)) })}
                  />
                </Td>
                <Td>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      aria-label={`Stage ${n} requires approval`}
                      checked={s.requiresApproval}
                      onChange={(e) => set(i, { requiresApproval: e.target.checked })}
                    />
                    <span className="small">Reviewer</span>
                  </label>
                </Td>
                <Td className="small" data-testid="stage-gates">
                  {s.gates.length === 0 ? <span className="muted">none</span> : s.gates.map((g) => `${g.name}${g.critical ? " (critical)" : ""}`).join(", ")}
                </Td>
                {!fixedShape && (
                  <Td>
                    <Button size="sm" variant="ghost" disabled={stages.length <= 1} onClick={() => onChange(stages.filter((_, j) => j !== i))} aria-label={`Remove stage ${n}`}>
                      Remove
                    </Button>
                  </Td>
                )}
              </tr>
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
                  ? [...stages.slice(0, -1), withGates({ ...next, trafficBasisPoints: stages[stages.length - 2]?.trafficBasisPoints ?? 0 }), last!]
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
