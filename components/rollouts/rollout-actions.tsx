"use client";
import { useId } from "react";
import type { RolloutCommandType } from "@/lib/domain/rollouts";
import { COMMAND_LABELS } from "@/lib/domain/rollouts/command-effects";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";
import { Button, type ButtonVariant } from "../ui/button";
import styles from "./rollouts.module.css";

const VARIANTS: Record<RolloutCommandType, ButtonVariant> = {
  start: "primary",
  promote: "primary",
  resume: "primary",
  approve: "primary",
  pause: "secondary",
  reject: "secondary",
  skip_analysis: "ghost",
  rollback: "danger",
  abort: "secondary",
};

/**
 * One button per command valid in the rollout's state. The server says which of them this user
 * may run (`actions`); the others stay visible but disabled, and why is written below them (each
 * reason once), tied to its buttons with aria-describedby.
 */
export function CommandButtons({
  rollout,
  only,
  except,
  onPick,
}: {
  rollout: RolloutDetail;
  only?: RolloutCommandType[];
  except?: RolloutCommandType[];
  onPick: (command: RolloutCommandType) => void;
}) {
  const baseId = useId();
  const actions = rollout.actions.filter((a) => (!only || only.includes(a.command)) && !except?.includes(a.command));
  if (actions.length === 0) return null;
  const reasons = [...new Set(actions.flatMap((a) => (!a.enabled && a.reason ? [a.reason] : [])))];
  const reasonId = (reason: string) => `${baseId}-reason-${reasons.indexOf(reason)}`;
  return (
    <div className={styles.actionsBlock}>
      <div className={styles.actions}>
        {actions.map((a) => (
          <span key={a.command} data-testid={`action-${a.command}`}>
            <Button
              variant={VARIANTS[a.command]}
              disabled={!a.enabled}
              aria-describedby={!a.enabled && a.reason ? reasonId(a.reason) : undefined}
              onClick={() => onPick(a.command)}
              data-testid={`command-${a.command}`}
            >
              {COMMAND_LABELS[a.command]}
            </Button>
          </span>
        ))}
      </div>
      {reasons.length > 0 && (
        <ul className={styles.disabledReasons} data-testid="disabled-reasons">
          {reasons.map((r) => (
            <li key={r} id={reasonId(r)}>
              {r}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
