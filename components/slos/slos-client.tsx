"use client";
import Link from "next/link";
import { useId, useState } from "react";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { useMe } from "@/lib/client/hooks/use-me";
import { useSlos, type Slo } from "@/lib/client/hooks/slos";
import { formatTarget } from "@/lib/domain/slo";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Select } from "../ui/field";
import { IconSlo } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import { BudgetBar } from "./budget-bar";
import { BurnRates } from "./burn-rates";
import { ACTION_SHORT, HEALTH_LABELS, TRIGGER_SHORT, sloHealth } from "./labels";
import { SloFormDialog } from "./slo-form-dialog";
import styles from "./slos.module.css";

export const NEEDS_SLO_WRITE = "Read-only: creating and editing SLOs needs the operator role (permission slo.write).";

/**
 * The environment's SLOs, optionally for one flag: objective, window, error budget left, burn
 * rates of each alert's short and long windows against its threshold, status, and the alerts
 * firing now. Operators create SLOs from templates; viewers read, with the reason shown.
 */
export function SlosClient() {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  const slos = useSlos(env);
  const canWrite = Boolean(useMe().data?.permissions.includes("slo.write"));
  const readOnlyId = useId();
  const [flag, setFlag] = useState("");
  const [creating, setCreating] = useState(false);
  const flagKeys = [...new Set((slos.data ?? []).map((s) => s.flagKey).filter((k): k is string => Boolean(k)))].sort();
  const shown = (slos.data ?? []).filter((s) => !flag || s.flagKey === flag || (flag === "*" && !s.flagKey));

  return (
    <>
      <PageHeader
        title="SLOs"
        description="Success-rate objectives with their error budget, latency and cost ceilings, burn-rate alerts, and what happens on a breach."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!canWrite} aria-describedby={canWrite ? undefined : readOnlyId} data-testid="new-slo">
            New SLO
          </Button>
        }
      />
      {!canWrite && (
        <p className="muted small" id={readOnlyId} data-testid="slo-read-only">
          {NEEDS_SLO_WRITE}
        </p>
      )}
      <Card>
        <CardBody>
          {slos.isPending ? (
            <SkeletonRows rows={3} columns={5} />
          ) : slos.isError ? (
            <ErrorPanel error={slos.error} onRetry={() => void slos.refetch()} />
          ) : slos.data.length === 0 ? (
            <EmptyState icon={<IconSlo size={24} />} title={`No SLOs defined for ${envName}`}>
              <p>
                An SLO sets a success-rate objective over 7 or 28 days, and optional latency and cost ceilings. Once one exists, this page shows its remaining error budget and burn rates; its breach
                policies can freeze promotions, roll back active rollouts or switch a flag to its fallback.
              </p>
            </EmptyState>
          ) : (
            <div className="form-stack">
              <Field label="Flag">
                {(p) => (
                  <Select {...p} value={flag} onChange={(e) => setFlag(e.target.value)} className={styles.flagFilter}>
                    <option value="">All SLOs</option>
                    <option value="*">Whole environment</option>
                    {flagKeys.map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Table data-testid="slo-list" label="SLOs">
                <thead>
                  <tr>
                    <Th>SLO</Th>
                    <Th>Objective</Th>
                    <Th>Budget remaining</Th>
                    <Th>Burn rate (short / long window vs threshold)</Th>
                    <Th>Status</Th>
                    <Th>Alerts now</Th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((slo) => (
                    <SloRow key={slo.id} slo={slo} env={env} />
                  ))}
                </tbody>
              </Table>
            </div>
          )}
        </CardBody>
      </Card>
      {canWrite && <SloFormDialog open={creating} onClose={() => setCreating(false)} env={env} />}
    </>
  );
}

function SloRow({ slo, env }: { slo: Slo; env: string }) {
  const health = sloHealth(slo.status);
  const firing = slo.status.triggers.filter((t) => t.firing);
  return (
    <tr data-testid="slo-row" data-slo-name={slo.name}>
      <Td>
        <Link className="link" href={withEnvironment(`/slos/${slo.id}`, env)}>
          <strong>{slo.name}</strong>
        </Link>
        <div className="small muted">{slo.flagKey ? <code>{slo.flagKey}</code> : "whole environment"}</div>
      </Td>
      <Td className="small" style={{ minWidth: 170 }}>
        <div>
          {formatTarget(slo.successRateTarget)} success over {slo.windowDays} days
        </div>
        {slo.latencyP95MsMax != null && <div>p95 ≤ {slo.latencyP95MsMax} ms</div>}
        {slo.costPerRequestUsdMax != null && <div>≤ ${slo.costPerRequestUsdMax} per request</div>}
        {slo.policies.length > 0 && <div className="muted">{slo.policies.map((p) => `${TRIGGER_SHORT[p.on]} → ${p.actions.map((a) => ACTION_SHORT[a]).join(", ")}`).join("; ")}</div>}
      </Td>
      <Td style={{ minWidth: 200 }}>
        <BudgetBar remaining={slo.status.budget.remainingFraction} text={slo.status.budget.text} />
      </Td>
      <Td>
        <BurnRates alerts={slo.status.alerts} />
      </Td>
      <Td>
        <Badge tone={HEALTH_LABELS[health].tone} data-testid="slo-status">
          {HEALTH_LABELS[health].text}
        </Badge>
      </Td>
      <Td className="small nowrap" data-testid="slo-alerts">
        {firing.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className={styles.plainList}>
            {firing.map((t) => (
              <li key={t.trigger} title={t.reason ?? undefined}>
                <strong>{TRIGGER_SHORT[t.trigger]}</strong>
                {t.since && <span className="muted"> since {new Date(t.since).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</span>}
              </li>
            ))}
          </ul>
        )}
      </Td>
    </tr>
  );
}
