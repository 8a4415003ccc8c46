"use client";
import Link from "next/link";
import { useState } from "react";
import { ROLLOUT_STATES, ROLLOUT_STRATEGIES, formatBasisPoints, type RolloutState, type RolloutStrategy } from "@/lib/domain/rollouts";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatRelative } from "@/lib/client/format";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { useRollouts, type RolloutFilters } from "@/lib/client/hooks/rollouts";
import { ButtonLink } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Input, Select } from "../ui/field";
import { IconPlus, IconRollouts } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import { RequiredApprovalsSetting } from "./required-approvals-setting";
import { STATE_LABELS, STRATEGY_LABELS } from "./labels";
import { RolloutStateBadge } from "./state-badge";

const ACTIVE: RolloutState[] = ["running", "paused", "awaiting_approval"];

/** Rollouts → list: every rollout of the environment with its state and stage, filterable. */
export function RolloutsClient({ canWrite, canManageSettings }: { canWrite: boolean; canManageSettings: boolean }) {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  const [state, setState] = useState<string>("");
  const [strategy, setStrategy] = useState<string>("");
  const [flagKey, setFlagKey] = useState("");
  const filters: RolloutFilters = {
    state: state === "active" ? ACTIVE : state ? [state as RolloutState] : undefined,
    strategy: (strategy || undefined) as RolloutStrategy | undefined,
    flagKey: flagKey.trim() || undefined,
  };
  const rollouts = useRollouts(env, filters);
  const filtered = Boolean(state || strategy || flagKey.trim());
  // eslint-disable-next-line react-hooks/purity -- ages shown in the list are as of this render
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Rollouts"
        description={
          <>
            Gradual replacements of a flag&apos;s model or prompt in <strong>{envName}</strong>, promoted stage by stage and rolled back in one click.
          </>
        }
        actions={
          canWrite ? (
            <ButtonLink href={withEnvironment("/rollouts/new", env)} variant="primary" icon={<IconPlus size={16} />}>
              New rollout
            </ButtonLink>
          ) : undefined
        }
      />
      <Card>
        <div className="filters" role="search" style={{ gridTemplateColumns: "repeat(3, minmax(160px, 240px))" }}>
          <Field label="State">
            {(p) => (
              <Select {...p} value={state} onChange={(e) => setState(e.target.value)} data-testid="filter-state">
                <option value="">All states</option>
                <option value="active">Active (running, paused, awaiting approval)</option>
                {ROLLOUT_STATES.map((s) => (
                  <option key={s} value={s}>
                    {STATE_LABELS[s]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Strategy">
            {(p) => (
              <Select {...p} value={strategy} onChange={(e) => setStrategy(e.target.value)} data-testid="filter-strategy">
                <option value="">All strategies</option>
                {ROLLOUT_STRATEGIES.map((s) => (
                  <option key={s} value={s}>
                    {STRATEGY_LABELS[s]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Flag key">{(p) => <Input {...p} value={flagKey} onChange={(e) => setFlagKey(e.target.value)} placeholder="support-bot.model" spellCheck={false} />}</Field>
        </div>
        {rollouts.isPending ? (
          <div className="pad">
            <SkeletonRows rows={4} columns={6} />
          </div>
        ) : rollouts.isError ? (
          <div className="pad">
            <ErrorPanel error={rollouts.error} onRetry={() => void rollouts.refetch()} />
          </div>
        ) : rollouts.data.length === 0 ? (
          <EmptyState
            icon={<IconRollouts size={24} />}
            title={filtered ? "No rollout matches these filters" : `No rollouts in ${envName} yet`}
            action={
              canWrite && !filtered ? (
                <ButtonLink href={withEnvironment("/rollouts/new", env)} variant="primary" icon={<IconPlus size={16} />}>
                  New rollout
                </ButtonLink>
              ) : undefined
            }
          >
            {filtered ? (
              <p>Clear a filter to see more.</p>
            ) : (
              <p>
                A rollout moves a flag&apos;s traffic from its current variant to a new one as a shadow, canary, A/B or blue-green release, with bake times, sample minimums and reviewer approvals at
                each stage.
              </p>
            )}
          </EmptyState>
        ) : (
          <Table data-testid="rollouts-table" label="Rollouts">
            <thead>
              <tr>
                <Th>Flag</Th>
                <Th>Strategy</Th>
                <Th>State</Th>
                <Th>Stage</Th>
                <Th>Treatment</Th>
                <Th>Variants</Th>
                <Th>Updated</Th>
              </tr>
            </thead>
            <tbody>
              {rollouts.data.map((r) => (
                <tr key={r.id} data-testid="rollout-row" data-flag={r.flagKey}>
                  <Td>
                    <Link className="link mono" href={withEnvironment(`/rollouts/${r.id}`, env)}>
                      {r.flagKey}
                    </Link>
                  </Td>
                  <Td>{STRATEGY_LABELS[r.strategy as RolloutStrategy] ?? r.strategy}</Td>
                  <Td>
                    <RolloutStateBadge state={r.state} />
                  </Td>
                  <Td className="nowrap">
                    {r.currentStageIndex + 1} of {r.stageCount} <span className="muted">({r.stageLabel})</span>
                  </Td>
                  <Td className="nowrap">
                    {formatBasisPoints(r.servedSplit.trafficBasisPoints)}
                    {r.servedSplit.shadowSampleBasisPoints > 0 && <span className="muted"> + shadow {formatBasisPoints(r.servedSplit.shadowSampleBasisPoints)}</span>}
                  </Td>
                  <Td className="nowrap">
                    <code>{r.controlVariant}</code> → <code>{r.treatmentVariant}</code>
                  </Td>
                  <Td className="nowrap muted">{formatRelative(r.updatedAt, now)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <RequiredApprovalsSetting canEdit={canManageSettings} />
    </>
  );
}
