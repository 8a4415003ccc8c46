"use client";
import { formatDuration, formatBasisPoints } from "@/lib/domain/rollouts";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { formatDateTime } from "@/lib/client/format";
import { stageDisplayStatus, type StageDisplayStatus } from "@/lib/domain/rollouts/ending";
import { Badge, type BadgeTone } from "../ui/badge";
import { IconCheck } from "../ui/icons";
import styles from "./rollouts.module.css";

const BADGE: Record<StageDisplayStatus, { tone: BadgeTone; label: (state: string) => string }> = {
  done: { tone: "success", label: () => "Done" },
  current: { tone: "accent", label: () => "Current" },
  next: { tone: "neutral", label: () => "Next" },
  ended_here: { tone: "danger", label: (state) => (state === "aborted" ? "Aborted here" : "Rolled back here") },
  not_reached: { tone: "neutral", label: () => "Not reached" },
};

/**
 * The plan as a timeline: done stages with when they ran, the current one with its bake time
 * remaining and samples so far per arm, and the next ones with what they will require. Once the
 * rollout has ended no stage is current: it ended at one, later ones were not reached.
 */
export function StageTimeline({ rollout }: { rollout: RolloutDetail }) {
  const active = ["running", "paused", "awaiting_approval"].includes(rollout.state);
  return (
    <ol className={styles.timeline} data-testid="stage-timeline">
      {rollout.stages.map((s) => {
        const status = stageDisplayStatus(rollout.state, s.status);
        const current = status === "current";
        const badge = BADGE[status];
        return (
          <li key={s.index} className={`${styles.timelineItem} ${current && active ? styles.timelineCurrent : ""}`} data-testid="stage" data-status={status} data-index={s.index}>
            <span className={`${styles.dot} ${status === "done" ? styles.dotDone : current ? styles.dotCurrent : ""}`} aria-hidden>
              {status === "done" ? <IconCheck size={14} /> : s.index + 1}
            </span>
            <div>
              <div className={styles.stageHead}>
                <span>
                  Stage {s.index + 1}: {s.label}
                </span>
                <Badge tone={badge.tone}>{badge.label(rollout.state)}</Badge>
                {s.requiresApproval && <Badge tone="warning">Needs approval</Badge>}
              </div>
              <div className={styles.stageMeta}>
                <span>Treatment {formatBasisPoints(s.trafficBasisPoints)}</span>
                {s.shadowSampleBasisPoints > 0 && <span>Shadow {formatBasisPoints(s.shadowSampleBasisPoints)}</span>}
                <span>Bake {formatDuration(s.minBakeSeconds)}</span>
                <span>Min. samples {s.minSamplesPerArm.toLocaleString()} per arm</span>
                {s.startedAt && <span>Started {formatDateTime(s.startedAt)}</span>}
                {s.endedAt && <span>Ended {formatDateTime(s.endedAt)}</span>}
              </div>
              {current && active && <CurrentStageProgress rollout={rollout} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function CurrentStageProgress({ rollout }: { rollout: RolloutDetail }) {
  const p = rollout.progress;
  const bakePct = p.minBakeSeconds === 0 ? 100 : Math.min(100, (p.bakeElapsedSeconds / p.minBakeSeconds) * 100);
  const samplePct = p.minSamplesPerArm === 0 ? 100 : Math.min(100, (p.samples / p.minSamplesPerArm) * 100);
  return (
    <div data-testid="stage-progress">
      <div className={styles.progressRow}>
        <div className={styles.progressLabel}>
          <span>Bake time</span>
          <span data-testid="bake-remaining">
            {p.bakeRemainingSeconds > 0 ? `${formatDuration(p.bakeRemainingSeconds)} remaining of ${formatDuration(p.minBakeSeconds)}` : `elapsed (${formatDuration(p.minBakeSeconds)} required)`}
          </span>
        </div>
        <div className={styles.progress} aria-hidden>
          <div className={styles.progressFill} style={{ width: `${bakePct}%` }} />
        </div>
      </div>
      <div className={styles.progressRow}>
        <div className={styles.progressLabel}>
          <span>Samples {p.sampleBasis === "control_only" ? "(control outcomes)" : p.sampleBasis === "treatment_only" ? "(treatment outcomes)" : "(outcomes of the smaller arm)"}</span>
          <span data-testid="samples">
            {p.samples.toLocaleString()} of {p.minSamplesPerArm.toLocaleString()} · control {p.outcomes.control.toLocaleString()}, treatment {p.outcomes.treatment.toLocaleString()}
          </span>
        </div>
        <div className={styles.progress} aria-hidden>
          <div className={styles.progressFill} style={{ width: `${samplePct}%` }} />
        </div>
      </div>
    </div>
  );
}
