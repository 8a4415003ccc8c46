"use client";
import { useEffect, useId, useState } from "react";
import type { RolloutCommandType } from "@/lib/domain/rollouts";
import { describeCommandEffect } from "@/lib/domain/rollouts/command-effects";
import { useRolloutCommand, type RolloutDetail } from "@/lib/client/hooks/rollouts";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorPanel } from "../ui/error-panel";
import { toMachineState } from "./to-machine-state";

/**
 * Confirms one command: names its effect ("Roll back: 25% of traffic returns to gpt-4o now."),
 * takes a comment (required for reject and skip analysis), and sends the version the screen
 * shows, so acting on a stale screen is refused rather than doing something unexpected.
 */
export function CommandDialog({ rollout, command, onClose, onDone }: { rollout: RolloutDetail; command: RolloutCommandType | null; onClose: () => void; onDone: (summary: string) => void }) {
  const run = useRolloutCommand(rollout.id);
  const [comment, setComment] = useState("");
  const [version, setVersion] = useState(rollout.version);
  const commentId = useId();

  useEffect(() => {
    if (command) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- resets the form each time the dialog opens (its state lives above the dialog's content)
      setComment("");
      setVersion(rollout.version); // the version the person looked at when they clicked
      run.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the dialog opens: the version is the one the person saw when they clicked
  }, [command]);

  if (!command) return <Dialog open={false} onClose={onClose} title="" />;
  const text = describeCommandEffect(toMachineState(rollout), rollout, command);
  const missingComment = text.commentRequired && comment.trim() === "";

  async function confirm() {
    if (!command) return;
    const answer = await run.mutateAsync({ command, comment, expectedVersion: version }).catch(() => null);
    if (answer) {
      onDone(answer.summary);
      onClose();
    }
  }

  return (
    <Dialog
      open
      onClose={run.isPending ? () => undefined : onClose}
      title={`${text.label}?`}
      width={520}
      footer={
        <>
          <Button onClick={onClose} disabled={run.isPending}>
            Cancel
          </Button>
          <Button variant={text.tone} onClick={confirm} loading={run.isPending} disabled={missingComment} data-testid="confirm-command">
            {text.label}
          </Button>
        </>
      }
    >
      <p data-testid="command-effect">{text.effect}</p>
      <div className="field">
        <label className="field-label" htmlFor={commentId}>
          Comment {text.commentRequired ? "(required)" : "(optional)"}
        </label>
        <textarea
          id={commentId}
          className="input"
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={text.commentRequired ? "Why? This is recorded in the history and the audit log." : "Recorded in the history and the audit log."}
          data-testid="command-comment"
        />
      </div>
      {run.isError && <ErrorPanel error={run.error} compact />}
    </Dialog>
  );
}
