"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { withEnvironment } from "@/lib/client/environment";
import { useTestFlag } from "@/lib/client/hooks/flags";
import type { FlagContextValue, FlagView } from "@/lib/client/types";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { cx } from "../ui/cx";
import { ErrorPanel } from "../ui/error-panel";
import { Input, Select } from "../ui/field";
import { IconPlus } from "../ui/icons";
import { newId, type ValueType } from "./flag-draft";
import styles from "./flags.module.css";
import { REASON_TEXT, REASON_TONE } from "./labels";

interface Row {
  id: string;
  attribute: string;
  value: string;
  type: ValueType;
}

const row = (attribute: string, value = "", type: ValueType = "text"): Row => ({ id: newId("t"), attribute, value, type });

/** The context the rows describe, or the first problem with them. */
function rowsToContext(rows: readonly Row[]): { context: Record<string, FlagContextValue> } | { error: string } {
  const context: Record<string, FlagContextValue> = {};
  for (const r of rows) {
    const name = r.attribute.trim();
    if (!name) continue;
    if (r.type === "number") {
      const n = Number(r.value.trim());
      if (r.value.trim() === "" || !Number.isFinite(n)) return { error: `${name}: "${r.value}" is not a number` };
      context[name] = n;
    } else if (r.type === "boolean") context[name] = r.value === "true";
    else context[name] = r.value;
  }
  return { context };
}

function jsonToContext(text: string): { context: Record<string, FlagContextValue> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "The context must be a JSON object." };
  for (const [k, v] of Object.entries(value)) {
    if (!["string", "number", "boolean"].includes(typeof v)) return { error: `${k}: values must be strings, numbers or booleans` };
  }
  return { context: value as Record<string, FlagContextValue> };
}

const typeOf = (v: FlagContextValue): ValueType => (typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "text");

/**
 * "What would this context get?": sends a context to the flag's evaluate endpoint, which runs
 * the evaluation API's own code over the snapshot it serves (rules, rollout, kill switch), and
 * shows the variant with the reason. Nothing is counted as an exposure.
 */
