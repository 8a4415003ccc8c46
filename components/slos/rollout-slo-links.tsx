"use client";
import Link from "next/link";
import { withEnvironment } from "@/lib/client/environment";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { usePromotionFreeze, useSlos } from "@/lib/client/hooks/slos";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { HEALTH_LABELS, sloHealth } from "./labels";
import styles from "./slos.module.css";

/**
 * On a rollout's page: the SLOs that can freeze its promotions (the flag's and the
 * environment-wide ones with a freeze_promotions policy), each with its state, and — when one
 * freezes them now — the server's reason, naming the SLO, that a promotion would be refused with.
 */
export function RolloutSloLinks({ rollout }: { rollout: Pick<RolloutDetail, "environment" | "flag"> }) {
  const env = rollout.environment.key;
  const slos = useSlos(env);
  const freeze = usePromotionFreeze(env, rollout.flag.key);
  const covering = (slos.data ?? []).filter((s) => (s.flagKey === null || s.flagKey === rollout.flag.key) && s.policies.some((p) => p.actions.includes("freeze_promotions")));
  return (
    <Card data-testid="rollout-slos">
      <CardHeader title="SLOs" description="SLOs whose breach policies can freeze this rollout's promotions." />
      <CardBody>
        {freeze.data?.active && (
          <div className="alert alert-danger" role="status" data-testid="rollout-slo-freeze">
            Promotions frozen: {freeze.data.reason}
          </div>
        )}
        {slos.isPending ? (
          <p className="muted small">Loading…</p>
        ) : covering.length === 0 ? (
          <p className="muted small">
            No SLO can freeze this rollout.{" "}
            <Link className="link" href={withEnvironment("/slos", env)}>
              Define one
            </Link>
          </p>
        ) : (
          <ul className={styles.plainList}>
            {covering.map((s) => {
              const health = sloHealth(s.status);
              return (
                <li key={s.id}>
                  <Link className="link" href={withEnvironment(`/slos/${s.id}`, env)}>
                    {s.name}
                  </Link>{" "}
                  <Badge tone={HEALTH_LABELS[health].tone}>{HEALTH_LABELS[health].text}</Badge>
                  {freeze.data?.sloIds.includes(s.id) && <span className="small"> · freezes promotions now</span>}
                </li>
              );
            })}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
