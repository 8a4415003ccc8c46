"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { useMe } from "@/lib/client/hooks/use-me";
import { useDeleteSlo, useSlo } from "@/lib/client/hooks/slos";
import { formatTarget } from "@/lib/domain/slo";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { ErrorPanel } from "../ui/error-panel";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { BudgetBar } from "./budget-bar";
import { BudgetChart } from "./budget-chart";
import { BurnRateChart } from "./burn-rate-chart";
import { BurnRates } from "./burn-rates";
import { ACTION_LABELS, HEALTH_LABELS, TRIGGER_LABELS, TRIGGER_SHORT, sloHealth } from "./labels";
import { SloFormDialog } from "./slo-form-dialog";
import { NEEDS_SLO_WRITE } from "./slos-client";
import styles from "./slos.module.css";

/**
 * One SLO: its budget and burn rates now and charted over time, the breach policies and what
 * they call for now, and the alert history. Operators edit or delete it; viewers read.
 */
export function SloDetailClient({ id }: { id: string }) {
  const env = useEnvironmentKey();
  const router = useRouter();
  const slo = useSlo(id);
  const canWrite = Boolean(useMe().data?.permissions.includes("slo.write"));
  const readOnlyId = useId();
  const remove = useDeleteSlo();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const back = (
    <Link className="link" href={withEnvironment("/slos", env)}>
      SLOs
    </Link>
  );

  if (slo.isPending) return <SkeletonRows rows={4} columns={3} />;
  if (slo.isError) return <ErrorPanel error={slo.error} onRetry={() => void slo.refetch()} />;
  const s = slo.data;
  const health = sloHealth(s.status);

  return (
    <>
      <PageHeader
        eyebrow={back}
        title={s.name}
        description={
          <>
            {s.flagKey ? (
              <>
                Flag <code>{s.flagKey}</code>
              </>
            ) : (
              "Whole environment"
            )}{" "}
            in <strong>{s.environment.key}</strong> · {formatTarget(s.successRateTarget)} success over {s.windowDays} days
          </>
        }
        actions={
          <>
            <Button onClick={() => setEditing(true)} disabled={!canWrite} aria-describedby={canWrite ? undefined : readOnlyId} data-testid="edit-slo">
              Edit
            </Button>
            <Button variant="danger" onClick={() => setDeleting(true)} disabled={!canWrite} aria-describedby={canWrite ? undefined : readOnlyId}>
              Delete
            </Button>
          </>
        }
      />
      {!canWrite && (
        <p className="muted small" id={readOnlyId} data-testid="slo-read-only">
          {NEEDS_SLO_WRITE}
        </p>
      )}
      <div className={styles.sloGrid}>
        <Card>
          <CardHeader
            title="Now"
            actions={
              <Badge tone={HEALTH_LABELS[health].tone} data-testid="slo-status">
                {HEALTH_LABELS[health].text}
              </Badge>
            }
          />
          <CardBody>
            <div className={styles.columns}>
              <div>
                <h3 className={styles.sectionTitle}>Error budget</h3>
                <BudgetBar remaining={s.status.budget.remainingFraction} text={s.status.budget.text} />
              </div>
              <div>
                <h3 className={styles.sectionTitle}>Burn rates (short / long window vs threshold)</h3>
                <BurnRates alerts={s.status.alerts} />
              </div>
            </div>
            {s.status.breaches.length > 0 && (
              <ul className={styles.plainList} data-testid="slo-breaches">
                {s.status.breaches.map((b) => (
                  <li key={b.metric}>{b.message}</li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
        <div className={styles.columns}>
          <Card>
            <CardHeader
              title={`Error budget over ${s.windowDays} days`}
              description="At each point, the budget left over the rolling window ending there; an overspent budget is drawn at −100% at most (hover for the exact value)."
            />
            <CardBody>
              <BudgetChart chart={s.budgetChart} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Burn rates, last 24 hours" description="How fast the budget is spent: 1× spends it exactly over the window." />
            <CardBody>
              <BurnRateChart chart={s.burnChart} />
            </CardBody>
          </Card>
        </div>
        <div className={styles.columns}>
          <Card>
            <CardHeader title="Breach policies" description="What happens when a trigger starts to hold." />
            <CardBody>
              {s.policies.length === 0 ? (
                <p className="muted small">None: breaches are shown here, nothing acts on them.</p>
              ) : (
                <ul className={styles.plainList} data-testid="slo-policies">
                  {s.policies.map((p, i) => (
                    <li key={i}>
                      <strong>{TRIGGER_LABELS[p.on]}</strong> → {p.actions.map((a) => ACTION_LABELS[a] + (a === "circuit_break_variant" && p.variant ? ` (${p.variant})` : "")).join(", ")}
                    </li>
                  ))}
                </ul>
              )}
              {s.status.actions.length > 0 && (
                <>
                  <h3 className={styles.sectionTitle} style={{ marginTop: 12 }}>
                    Called for now
                  </h3>
                  <ul className={styles.plainList} data-testid="slo-actions-now">
                    {s.status.actions.map((a) => (
                      <li key={a.action}>
                        <strong>{ACTION_LABELS[a.action]}</strong>: {a.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Alert history" description="The last 20 alerts fired and resolved." />
            <CardBody>
              {s.alertHistory.length === 0 ? (
                <p className="muted small">No alert so far.</p>
              ) : (
                <ul className={styles.plainList} data-testid="slo-alert-history">
                  {s.alertHistory.map((h, i) => (
                    <li key={i}>
                      <Badge tone={h.state === "fired" ? "danger" : "success"}>{h.state}</Badge> {TRIGGER_SHORT[h.trigger as keyof typeof TRIGGER_SHORT] ?? h.trigger} ·{" "}
                      {new Date(h.at).toLocaleString()}
                      {h.reason && <div className="muted">{h.reason}</div>}
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
          </Card>
        </div>
      </div>
      {canWrite && <SloFormDialog open={editing} onClose={() => setEditing(false)} env={s.environment.key} slo={s} />}
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete SLO “${s.name}”?`}
        description="Its policies stop acting at once (a promotion freeze it causes lifts). The audit log keeps the definition."
        footer={
          <>
            <Button onClick={() => setDeleting(false)}>Cancel</Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate(s.id, { onSuccess: () => router.push(withEnvironment("/slos", env)) })}>
              Delete
            </Button>
          </>
        }
      >
        {remove.isError && <ErrorPanel error={remove.error} compact />}
      </Dialog>
    </>
  );
}
