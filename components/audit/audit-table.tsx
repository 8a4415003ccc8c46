"use client";
import { Fragment, useState } from "react";
import { formatDateTime } from "@/lib/client/format";
import type { AuditRecord, Environment } from "@/lib/client/types";
import { Badge } from "../ui/badge";
import { cx } from "../ui/cx";
import { IconChevron } from "../ui/icons";
import { Table, Td, Th } from "../ui/table";
import { ActionBadge } from "./action-badge";
import { JsonBlock } from "./json-block";
import { RecordChanges } from "./record-changes";

const COLUMNS = 7;

function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** Audit records newest first; a row opens to show what changed, the context and the chain hashes. */
export function AuditTable({ records, environments }: { records: AuditRecord[]; environments?: Environment[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const envName = (id: string | null) => (id ? (environments?.find((e) => e.id === id)?.name ?? id) : "—");

  return (
    <Table className="audit-table" data-testid="audit-table" label="Audit records">
      <thead>
        <tr>
          <Th style={{ width: 36 }}>
            <span className="sr-only">Details</span>
          </Th>
          <Th style={{ width: 70 }}>#</Th>
          <Th>When</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Resource</Th>
          <Th>Environment</Th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => {
          const expanded = open.has(r.id);
          const detailsId = `audit-record-${r.id}`;
          return (
            <Fragment key={r.id}>
              <tr className={cx("row-clickable", expanded && "row-expanded")} onClick={() => toggle(r.id)} data-testid="audit-row">
                <Td>
                  <button
                    type="button"
                    className="row-toggle"
                    aria-expanded={expanded}
                    aria-controls={expanded ? detailsId : undefined}
                    aria-label={`${expanded ? "Hide" : "Show"} details of record ${r.id}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      toggle(r.id);
                    }}
                  >
                    <IconChevron size={16} />
                  </button>
                </Td>
                <Td className="mono muted">{r.id}</Td>
                <Td className="nowrap">
                  <time dateTime={r.occurredAt}>{formatDateTime(r.occurredAt)}</time>
                </Td>
                <Td>
                  <span className="cell-stack">
                    <span className="break-anywhere">{r.actorLabel}</span>
                    <span className="muted small">
                      {r.actorType}
                      {r.actorRoles.length ? ` · ${r.actorRoles.join(", ")}` : ""}
                    </span>
                  </span>
                </Td>
                <Td>
                  <ActionBadge action={r.action} />
                </Td>
                <Td>
                  <span className="cell-stack" data-testid="audit-resource">
                    {r.resourceName ? <span className="cell-strong break-anywhere">{r.resourceName}</span> : null}
                    <span className="muted small">
                      {r.resourceType}{" "}
                      <code className="small" title={r.resourceId}>
                        {shortId(r.resourceId)}
                      </code>
                    </span>
                  </span>
                </Td>
                <Td>{r.environmentId ? <Badge>{envName(r.environmentId)}</Badge> : <span className="muted">—</span>}</Td>
              </tr>
              {expanded && (
                <tr className="row-details" id={detailsId}>
                  <td colSpan={COLUMNS}>
                    <section className="record-details" aria-label={`Changes of record ${r.id}`}>
                      <h3 className="record-details-title">What changed</h3>
                      <RecordChanges before={r.before} after={r.after} />
                      <JsonBlock label="Context" value={r.context} />
                      <details className="record-raw">
                        <summary>Stored before and after</summary>
                        <div className="json-grid">
                          <JsonBlock label="Before" value={r.before} />
                          <JsonBlock label="After" value={r.after} />
                        </div>
                      </details>
                      <p className="hash-line small muted">
                        {r.resourceType} <code>{r.resourceId}</code> · hash <code>{r.hash}</code> · previous <code>{r.prevHash}</code>
                      </p>
                    </section>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </Table>
  );
}
