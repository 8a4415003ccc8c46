"use client";
import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { isApiError } from "@/lib/client/api";
import { PRICE_RULES, focusFirstInvalid, humanFieldErrors, schemaIssues, type FieldMessages } from "@/lib/client/field-errors";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime } from "@/lib/client/format";
import { usePrices, useReplacePrices, type StoredModelPrice } from "@/lib/client/hooks/prices";
import { modelPricesBodySchema, type ModelPriceBody } from "@/lib/schemas/prices";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconPlus, IconPrice } from "../ui/icons";
import { Input } from "../ui/field";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import styles from "./prices.module.css";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";

/** A row being edited: numbers stay text until saved, so "0." can be typed. */
interface DraftRow {
  key: string;
  provider: string;
  model: string;
  input: string;
  output: string;
  updatedAt?: string;
}

/** The example call the "per call" column prices: a typical chat turn. */
const EXAMPLE = { input: 1000, output: 300 };

let rowCounter = 0;
const toDraft = (p: StoredModelPrice): DraftRow => ({
  key: `row-${rowCounter++}`,
  provider: p.provider,
  model: p.model,
  input: String(p.inputPerMillionUsd),
  output: String(p.outputPerMillionUsd),
  updatedAt: p.updatedAt,
});

function toBody(rows: DraftRow[]): ModelPriceBody[] {
  return rows.map((r) => ({ provider: r.provider.trim(), model: r.model.trim(), inputPerMillionUsd: Number(r.input), outputPerMillionUsd: Number(r.output) }));
}

const sameTable = (a: DraftRow[], b: DraftRow[]) => JSON.stringify(toBody(a)) === JSON.stringify(toBody(b));

function exampleCost(r: DraftRow): string {
  const i = Number(r.input);
  const o = Number(r.output);
  if (!Number.isFinite(i) || !Number.isFinite(o) || r.input === "" || r.output === "") return "—";
  const usd = (EXAMPLE.input * i + EXAMPLE.output * o) / 1_000_000;
  return usd === 0 ? "$0" : `$${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(4)}`;
}

