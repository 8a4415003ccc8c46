"use client";
import Link from "next/link";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { PERMISSIONS } from "@/lib/domain/auth/permissions";
import { RecentActivity } from "../audit/recent-activity";
import { ActiveRollouts } from "../rollouts/active-rollouts";
import { PendingApprovals } from "../rollouts/pending-approvals";
import { Badge, RoleBadges } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorPanel } from "../ui/error-panel";
import { IconShield } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { PERMISSION_LABELS } from "./permission-labels";

/** The landing screen: what is in flight in the selected environment and what happened lately. */
export function OverviewClient({ roles, permissions, canReadAudit, canApprove }: { roles: string[]; permissions: string[]; canReadAudit: boolean; canApprove: boolean }) {
  const env = useEnvironmentKey();
  const environments = useEnvironments();
  const envName = environmentLabel(env, environments.data);

  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            What is changing in <strong>{envName}</strong> right now, and what happened recently.
          </>
        }
      />

      <div className="grid grid-2">
        <ActiveRollouts />
        <PendingApprovals canApprove={canApprove} />
      </div>

      <div className="grid grid-main-side">
        <Card>
          <CardHeader
            title="Recent activity"
            description="The latest entries of the audit trail, across all environments."
            actions={
              canReadAudit ? (
                <Link className="link" href={withEnvironment("/audit", env)}>
                  Open audit log →
                </Link>
              ) : undefined
            }
          />
          <CardBody flush>{canReadAudit ? <RecentActivity environments={environments.data} /> : <p className="muted pad">Your roles do not include reading the audit trail.</p>}</CardBody>
        </Card>

        <div className="stack">
          <Card>
            <CardHeader title="Environments" description="Each has its own flags, rollouts, SLOs and API keys." />
            <CardBody flush>
              {environments.isPending ? (
                <div className="pad">
                  <SkeletonRows rows={2} columns={2} />
                </div>
              ) : environments.isError ? (
                <div className="pad">
                  <ErrorPanel error={environments.error} compact onRetry={() => void environments.refetch()} />
                </div>
              ) : (
                <ul className="list" data-testid="environment-list">
                  {environments.data.map((e) => (
                    <li key={e.id} className="list-item">
                      <span className={`env-dot env-dot-${e.key === "production" ? "production" : "other"}`} aria-hidden />
                      <span className="list-item-main">
                        <span className="list-item-title">{e.name}</span>
                        <code className="muted small">{e.key}</code>
                      </span>
                      {e.key === env ? (
                        <Badge tone="accent">Selected</Badge>
                      ) : (
                        <Link className="link small" href={withEnvironment("/", e.key)}>
                          Switch
                        </Link>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Your access" />
            <CardBody>
              <div className="access-roles">
                <IconShield size={18} />
                <RoleBadges roles={roles} />
              </div>
              <ul className="checklist">
                {PERMISSIONS.filter((p) => permissions.includes(p)).map((p) => (
                  <li key={p}>{PERMISSION_LABELS[p]}</li>
                ))}
              </ul>
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}
