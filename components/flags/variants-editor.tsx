"use client";
import { MAX_VARIANTS } from "@/lib/schemas/flags";
import { Badge } from "../ui/badge";
import { WithDisabledReason } from "../ui/disabled-reason";
import { Button } from "../ui/button";
import { cx } from "../ui/cx";
import { Field, Input } from "../ui/field";
import { IconPlus } from "../ui/icons";
import { KIND_HINTS, PAYLOAD_TEMPLATES, emptyVariant, errorAt, setVariantKey, type FlagDraft, type PathErrors } from "./flag-draft";
import styles from "./flags.module.css";

/** Why a payload text cannot be sent, checked as the person types; null when it parses to an object. */
function payloadProblem(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? null : "The payload must be a JSON object ({ … }).";
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
}

/**
 * The variants of a flag: key, description and JSON payload each, added from the kind's
 * template. Renaming a variant renames it in the default, fallback and rules too.
 */
export function VariantsEditor({
  draft,
  onChange,
  errors,
  lockedVariants = [],
}: {
  draft: FlagDraft;
  onChange: (next: FlagDraft) => void;
  errors: PathErrors;
  /** Variants the active rollout uses: they cannot be removed. */
  lockedVariants?: readonly string[];
}) {
  const update = (index: number, patch: Partial<FlagDraft["variants"][number]>) => onChange({ ...draft, variants: draft.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) });

  const remove = (index: number) => {
    const key = draft.variants[index]?.key;
    const variants = draft.variants.filter((_, i) => i !== index);
    const first = variants[0]?.key ?? "";
    onChange({
      ...draft,
      variants,
      defaultVariant: draft.defaultVariant === key ? first : draft.defaultVariant,
      fallbackVariant: draft.fallbackVariant === key ? first : draft.fallbackVariant,
    });
  };

  return (
    <div className="form-stack">
      <p className="muted small">{KIND_HINTS[draft.kind]}</p>
      <ol className={styles.list} data-testid="variants">
        {draft.variants.map((v, i) => {
          const n = i + 1;
          const liveProblem = payloadProblem(v.payloadText);
          const payloadError = liveProblem ?? errorAt(errors, `variants.${i}.payload`);
          const keyError = errorAt(errors, `variants.${i}.key`);
          const locked = v.key !== "" && lockedVariants.includes(v.key);
          return (
            <li key={v.id} className={cx(styles.item, (payloadError || keyError) && styles.itemInvalid)} data-testid="variant" data-variant={v.key}>
              <div className={styles.itemHead}>
                <span className={styles.itemTitle}>
                  <span className={styles.number}>{n}</span>
                  <span className="mono">{v.key || "New variant"}</span>
                  {v.key && v.key === draft.defaultVariant && <Badge tone="info">default</Badge>}
                  {v.key && v.key === draft.fallbackVariant && <Badge tone="warning">fallback</Badge>}
                  {locked && <Badge tone="accent">in rollout</Badge>}
                </span>
                <span className={styles.itemTools}>
                  <WithDisabledReason reason={locked ? "The active rollout uses this variant." : draft.variants.length <= 1 ? "A flag needs at least one variant." : null}>
                    {(describedBy) => (
                      <Button size="sm" variant="ghost" onClick={() => remove(i)} disabled={draft.variants.length <= 1 || locked} aria-describedby={describedBy} aria-label={`Remove variant ${n}`}>
                        Remove
                      </Button>
                    )}
                  </WithDisabledReason>
                </span>
              </div>
              <div className={styles.itemBody}>
                <div className={styles.variantGrid}>
                  <div className={styles.variantMeta}>
                    <Field label="Key" error={keyError}>
                      {(p) => (
                        <Input
                          {...p}
                          aria-label={`Variant ${n} key`}
                          className="mono"
                          value={v.key}
                          maxLength={64}
                          spellCheck={false}
                          placeholder={draft.kind === "model" ? "gpt-4o" : draft.kind === "prompt" ? "v1" : "on"}
                          onChange={(e) => onChange(setVariantKey(draft, i, e.target.value))}
                        />
                      )}
                    </Field>
                    <Field label="Description (optional)" error={errorAt(errors, `variants.${i}.description`)}>
                      {(p) => <Input {...p} aria-label={`Variant ${n} description`} value={v.description} maxLength={1000} onChange={(e) => update(i, { description: e.target.value })} />}
                    </Field>
                  </div>
                  <Field label="Payload (JSON)" error={payloadError}>
                    {(p) => (
                      <textarea
                        {...p}
                        aria-label={`Variant ${n} payload`}
                        className={cx("input", styles.textarea, styles.code)}
                        rows={Math.min(12, Math.max(5, v.payloadText.split("\n").length))}
                        spellCheck={false}
                        value={v.payloadText}
                        onChange={(e) => update(i, { payloadText: e.target.value })}
                      />
                    )}
                  </Field>
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      {errors.variants && <p className="field-error">{errors.variants}</p>}
      <div className={styles.addRow}>
        <Button
          size="sm"
          icon={<IconPlus size={14} />}
          onClick={() => onChange({ ...draft, variants: [...draft.variants, emptyVariant(draft.kind)] })}
          disabled={draft.variants.length >= MAX_VARIANTS}
        >
          Add variant
        </Button>
        <span className="muted small">New variants start from the {draft.kind} template.</span>
      </div>
    </div>
  );
}

/** Replaces payloads still equal to the old kind's template with the new kind's. */
export function switchKind(draft: FlagDraft, kind: FlagDraft["kind"]): FlagDraft {
  const old = PAYLOAD_TEMPLATES[draft.kind];
  return { ...draft, kind, variants: draft.variants.map((v) => (v.payloadText === old ? { ...v, payloadText: PAYLOAD_TEMPLATES[kind] } : v)) };
}
