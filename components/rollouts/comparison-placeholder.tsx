import { Card, CardBody, CardHeader } from "../ui/card";
import styles from "./rollouts.module.css";

/**
 * The reserved place of the old-vs-new comparison. It stays honest: no charts or verdicts until
 * services report outcomes for this rollout.
 */
export function ComparisonPlaceholder() {
  return (
    <Card data-testid="comparison-placeholder">
      <CardHeader title="Comparison charts and verdicts" description="Control vs treatment: success rate, latency p50/p95/p99, cost per request, tokens, feedback, quality." />
      <CardBody>
        <div className={styles.placeholder}>
          Charts and statistical verdicts appear here once services report outcome metrics for this rollout (<code>POST /api/v1/events</code> with the{" "}
          <code>rolloutId</code> and <code>arm</code> from each assignment). Nothing is shown until real data arrives.
        </div>
      </CardBody>
    </Card>
  );
}