/** Settings → Model prices: dollars per million tokens, used to cost events that report no costUsd. */
export function PricesClient({ canEdit }: { canEdit: boolean }) {
  const env = useEnvironmentKey();
  const prices = usePrices();
  const replace = useReplacePrices();
  const [saved, setSaved] = useState<DraftRow[]>([]);
  const [rows, setRows] = useState<DraftRow[]>([]);
  const [notice, setNotice] = useTransientNotice();

  useEffect(() => {
    if (!prices.data) return;
    const drafts = prices.data.map(toDraft);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the table takes the server's prices unless it holds unsaved edits
    setSaved(drafts);
    setRows((current) => (current.length === 0 || sameTable(current, saved) ? drafts : current));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- compares with the table saved before this answer, which `saved` still holds
  }, [prices.data]);

  const dirty = !sameTable(rows, saved);
  // Every cell's problem in words ("prices.2.inputPerMillionUsd" → its sentence): this side's
  // check with the server's schema, or the server's answer.
  const [clientErrors, setClientErrors] = useState<FieldMessages>({});
  const fieldErrors = useMemo<FieldMessages>(
    () => ({ ...(isApiError(replace.error) ? humanFieldErrors(replace.error.problem.details?.errors, PRICE_RULES) : {}), ...clientErrors }),
    [replace.error, clientErrors],
  );
  const errorCount = Object.keys(fieldErrors).length;
  const errorIdBase = useId();
  const tableRef = useRef<HTMLDivElement>(null);

  const update = (key: string, patch: Partial<DraftRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const original = (r: DraftRow) => saved.find((s) => s.provider === r.provider && s.model === r.model);

  const save = async () => {
    replace.reset();
    const found = humanFieldErrors(schemaIssues(modelPricesBodySchema, { prices: toBody(rows) }), PRICE_RULES);
    setClientErrors(found);
    if (Object.keys(found).length) {
      focusFirstInvalid(tableRef.current);
      return;
    }
    const result = await replace.mutateAsync(toBody(rows)).catch(() => null);
    if (!result) {
      focusFirstInvalid(tableRef.current);
      return;
    }
    const drafts = result.prices.map(toDraft);
    setSaved(drafts);
    setRows(drafts);
    setNotice("Prices saved. Events without a reported cost are priced with them from now on (other app instances within 30 seconds).");
  };

  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment("/settings", env)}>
            Settings
          </Link>
        }
        title="Model prices"
        description={
          <>
            US dollars per million input and output tokens. Outcome events that carry a <code>model</code> and token counts but no <code>costUsd</code> are priced with this table; the comparison
            screens turn it into cost per request and monthly projections. Every change is audited.
          </>
        }
      />
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}
      {!canEdit && (
        <div className="alert" role="note">
          Only admins can change prices; you can see them.
        </div>
      )}
      <Card>
        {prices.isPending ? (
          <div className="pad">
            <SkeletonRows rows={6} columns={5} />
          </div>
        ) : prices.isError ? (
          <div className="pad">
            <ErrorPanel error={prices.error} onRetry={() => void prices.refetch()} />
          </div>
        ) : rows.length === 0 && !canEdit ? (
          <EmptyState icon={<IconPrice size={22} />} title="No prices yet">
            An admin can add the models your services call; until then costs are only known when events report <code>costUsd</code>.
          </EmptyState>
        ) : (
          <>
            <div ref={tableRef}>
              <Table data-testid="prices-table" label="Model prices">
                <thead>
                  <tr>
                    <Th>Provider</Th>
                    <Th>Model</Th>
                    <Th className={styles.number}>Input $ / 1M tokens</Th>
                    <Th className={styles.number}>Output $ / 1M tokens</Th>
                    <Th className={styles.number} title={`${EXAMPLE.input.toLocaleString()} input and ${EXAMPLE.output} output tokens`}>
                      Per call (1k in / 300 out)
                    </Th>
                    <Th>Updated</Th>
                    {canEdit && (
                      <Th>
                        <span className="sr-only">Actions</span>
                      </Th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => {
                    const before = original(r);
                    const err = (field: string) => fieldErrors[`prices.${i}.${field}`];
                    // aria attributes tying a cell's input to its message, when it has one.
                    const invalid = (field: string) => (err(field) ? { "aria-invalid": true as const, "aria-describedby": `${errorIdBase}-${i}-${field}` } : {});
                    const cellError = (field: string) =>
                      err(field) && (
                        <div className={styles.cellError} id={`${errorIdBase}-${i}-${field}`}>
                          {err(field)}
                        </div>
                      );
                    return (
                      <tr key={r.key} data-testid="price-row" data-model={r.model}>
                        {canEdit ? (
                          <>
                            <Td>
                              <Input
                                className={styles.cellInput}
                                value={r.provider}
                                aria-label={`Provider of row ${i + 1}`}
                                {...invalid("provider")}
                                onChange={(e) => update(r.key, { provider: e.target.value })}
                              />
                              {cellError("provider")}
                            </Td>
                            <Td>
                              <Input
                                className={styles.cellInput}
                                value={r.model}
                                aria-label={`Model of row ${i + 1}`}
                                {...invalid("model")}
                                onChange={(e) => update(r.key, { model: e.target.value })}
                              />
                              {cellError("model")}
                            </Td>
                            <Td className={styles.number}>
                              <Input
                                className={`${styles.cellInput} ${styles.numberInput} ${before && String(before.input) !== r.input ? styles.changed : ""}`}
                                inputMode="decimal"
                                value={r.input}
                                aria-label={`Input price of ${r.model || `row ${i + 1}`}`}
                                {...invalid("inputPerMillionUsd")}
                                onChange={(e) => update(r.key, { input: e.target.value })}
                              />
                              {cellError("inputPerMillionUsd")}
                            </Td>
                            <Td className={styles.number}>
                              <Input
                                className={`${styles.cellInput} ${styles.numberInput} ${before && String(before.output) !== r.output ? styles.changed : ""}`}
                                inputMode="decimal"
                                value={r.output}
                                aria-label={`Output price of ${r.model || `row ${i + 1}`}`}
                                {...invalid("outputPerMillionUsd")}
                                onChange={(e) => update(r.key, { output: e.target.value })}
                              />
                              {cellError("outputPerMillionUsd")}
                            </Td>
                          </>
                        ) : (
                          <>
                            <Td>{r.provider}</Td>
                            <Td>
                              <code>{r.model}</code>
                            </Td>
                            <Td className={styles.number}>${r.input}</Td>
                            <Td className={styles.number}>${r.output}</Td>
                          </>
                        )}
                        <Td className={`${styles.number} muted`}>{exampleCost(r)}</Td>
                        <Td className="nowrap muted">{r.updatedAt ? formatDateTime(r.updatedAt) : "New"}</Td>
                        {canEdit && (
                          <Td className="row-actions">
                            <Button
                              size="sm"
                              variant="ghost"
                              className="text-danger"
                              aria-label={`Remove ${r.model || `row ${i + 1}`}`}
                              onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                            >
                              Remove
                            </Button>
                          </Td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </Table>
            </div>
            {canEdit && (
              <div className={styles.footer}>
                <Button icon={<IconPlus size={16} />} onClick={() => setRows((rs) => [...rs, { key: `row-${rowCounter++}`, provider: "", model: "", input: "0", output: "0" }])}>
                  Add model
                </Button>
                <div className={styles.footerActions}>
                  {replace.isError && errorCount === 0 && <ErrorPanel compact error={replace.error} />}
                  {errorCount > 0 && (
                    <span className="field-error" role="alert" data-testid="prices-error-summary">
                      {errorCount === 1 ? "1 cell needs fixing" : `${errorCount} cells need fixing`}; each says what is wrong below it.
                    </span>
                  )}
                  <Button disabled={!dirty || replace.isPending} onClick={() => (replace.reset(), setClientErrors({}), setRows(saved))}>
                    Discard changes
                  </Button>
                  <Button variant="primary" disabled={!dirty} loading={replace.isPending} onClick={() => void save()}>
                    Save prices
                  </Button>
                </div>
              </div>
            )}
          </>
        )}
      </Card>
    </>
  );
}