export function FlagTester({ flag, env, unsaved }: { flag: FlagView; env: string; unsaved: boolean }) {
  const test = useTestFlag(env, flag.key);
  const [mode, setMode] = useState<"rows" | "json">("rows");
  const [rows, setRows] = useState<Row[]>(() => [row(flag.stickiness || "userId", "user-123"), row("")]);
  const [json, setJson] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function switchMode(next: "rows" | "json") {
    if (next === mode) return;
    setProblem(null);
    if (next === "json") {
      const parsed = rowsToContext(rows);
      setJson(JSON.stringify("context" in parsed ? parsed.context : {}, null, 2));
    } else {
      const parsed = jsonToContext(json);
      if ("error" in parsed) {
        setProblem(`${parsed.error} Fix it or clear it to switch back.`);
        return;
      }
      setRows([...Object.entries(parsed.context).map(([k, v]) => row(k, String(v), typeOf(v))), row("")]);
    }
    setMode(next);
  }

  const setRow = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = mode === "rows" ? rowsToContext(rows) : jsonToContext(json);
    if ("error" in parsed) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    test.mutate(parsed.context);
  }

  const answer = test.data;
  const result = answer?.result;
  const rule = result?.ruleIndex !== undefined ? flag.rules[result.ruleIndex] : undefined;

  return (
    <Card id="tester">
      <CardHeader
        title="What would this context get?"
        description="Evaluated by the same code and snapshot as the evaluation API; no exposure is counted."
        actions={
          <span className={styles.testerModes} role="group" aria-label="Context input">
            <button type="button" className={cx(styles.testerMode, mode === "rows" && styles.testerModeActive)} aria-pressed={mode === "rows"} onClick={() => switchMode("rows")}>
              Attributes
            </button>
            <button type="button" className={cx(styles.testerMode, mode === "json" && styles.testerModeActive)} aria-pressed={mode === "json"} onClick={() => switchMode("json")}>
              JSON
            </button>
          </span>
        }
      />
      <CardBody>
        <form className="form-stack" onSubmit={submit} data-testid="tester">
          {mode === "rows" ? (
            <div className={styles.splitRows}>
              {rows.map((r, i) => (
                <div key={r.id} className={styles.contextRow} data-testid="context-row">
                  <Input
                    aria-label={`Context attribute ${i + 1}`}
                    className="mono"
                    value={r.attribute}
                    placeholder="attribute"
                    spellCheck={false}
                    onChange={(e) => setRow(i, { attribute: e.target.value })}
                  />
                  {r.type === "boolean" ? (
                    <Select aria-label={`Context value ${i + 1}`} value={r.value === "true" ? "true" : "false"} onChange={(e) => setRow(i, { value: e.target.value })}>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </Select>
                  ) : (
                    <Input
                      aria-label={`Context value ${i + 1}`}
                      value={r.value}
                      placeholder="value"
                      spellCheck={false}
                      inputMode={r.type === "number" ? "decimal" : undefined}
                      onChange={(e) => setRow(i, { value: e.target.value })}
                    />
                  )}
                  <Select
                    aria-label={`Context value ${i + 1} type`}
                    value={r.type}
                    onChange={(e) => setRow(i, { type: e.target.value as ValueType, value: e.target.value === "boolean" ? "true" : r.value })}
                  >
                    <option value="text">text</option>
                    <option value="number">number</option>
                    <option value="boolean">bool</option>
                  </Select>
                  <Button size="sm" variant="ghost" className={styles.iconButton} onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove context attribute ${i + 1}`}>
                    ×
                  </Button>
                </div>
              ))}
              <div>
                <Button size="sm" variant="ghost" icon={<IconPlus size={14} />} onClick={() => setRows([...rows, row("")])}>
                  Add attribute
                </Button>
              </div>
            </div>
          ) : (
            <textarea
              aria-label="Context JSON"
              className={cx("input", styles.textarea, styles.code)}
              rows={6}
              spellCheck={false}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              placeholder='{"userId": "user-123", "tier": "enterprise"}'
            />
          )}
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          <div className={styles.addRow}>
            <Button type="submit" variant="primary" loading={test.isPending} data-testid="tester-run">
              Evaluate
            </Button>
            {unsaved && <span className="muted small">The tester uses the saved flag; save your changes to test them.</span>}
          </div>
          {test.isError && <ErrorPanel error={test.error} compact />}
          {result && answer && (
            <div className={styles.result} data-testid="tester-result" data-variant={result.variant} data-reason={result.reason} aria-live="polite">
              <div>
                <div className="muted small">Serves</div>
                <div className={styles.resultVariant} data-testid="tester-variant">
                  {result.variant}
                </div>
                <p className={styles.resultReason}>
                  <Badge tone={REASON_TONE[result.reason] ?? "neutral"} mono data-testid="tester-reason">
                    {result.reason}
                  </Badge>{" "}
                  {REASON_TEXT[result.reason] ?? ""}
                </p>
                <dl className="kv" style={{ marginTop: 12 }}>
                  {result.ruleIndex !== undefined && (
                    <>
                      <dt>Rule</dt>
                      <dd data-testid="tester-rule">
                        Rule {result.ruleIndex + 1}
                        {rule?.description ? <span className="muted"> · {rule.description}</span> : null}
                      </dd>
                    </>
                  )}
                  {result.bucket !== undefined && (
                    <>
                      <dt>Bucket</dt>
                      <dd>
                        <span className="mono">{result.bucket}</span> <span className="muted">of 10000</span>
                        {result.stickiness === "random" && <span className="muted"> (random: the context has no {flag.stickiness})</span>}
                      </dd>
                    </>
                  )}
                  {result.rollout && (
                    <>
                      <dt>Rollout</dt>
                      <dd>
                        <Link className="link" href={withEnvironment(`/rollouts/${result.rollout.id}`, env)}>
                          stage {result.rollout.stage + 1}
                        </Link>{" "}
                        · arm <Badge tone={result.rollout.arm === "treatment" ? "warning" : "info"}>{result.rollout.arm}</Badge>
                      </dd>
                    </>
                  )}
                  {result.shadow && (
                    <>
                      <dt>Shadow</dt>
                      <dd>
                        also call <code>{result.shadow.variant}</code> and discard its answer
                      </dd>
                    </>
                  )}
                  <dt>Config</dt>
                  <dd className="mono small">{answer.configVersion}</dd>
                </dl>
              </div>
              <div>
                <div className="muted small" style={{ marginBottom: 4 }}>
                  Payload
                </div>
                <pre className={styles.pre} data-testid="tester-payload">
                  {JSON.stringify(result.value, null, 2)}
                </pre>
              </div>
            </div>
          )}
        </form>
      </CardBody>
    </Card>
  );
}
