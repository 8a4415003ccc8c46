"use client";
import { useEffect, useState } from "react";
import type { CreatedApiKey } from "@/lib/client/hooks/api-keys";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { IconCheck } from "../ui/icons";
import styles from "./api-keys.module.css";

/**
 * The one time a key is visible: Rollgate keeps only its SHA-256, so once this closes nobody can
 * show it again. The key lives only in this component's props and is dropped on close. A stray
 * click on the backdrop or Escape does not close it: only the explicit "I have copied it".
 */
export function KeyShownOnceDialog({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new key starts with no copy attempt
  useEffect(() => setCopied(null), [created]);

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <Dialog
      open={created !== null}
      onClose={() => undefined}
      title="Copy your new API key"
      description="Store it in the service's secret store now."
      width={560}
      footer={
        <Button variant="primary" onClick={onClose}>
          I have copied it
        </Button>
      }
    >
      {created && (
        <div className="form-stack">
          <p className={styles.warning} role="note">
            <strong>You will not see this key again.</strong> Rollgate stores only a hash of it. If it is lost, create a new key and revoke this one.
          </p>
          <p className="small">
            Key <strong>{created.name}</strong> for <strong>{created.environment.key}</strong>, scopes {created.scopes.join(", ")}:
          </p>
          <code className={styles.secret} data-testid="api-key-secret" aria-label="API key">
            {created.key}
          </code>
          <div className={styles.copyRow}>
            <Button size="sm" onClick={() => void copy()} icon={copied === "yes" ? <IconCheck size={14} /> : undefined}>
              {copied === "yes" ? "Copied" : "Copy to clipboard"}
            </Button>
            {copied === "failed" && <span className="small muted">Could not reach the clipboard; select the key and copy it yourself.</span>}
          </div>
          <p className="small muted">
            Send it as <code>Authorization: Bearer {created.prefix}…</code> or <code>X-API-Key</code>.
          </p>
        </div>
      )}
    </Dialog>
  );
}
