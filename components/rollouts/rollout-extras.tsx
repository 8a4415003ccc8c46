"use client";
import Link from "next/link";
import { withEnvironment } from "@/lib/client/environment";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { RolloutSloLinks } from "../slos/rollout-slo-links";
import { Card, CardBody, CardHeader } from "../ui/card";

/**
 * Side panels of the rollout page kept out of its main component: the draft's gate editor link
 * and the SLOs that can freeze the rollout.
 */
export function RolloutExtras({ rollout }: { rollout: RolloutDetail }) {
  return (
    <>
      {rollout.state === "draft" && (
        <Card data-testid="draft-gates-link">
          <CardHeader title="Gates" description="Until the rollout starts, each stage's gates can still be added, removed and edited." />
          <CardBody>
            <Link className="link" href={withEnvironment(`/rollouts/${rollout.id}/gates`, rollout.environment.key)}>
              Edit gates →
            </Link>
          </CardBody>
        </Card>
      )}
      <RolloutSloLinks rollout={rollout} />
    </>
  );
}
