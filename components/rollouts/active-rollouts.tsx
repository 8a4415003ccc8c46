"use client";
import Link from "next/link";
import { formatBasisPoints, type RolloutStrategy } from "@/lib/domain/rollouts";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useRollouts } from "@/lib/client/hooks/rollouts";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconRollouts } from "../ui/icons";
import { SkeletonRows } from "../ui/skeleton";
import { STRATEGY_LABELS } from "./labels";
import { RolloutStateBadge } from "./state-badge";

const ACTIVE = ["running" as const, "paused" as const, "awaiting_approval" as const];

/** Overview card: the environment's running, paused and waiting rollouts with stage and split. */
export function ActiveRollouts() {
  const env = useEnvironmentKey();
  const rollouts = useRollouts(env, { state: ACTIVE });
  return (
    <Card>
      <CardHeader title="Active rollouts" description="Rollouts that are running, paused or waiting for approval." />
      <CardBody flush={Boolean(rollouts.data?.length)}>
        {rollouts.isPending ? (
          <SkeletonRows rows={2} columns={3} />
        ) : rollouts.isError ? (
          <ErrorPanel error={rollouts.error} compact onRetry={() => void rollouts.refetch()} />
        ) : rollouts.data.length === 0 ? (
          <EmptyState icon={<IconRollouts size={22} />} title="No active rollouts">
            Start a rollout from Rollouts → New rollout; each one shows its stage and traffic split here.
          </EmptyState>
        ) : (
          <ul className="list" data-testid="active-rollouts">
            {rollouts.data.map((r) => (
              <li key={r.id} className="list-item">
                <span className="list-item-main">
                  <Link className="list-item-title link mono" href={withEnvironment(`/rollouts/${r.id}`, env)}>
                    {r.flagKey}
                  </Link>
                  <span className="muted small">
                    {STRATEGY_LABELS[r.strategy as RolloutStrategy] ?? r.strategy} · {r.stage} · treatment {formatBasisPoints(r.servedSplit.trafficBasisPoints)}
                  </span>
                </span>
                <RolloutStateBadge state={r.state} />
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
