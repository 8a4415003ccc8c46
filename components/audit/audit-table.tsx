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

const COLUMNS = 6;

/** Audit records newest first; a row opens to show before/after/context and the chain hashes. */
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
    <Table className="audit-table" data-testid="audit-table">
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
          return (
            <Fragment key={r.id}>
              <tr className={cx("row-clickable", expanded && "row-expanded")} onClick={() => toggle(r.id)} data-testid="audit-row">
                <Td>
                  <button
                    type="button"
                    className="row-toggle"
                    aria-expanded={expanded}
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
                    <span>{r.actorLabel}</span>
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
                  <span className="cell-stack">
                    <span>{r.resourceType}</span>
                    <code className="muted small truncate" title={r.resourceId}>
                      {r.resourceId}
                    </code>
                  </span>
                </Td>
                <Td>{r.environmentId ? <Badge>{envName(r.environmentId)}</Badge> : <span className="muted">—</span>}</Td>
              </tr>
              {expanded && (
                <tr className="row-details">
                  <td colSpan={COLUMNS + 1}>
                    <div className="json-grid">
                      <JsonBlock label="Before" value={r.before} />
                      <JsonBlock label="After" value={r.after} />
                      <JsonBlock label="Context" value={r.context} />
                    </div>
                    <p className="hash-line small muted">
                      {r.resourceType} <code>{r.resourceId}</code> · hash <code>{r.hash}</code> · previous <code>{r.prevHash}</code>
                    </p>
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
