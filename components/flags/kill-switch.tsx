"use client";
import { useEffect, useId, useState } from "react";
import { MAX_KILL_SWITCH_REASON_CHARS } from "@/lib/schemas/flags";
import { formatDateTime } from "@/lib/client/format";
import { useKillSwitch } from "@/lib/client/hooks/flags";
import type { FlagView } from "@/lib/client/types";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { WithDisabledReason } from "../ui/disabled-reason";
import { ErrorPanel } from "../ui/error-panel";
import styles from "./flags.module.css";
import { NEEDS_WRITE } from "./labels";

type Mode = "engage" | "release";

/** The red banner while the kill switch is on: who gets what, why, and the way back. */
export function KillSwitchBanner({ flag, canKill, onTurnOff }: { flag: FlagView; canKill: boolean; onTurnOff: () => void }) {
  if (!flag.killSwitch) return null;
  return (
    <div className={styles.killBanner} role="alert" data-testid="kill-switch-banner">
      <div>
        <strong className={styles.killBannerTitle}>Kill switch on: everyone gets {flag.fallbackVariant}</strong>
        <p className={styles.killBannerText}>
          Rules, the default variant and any rollout are bypassed; evaluation answers <code>KILL_SWITCH</code>.
          {flag.killSwitchReason && (
            <>
              {" "}
              Reason: <q data-testid="kill-switch-reason-text">{flag.killSwitchReason}</q>
            </>
          )}
        </p>
      </div>
      <WithDisabledReason reason={canKill ? null : NEEDS_WRITE}>
        {(describedBy) => (
          <Button variant="secondary" onClick={onTurnOff} disabled={!canKill} aria-describedby={describedBy} data-testid="kill-switch-off">
            Turn off
          </Button>
        )}
      </WithDisabledReason>
    </div>
  );
}

/** Side panel: one button that serves the fallback to everyone now (after a confirmation with a reason). */
export function KillSwitchPanel({ flag, canKill, onEngage, onTurnOff }: { flag: FlagView; canKill: boolean; onEngage: () => void; onTurnOff: () => void }) {
  return (
    <Card>
      <CardHeader title="Kill switch" description="Returns everyone to the safe variant in seconds, without a deploy." />
      <CardBody>
        {flag.killSwitch ? (
          <>
            <p className={styles.panelText}>
              <strong className="text-danger">On</strong> since {formatDateTime(flag.updatedAt)}: every context gets <code>{flag.fallbackVariant}</code>.
            </p>
            <WithDisabledReason reason={canKill ? null : NEEDS_WRITE}>
              {(describedBy) => (
                <Button onClick={onTurnOff} disabled={!canKill} aria-describedby={describedBy} data-testid="kill-switch-off-panel">
                  Turn off kill switch
                </Button>
              )}
            </WithDisabledReason>
          </>
        ) : (
          <>
            <p className={styles.panelText}>
              Off. Engaging it serves the fallback variant <code>{flag.fallbackVariant}</code> to every context, ahead of rules and rollouts. It is audited and notifies webhooks.
            </p>
            <WithDisabledReason reason={canKill ? null : NEEDS_WRITE} testId="kill-switch-disabled-reason">
              {(describedBy) => (
                <Button variant="danger" onClick={onEngage} disabled={!canKill} aria-describedby={describedBy} data-testid="kill-switch-engage">
                  Engage kill switch
                </Button>
              )}
            </WithDisabledReason>
          </>
        )}
      </CardBody>
    </Card>
  );
}

/**
 * Confirms engaging (reason required) or releasing (reason optional) the kill switch, naming
 * the effect first. Errors stay in the dialog.
 */
export function KillSwitchDialog({ flag, env, mode, onClose, onDone }: { flag: FlagView; env: string; mode: Mode | null; onClose: () => void; onDone: (notice: string) => void }) {
  const mutation = useKillSwitch(env, flag.key);
  const [reason, setReason] = useState("");
  const reasonId = useId();

  useEffect(() => {
    if (mode) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- resets the form each time the dialog opens (its state lives above the dialog's content)
      setReason("");
      mutation.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the dialog opens, not when the mutation object changes
  }, [mode]);

  const engage = mode === "engage";
  const missing = engage && reason.trim() === "";

  async function confirm() {
    const ok = await mutation.mutateAsync({ enabled: engage, ...(reason.trim() ? { reason: reason.trim() } : {}) }).catch(() => null);
    if (!ok) return;
    onDone(engage ? `Kill switch on: everyone gets ${flag.fallbackVariant} now.` : "Kill switch off: rules, the default variant and rollouts decide again.");
    onClose();
  }

  return (
    <Dialog
      open={mode !== null}
      onClose={mutation.isPending ? () => undefined : onClose}
      title={engage ? `Engage the kill switch on ${flag.key}?` : `Turn off the kill switch on ${flag.key}?`}
      width={520}
      footer={
        <>
          <Button onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button variant={engage ? "danger" : "primary"} onClick={confirm} loading={mutation.isPending} disabled={missing} data-testid="kill-switch-confirm">
            {engage ? "Engage kill switch" : "Turn off"}
          </Button>
        </>
      }
    >
      <p data-testid="kill-switch-effect">
        {engage ? (
          <>
            <strong>Everyone gets {flag.fallbackVariant} now.</strong> Targeting rules, the default variant
            {flag.activeRollout ? " and the active rollout" : ""} are bypassed until you turn it off.
          </>
        ) : (
          <>
            <strong>{flag.activeRollout ? "Targeting rules, the default variant and the active rollout" : "Targeting rules and the default variant"} decide again now.</strong> Contexts stop getting{" "}
            {flag.fallbackVariant} unless a rule or the default serves it.
          </>
        )}
      </p>
      <div className="field">
        <label className="field-label" htmlFor={reasonId}>
          Reason {engage ? "(required)" : "(optional)"}
        </label>
        <textarea
          id={reasonId}
          className={`input ${styles.textarea}`}
          rows={3}
          maxLength={MAX_KILL_SWITCH_REASON_CHARS}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={engage ? "What is wrong? Recorded in the audit log and sent to webhooks." : "Recorded in the audit log."}
          data-testid="kill-switch-reason"
          // eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog's first field takes the focus when it opens
          autoFocus
        />
      </div>
      {mutation.isError && <ErrorPanel error={mutation.error} compact />}
    </Dialog>
  );
}
