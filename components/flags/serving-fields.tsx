"use client";
import { Field, Input, Select } from "../ui/field";
import { STICKINESS_PRESETS, errorAt, type FlagDraft, type PathErrors } from "./flag-draft";
import styles from "./flags.module.css";

/** What `Field` hands its control. */
type ControlProps = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

/** Default variant, fallback (safe) variant, stickiness attribute and the enabled state. */
export function ServingFields({ draft, onChange, errors }: { draft: FlagDraft; onChange: (next: FlagDraft) => void; errors: PathErrors }) {
  const keys = [...new Set(draft.variants.map((v) => v.key.trim()).filter(Boolean))];
  const variantSelect = (value: string, set: (key: string) => void, label: string) =>
    function VariantSelect(p: ControlProps) {
      return (
        <Select {...p} aria-label={label} value={keys.includes(value) ? value : ""} onChange={(e) => set(e.target.value)}>
          {!keys.includes(value) && <option value="">Choose a variant…</option>}
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </Select>
      );
    };

  return (
    <div className={styles.settingsGrid}>
      <Field label="Default variant" error={errorAt(errors, "defaultVariant")} hint="Served when no rule matches (and no rollout decides).">
        {variantSelect(draft.defaultVariant, (k) => onChange({ ...draft, defaultVariant: k }), "Default variant")}
      </Field>
      <Field label="Fallback (safe) variant" error={errorAt(errors, "fallbackVariant")} hint="Served to everyone while the kill switch is on or the flag is disabled.">
        {variantSelect(draft.fallbackVariant, (k) => onChange({ ...draft, fallbackVariant: k }), "Fallback variant")}
      </Field>
      <Field label="Stickiness" error={draft.stickinessChoice === "custom" ? undefined : errorAt(errors, "stickiness")} hint="The context attribute that keeps a user in the same bucket.">
        {(p) => (
          <Select {...p} aria-label="Stickiness" value={draft.stickinessChoice} onChange={(e) => onChange({ ...draft, stickinessChoice: e.target.value as FlagDraft["stickinessChoice"] })}>
            {STICKINESS_PRESETS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            <option value="custom">Another attribute…</option>
          </Select>
        )}
      </Field>
      {draft.stickinessChoice === "custom" ? (
        <Field label="Stickiness attribute" error={errorAt(errors, "stickiness")} hint="Any attribute your services send in the context, e.g. accountId.">
          {(p) => (
            <Input
              {...p}
              aria-label="Custom stickiness attribute"
              className="mono"
              value={draft.customStickiness}
              maxLength={64}
              spellCheck={false}
              placeholder="accountId"
              onChange={(e) => onChange({ ...draft, customStickiness: e.target.value })}
            />
          )}
        </Field>
      ) : (
        <div />
      )}
      <label className={`checkbox ${styles.span2}`}>
        <input type="checkbox" checked={draft.enabled} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} aria-label="Enabled" />
        <span>
          <span className="checkbox-label">Enabled</span>
          <span className="checkbox-description">
            A disabled flag serves its fallback variant to everyone (reason <code>DISABLED</code>); rules and rollouts are skipped.
          </span>
        </span>
      </label>
    </div>
  );
}
