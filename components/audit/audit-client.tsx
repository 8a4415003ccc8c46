"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { dateInputToIso } from "@/lib/client/format";
import { auditExportUrl, useAuditLog, useVerifyAuditChain } from "@/lib/client/hooks/use-audit";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import type { AuditFilters as AuditQueryFilters } from "@/lib/client/types";
import { Button, ButtonLink } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconAudit, IconDownload } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { AUDIT_FILTER_KEYS, AuditFilters, type AuditFilterForm } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { VerifyChainButton, VerifyChainResult } from "./verify-chain";

/** Filters live in the URL so a filtered view can be reloaded, shared and exported as seen. */
function useUrlFilters(): [AuditFilterForm, (next: AuditFilterForm) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = params.toString();
  const form = useMemo(() => {
    const p = new URLSearchParams(key);
    return Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, p.get(k) ?? ""])) as unknown as AuditFilterForm;
  }, [key]);
  const apply = (next: AuditFilterForm) => {
    const p = new URLSearchParams(key);
    for (const k of AUDIT_FILTER_KEYS) {
      const v = next[k].trim();
      if (v) p.set(k, v);
      else p.delete(k);
    }
    router.replace(`${pathname}?${p.toString()}`);
  };
  return [form, apply];
}

function toQuery(form: AuditFilterForm): AuditQueryFilters {
  const q: AuditQueryFilters = {};
  if (form.actor) q.actor = form.actor;
  if (form.action) q.action = form.action;
  if (form.resourceType) q.resourceType = form.resourceType;
  if (form.q) q.q = form.q;
  const from = dateInputToIso(form.from, "start");
  const to = dateInputToIso(form.to, "end");
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

export function AuditClient() {
  const [form, apply] = useUrlFilters();
  const filters = useMemo(() => toQuery(form), [form]);
  const log = useAuditLog(filters);
  const environments = useEnvironments();
  const verification = useVerifyAuditChain();
  const records = useMemo(() => log.data?.pages.flatMap((p) => p.records) ?? [], [log.data]);
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and automatic action: who, what, when and why. Append-only and hash-chained, so tampering is detectable."
        actions={
          <>
            <ButtonLink external href={auditExportUrl("csv", filters)} download icon={<IconDownload size={16} />}>
              Export CSV
            </ButtonLink>
            <ButtonLink external href={auditExportUrl("json", filters)} download icon={<IconDownload size={16} />}>
              Export JSON
            </ButtonLink>
            <VerifyChainButton verification={verification} />
          </>
        }
      />
      <VerifyChainResult verification={verification} />

      <Card>
        <AuditFilters value={form} onApply={apply} />
        {log.isPending ? (
          <div className="pad">
            <SkeletonRows rows={8} columns={5} />
          </div>
        ) : log.isError && !log.data ? (
          <div className="pad">
            <ErrorPanel error={log.error} onRetry={() => void log.refetch()} />
          </div>
        ) : records.length === 0 ? (
          filtered ? (
            <EmptyState icon={<IconAudit size={22} />} title="No records match these filters">
              Widen the date range or clear a filter. Actor and search match parts of names; action matches from the start (e.g. <code>user.</code>).
            </EmptyState>
          ) : (
            <EmptyState icon={<IconAudit size={22} />} title="The audit trail is empty">
              Sign-ins, user changes, flag edits and every rollout transition are recorded here as they happen.
            </EmptyState>
          )
        ) : (
          <>
            <AuditTable records={records} environments={environments.data} />
            <div className="table-footer">
              <span className="muted small" data-testid="audit-count">
                Showing {records.length.toLocaleString()} {records.length === 1 ? "record" : "records"}, newest first
                {!log.hasNextPage && " — that is all of them"}
              </span>
              {log.hasNextPage && (
                <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                  Load more
                </Button>
              )}
            </div>
            {log.isFetchNextPageError && (
              <div className="pad">
                <ErrorPanel error={log.error} compact onRetry={() => void log.fetchNextPage()} />
              </div>
            )}
          </>
        )}
      </Card>
    </>
  );
}
