"use client";
import { environmentLabel, useEnvironmentKey } from "@/lib/client/environment";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { Card, CardBody } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { IconSlo } from "../ui/icons";
import { PageHeader } from "../ui/page-header";

export function SlosClient() {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  return (
    <>
      <PageHeader title="SLOs" description="Latency, success-rate and cost targets, the error budget left, and what happens when it runs out." />
      <Card>
        <CardBody>
          <EmptyState icon={<IconSlo size={24} />} title={`No SLOs defined for ${envName}`}>
            <p>
              An SLO sets ceilings for latency and cost and a success-rate target over 7 or 28 days. Once one exists, this page shows its remaining
              error budget and burn rate; when the budget is exhausted, promotions freeze and active rollouts can roll back on their own.
            </p>
          </EmptyState>
        </CardBody>
      </Card>
    </>
  );
}
