"use client";
import { environmentLabel, useEnvironmentKey } from "@/lib/client/environment";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { Card, CardBody } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { IconFlags } from "../ui/icons";
import { PageHeader } from "../ui/page-header";

export function FlagsClient() {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  return (
    <>
      <PageHeader title="Flags" description="The decisions your services ask Rollgate for: which model, which prompt, with which parameters." />
      <Card>
        <CardBody>
          <EmptyState icon={<IconFlags size={24} />} title={`No flags in ${envName} yet`}>
            <p>
              A flag such as <code>support-bot.model</code> holds the variants a service can be given, the targeting rules that choose between them,
              and a safe fallback for the kill switch. Flags created in {envName} will be listed here with their variants and state.
            </p>
          </EmptyState>
        </CardBody>
      </Card>
    </>
  );
}
