"use client";
import { formatBasisPoints } from "@/lib/domain/rollouts/format";
import { CONDITION_OPERATORS } from "@/lib/domain/flags/types";
import { MAX_CONDITIONS_PER_RULE, MAX_RULES } from "@/lib/schemas/flags";
import type { ConditionOperator, FlagActiveRollout } from "@/lib/client/types";
import { Button } from "../ui/button";
import { cx } from "../ui/cx";
import { Input, Select } from "../ui/field";
import { IconPlus } from "../ui/icons";
import {
  emptyCondition,
  emptyRule,
  errorAt,
  evenSplit,
  newId,
  percentToBasisPoints,
  splitTotal,
  valueInputFor,
  type ConditionDraft,
  type FlagDraft,
  type PathErrors,
  type RuleDraft,
  type ServeMode,
  type ValueType,
} from "./flag-draft";
import styles from "./flags.module.css";
import { OPERATOR_LABELS } from "./labels";

const SERVE_LABELS: Record<ServeMode, string> = {
  variant: "A variant",
  split: "A percentage split",
  rollout: "The active rollout",
};

function InlineError({ message }: { message?: string }) {
  return message ? (
    <p className={styles.inlineError} role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * Ordered targeting rules: the first rule whose conditions all hold decides; otherwise the
 * default rule does. Each rule serves a variant, a percentage split or the active rollout.
 */
export function RulesEditor({ draft, onChange, errors, activeRollout }: { draft: FlagDraft; onChange: (next: FlagDraft) => void; errors: PathErrors; activeRollout: FlagActiveRollout | null }) {
  const keys = [...new Set(draft.variants.map((v) => v.key.trim()).filter(Boolean))];
  // A draft rollout does not serve yet; evaluation only hands over to a started one.
  const liveRollout = activeRollout && activeRollout.state !== "draft" ? activeRollout : null;
  const setRules = (rules: RuleDraft[]) => onChange({ ...draft, rules });
  const updateRule = (index: number, patch: Partial<RuleDraft>) => setRules(draft.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const move = (index: number, by: -1 | 1) => {
    const rules = [...draft.rules];
    const [rule] = rules.splice(index, 1);
    rules.splice(index + by, 0, rule);
    setRules(rules);
  };
  const addRule = () => setRules([...draft.rules, emptyRule(keys.find((k) => k !== draft.defaultVariant) ?? draft.defaultVariant)]);

  return (
    <div className="form-stack">
      {draft.rules.length === 0 ? (
        <p className="muted small" data-testid="no-rules">
          No targeting rules: every context gets the default rule below. Add a rule to serve a variant to, say, <code>tier = enterprise</code> or a beta group first.
        </p>
      ) : (
        <ol className={styles.list} data-testid="rules">
          {draft.rules.map((rule, r) => (
            <RuleItem
              key={rule.id}
              rule={rule}
              index={r}
              count={draft.rules.length}
              variantKeys={keys}
              errors={errors}
              activeRollout={liveRollout}
              defaultVariant={draft.defaultVariant}
              onChange={(patch) => updateRule(r, patch)}
              onMove={(by) => move(r, by)}
              onRemove={() => setRules(draft.rules.filter((_, i) => i !== r))}
            />
          ))}
        </ol>
      )}
      <div className={styles.defaultRule} data-testid="default-rule">
        <strong>Otherwise</strong>
        <span>
          {liveRollout ? (
            <>
              the active rollout decides (<code>{liveRollout.controlVariant}</code> → <code>{liveRollout.treatmentVariant}</code> at {formatBasisPoints(liveRollout.trafficBasisPoints)})
            </>
          ) : (
            <>
              serve the default variant <code>{draft.defaultVariant || "—"}</code>
            </>
          )}
        </span>
      </div>
      <div className={styles.addRow}>
        <Button size="sm" icon={<IconPlus size={14} />} onClick={addRule} disabled={draft.rules.length >= MAX_RULES} data-testid="add-rule">
          Add rule
        </Button>
        <span className="muted small">Rules are checked top to bottom; the first match wins. Conditions in a rule must all hold.</span>
      </div>
    </div>
  );
}

function RuleItem({
  rule,
  index: r,
  count,
  variantKeys,
  errors,
  activeRollout,
  defaultVariant,
  onChange,
  onMove,
  onRemove,
}: {
  rule: RuleDraft;
  index: number;
  count: number;
  variantKeys: string[];
  errors: PathErrors;
  activeRollout: FlagActiveRollout | null;
  defaultVariant: string;
  onChange: (patch: Partial<RuleDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = r + 1;
  const setCondition = (c: number, patch: Partial<ConditionDraft>) => onChange({ conditions: rule.conditions.map((x, i) => (i === c ? { ...x, ...patch } : x)) });
  const invalid = Object.keys(errors).some((p) => p === `rules.${r}` || p.startsWith(`rules.${r}.`));

  function setMode(mode: ServeMode) {
    if (mode === "split" && rule.split.length === 0) onChange({ mode, split: evenSplit(variantKeys) });
    else if (mode === "variant" && !variantKeys.includes(rule.variant)) onChange({ mode, variant: variantKeys[0] ?? "" });
    else onChange({ mode });
  }

  const total = splitTotal(rule.split);

  return (
    <li className={cx(styles.item, invalid && styles.itemInvalid)} data-testid="rule" data-index={r}>
      <div className={styles.itemHead}>
        <span className={styles.itemTitle}>
          <span className={styles.number}>{n}</span>
          Rule {n}
        </span>
        <span className={styles.itemTools}>
          <Button size="sm" variant="ghost" onClick={() => onMove(-1)} disabled={r === 0} aria-label={`Move rule ${n} up`} title="Move up">
            ↑
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onMove(1)} disabled={r === count - 1} aria-label={`Move rule ${n} down`} title="Move down">
            ↓
          </Button>
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove rule ${n}`}>
            Remove
          </Button>
        </span>
      </div>
      <div className={styles.itemBody}>
        <Input
          aria-label={`Rule ${n} description`}
          value={rule.description}
          maxLength={1000}
          placeholder="What this rule is for (optional), e.g. Enterprise customers get the new model"
          onChange={(e) => onChange({ description: e.target.value })}
        />
        <div className={styles.conditions}>
          <span className={styles.sectionLabel}>Conditions</span>
          {rule.conditions.length === 0 && <p className="muted small">No conditions: this rule matches every context.</p>}
          {rule.conditions.map((c, i) => (
            <ConditionRow
              key={c.id}
              condition={c}
              label={`Rule ${n} condition ${i + 1}`}
              first={i === 0}
              attributeError={errorAt(errors, `rules.${r}.conditions.${i}.attribute`)}
              valueError={errorAt(errors, `rules.${r}.conditions.${i}.value`) ?? errorAt(errors, `rules.${r}.conditions.${i}.operator`)}
              onChange={(patch) => setCondition(i, patch)}
              onRemove={() => onChange({ conditions: rule.conditions.filter((_, x) => x !== i) })}
            />
          ))}
          <div>
            <Button
              size="sm"
              variant="ghost"
              icon={<IconPlus size={14} />}
              onClick={() => onChange({ conditions: [...rule.conditions, emptyCondition()] })}
              disabled={rule.conditions.length >= MAX_CONDITIONS_PER_RULE}
              aria-label={`Add condition to rule ${n}`}
            >
              Add condition
            </Button>
          </div>
        </div>
        <div className={styles.serve}>
          <div>
            <span className={styles.sectionLabel}>Then serve</span>
            <Select aria-label={`Rule ${n} serves`} value={rule.mode} onChange={(e) => setMode(e.target.value as ServeMode)} style={{ marginTop: 6 }}>
              {(Object.keys(SERVE_LABELS) as ServeMode[]).map((m) => (
                <option key={m} value={m}>
                  {SERVE_LABELS[m]}
                </option>
              ))}
            </Select>
          </div>
          <div style={{ paddingTop: 24 }}>
            {rule.mode === "variant" && (
              <>
                <Select aria-label={`Rule ${n} variant`} value={variantKeys.includes(rule.variant) ? rule.variant : ""} onChange={(e) => onChange({ variant: e.target.value })}>
                  {!variantKeys.includes(rule.variant) && <option value="">Choose a variant…</option>}
                  {variantKeys.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </Select>
                <InlineError message={errorAt(errors, `rules.${r}.serve.variant`) ?? errors[`rules.${r}.serve`]} />
              </>
            )}
            {rule.mode === "split" && (
              <div className={styles.splitRows}>
                {rule.split.map((s, i) => (
                  <div key={s.id}>
                    <div className={styles.splitRow}>
                      <Select
                        aria-label={`Rule ${n} split ${i + 1} variant`}
                        value={s.variant}
                        onChange={(e) => onChange({ split: rule.split.map((x, j) => (j === i ? { ...x, variant: e.target.value } : x)) })}
                      >
                        {!variantKeys.includes(s.variant) && <option value={s.variant}>{s.variant || "Choose…"}</option>}
                        {variantKeys.map((k) => (
                          <option key={k} value={k}>
                            {k}
                          </option>
                        ))}
                      </Select>
                      <span className={styles.percent}>
                        <Input
                          aria-label={`Rule ${n} split ${i + 1} percent`}
                          inputMode="decimal"
                          value={s.percent}
                          aria-invalid={percentToBasisPoints(s.percent) === null || undefined}
                          onChange={(e) => onChange({ split: rule.split.map((x, j) => (j === i ? { ...x, percent: e.target.value } : x)) })}
                        />
                      </span>
                      <Button
                        size="sm"
                        variant="ghost"
                        className={styles.iconButton}
                        onClick={() => onChange({ split: rule.split.filter((_, j) => j !== i) })}
                        disabled={rule.split.length <= 1}
                        aria-label={`Remove split entry ${i + 1} of rule ${n}`}
                      >
                        ×
                      </Button>
                    </div>
                    <InlineError message={errorAt(errors, `rules.${r}.serve.split.${i}`)} />
                  </div>
                ))}
                <div className={styles.addRow}>
                  <Button
                    size="sm"
                    variant="ghost"
                    icon={<IconPlus size={14} />}
                    onClick={() => {
                      const unused = variantKeys.find((k) => !rule.split.some((s) => s.variant === k));
                      onChange({ split: [...rule.split, { id: newId("s"), variant: unused ?? variantKeys[0] ?? "", percent: "0" }] });
                    }}
                    disabled={rule.split.length >= variantKeys.length}
                  >
                    Add variant to split
                  </Button>
                  <span className={cx(styles.splitTotal, total !== 10_000 && styles.splitTotalBad)} data-testid="split-total">
                    Total {formatBasisPoints(total)} {total === 10_000 ? "✓" : "(must be 100%)"}
                  </span>
                </div>
                <InlineError message={errors[`rules.${r}.serve.split`] ?? errors[`rules.${r}.serve`]} />
              </div>
            )}
            {rule.mode === "rollout" && (
              <p className="small" style={{ paddingTop: 8 }}>
                {activeRollout ? (
                  <>
                    Whatever the active {activeRollout.strategy.replace("_", " ")} rollout decides: <code>{activeRollout.treatmentVariant}</code> for{" "}
                    {formatBasisPoints(activeRollout.trafficBasisPoints)}, <code>{activeRollout.controlVariant}</code> for the rest.
                  </>
                ) : (
                  <span className="muted">
                    Whatever the active rollout decides. There is none now, so this rule serves the default variant <code>{defaultVariant || "—"}</code>.
                  </span>
                )}
              </p>
            )}
          </div>
        </div>
      </div>
    </li>
  );
}

const VALUE_PLACEHOLDER: Record<ReturnType<typeof valueInputFor>, string> = {
  primitive: "enterprise",
  list: "eu-west, eu-central",
  text: "@acme.com",
  number: "100",
  semver: "1.4.0",
  exists: "",
};

function ConditionRow({
  condition: c,
  label,
  first,
  attributeError,
  valueError,
  onChange,
  onRemove,
}: {
  condition: ConditionDraft;
  label: string;
  first: boolean;
  attributeError?: string;
  valueError?: string;
  onChange: (patch: Partial<ConditionDraft>) => void;
  onRemove: () => void;
}) {
  const input = valueInputFor(c.operator);
  const typed = input === "primitive" || input === "list";
  const types: ValueType[] = input === "list" ? ["text", "number"] : ["text", "number", "boolean"];

  let value;
  if (input === "exists") {
    value = (
      <Select aria-label={`${label} value`} value={c.exists} onChange={(e) => onChange({ exists: e.target.value as ConditionDraft["exists"] })}>
        <option value="present">is present</option>
        <option value="missing">is missing</option>
      </Select>
    );
  } else if (input === "primitive" && c.valueType === "boolean") {
    value = (
      <Select aria-label={`${label} value`} value={c.value === "false" ? "false" : c.value === "true" ? "true" : ""} onChange={(e) => onChange({ value: e.target.value })}>
        {c.value !== "true" && c.value !== "false" && <option value="">Choose…</option>}
        <option value="true">true</option>
        <option value="false">false</option>
      </Select>
    );
  } else {
    value = (
      <Input
        aria-label={`${label} value`}
        type={input === "number" ? "number" : "text"}
        step={input === "number" ? "any" : undefined}
        value={c.value}
        spellCheck={false}
        placeholder={input === "list" && c.valueType === "number" ? "1, 2, 3" : VALUE_PLACEHOLDER[input]}
        aria-invalid={valueError ? true : undefined}
        onChange={(e) => onChange({ value: e.target.value })}
      />
    );
  }

  return (
    <div data-testid="condition">
      <div className={styles.condition}>
        <span className={styles.conditionJoin}>{first ? "IF" : "AND"}</span>
        <Input
          aria-label={`${label} attribute`}
          className="mono"
          value={c.attribute}
          maxLength={64}
          spellCheck={false}
          placeholder="tier"
          aria-invalid={attributeError ? true : undefined}
          onChange={(e) => onChange({ attribute: e.target.value })}
        />
        <Select
          aria-label={`${label} operator`}
          title={`Operator ${c.operator}`}
          value={c.operator}
          onChange={(e) => {
            const operator = e.target.value as ConditionOperator;
            const next = valueInputFor(operator);
            // A list of booleans is not offered; numbers keep their type where it still applies.
            onChange({ operator, valueType: next === "list" && c.valueType === "boolean" ? "text" : c.valueType });
          }}
        >
          {CONDITION_OPERATORS.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </Select>
        <span className={styles.valueCell}>
          {value}
          {typed && (
            <Select
              aria-label={`${label} value type`}
              className={styles.typeSelect}
              value={c.valueType}
              onChange={(e) => onChange({ valueType: e.target.value as ValueType, value: e.target.value === "boolean" ? "true" : c.value })}
            >
              {types.map((t) => (
                <option key={t} value={t}>
                  {t === "boolean" ? "bool" : t}
                </option>
              ))}
            </Select>
          )}
        </span>
        <Button size="sm" variant="ghost" className={styles.iconButton} onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`} title="Remove condition">
          ×
        </Button>
      </div>
      {(attributeError || valueError) && (
        <div className={styles.condition}>
          <span />
          <span>
            <InlineError message={attributeError} />
          </span>
          <span />
          <span>
            <InlineError message={valueError} />
          </span>
        </div>
      )}
    </div>
  );
}
