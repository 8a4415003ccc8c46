"use client";
import Link from "next/link";
import { useState } from "react";
import { defaultGateMinSamples, defaultGatesForStage, effectiveMinSamples, parseStoredGates, type GateSpec } from "@/lib/domain/gates";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useUpdateDraftGates } from "@/lib/client/hooks/draft-gates";
import { useMe } from "@/lib/client/hooks/use-me";
import { useRollout, type RolloutDetail } from "@/lib/client/hooks/rollouts";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorPanel } from "../ui/error-panel";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { GatesEditor, hasGateErrors } from "./gates-editor";

const NEEDS_WRITE = "Read-only: editing gates needs the operator role (permission rollout.write).";

/** A draft rollout's gates, stage by stage, editable until it starts; each stage saves on its own. */
export function DraftGatesClient({ id }: { id: string }) {
  const env = useEnvironmentKey();
  const rollout = useRollout(id);
  const me = useMe().data;
  const canWrite = Boolean(me?.permissions.includes("rollout.write"));
  const promql = me?.features?.promql ?? false;
  if (rollout.isPending) return <SkeletonRows rows={4} columns={3} />;
  if (rollout.isError) return <ErrorPanel error={rollout.error} onRetry={() => void rollout.refetch()} />;
  const r = rollout.data;
  const draft = r.state === "draft";
  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment(`/rollouts/${id}`, env)}>
            Rollout of {r.flag.key}
          </Link>
        }
        title="Gates"
        description="What must hold to leave each stage. A critical gate that fails rolls the rollout back; any other pauses it for a human."
      />
      {!draft && (
        <p className="alert" role="note" data-testid="gates-locked">
          This rollout is {r.state}: its gates are what it is judged by and can no longer change. Gates are edited in the wizard or while a rollout is a draft.
        </p>
      )}
      {draft && !canWrite && (
        <p className="muted small" data-testid="gates-read-only">
          {NEEDS_WRITE}
        </p>
      )}
      <div className="stack">
        {r.stages.map((s) => (
          <StageGates key={`${s.index}-${r.version}`} rollout={r} stage={s} editable={draft && canWrite} promql={promql} />
        ))}
      </div>
    </>
  );
}

function StageGates({ rollout, stage, editable, promql }: { rollout: RolloutDetail; stage: RolloutDetail["stages"][number]; editable: boolean; promql: boolean }) {
  const stored = parseStoredGates(stage.gates).gates;
  const [gates, setGates] = useState<GateSpec[]>(stored);
  const save = useUpdateDraftGates(rollout.id);
  const n = stage.index + 1;
  const changed = JSON.stringify(gates) !== JSON.stringify(stored);
  const effective = effectiveMinSamples({ minSamplesPerArm: stage.minSamplesPerArm, gates });
  return (
    <Card data-testid={`draft-stage-${n}`}>
      <CardHeader
        title={`Stage ${n} · ${stage.label}`}
        description={effective.explanation ? `Effective minimum: ${effective.explanation}` : `${effective.perArm} samples per arm before the stage can be left.`}
        actions={
          editable && (
            <Button variant="primary" size="sm" disabled={!changed || hasGateErrors(gates)} loading={save.isPending} onClick={() => save.mutate({ stage: n, gates, expectedVersion: rollout.version })}>
              Save stage {n} gates
            </Button>
          )
        }
      />
      <CardBody>
        <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
          <GatesEditor
            stageNumber={n}
            gates={gates}
            promql={promql}
            defaultMinSamples={defaultGateMinSamples(stage)}
            onChange={setGates}
            onReset={() => setGates(defaultGatesForStage(rollout.strategy, stage))}
          />
        </fieldset>
        {save.isError && <ErrorPanel error={save.error} compact />}
      </CardBody>
    </Card>
  );
}
