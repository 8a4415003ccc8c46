"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatBasisPoints } from "@/lib/domain/rollouts/format";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useFlags } from "@/lib/client/hooks/flags";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { useMe } from "@/lib/client/hooks/use-me";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { WithDisabledReason } from "../ui/disabled-reason";
import { Card } from "../ui/card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Input } from "../ui/field";
import { IconFlags, IconPlus } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import { STRATEGY_LABELS } from "../rollouts/labels";
import { CreateFlagDialog } from "./create-flag-dialog";
import styles from "./flags.module.css";
import { KIND_LABELS, NEEDS_WRITE } from "./labels";

/** Flags → list: the environment's flags with their state, kill switch and active rollout. */
export function FlagsClient() {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  const me = useMe();
  const canWrite = Boolean(me.data?.permissions.includes("flag.write"));
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const [includeArchived, setIncludeArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const flags = useFlags(env, { includeArchived, q });
  const filtered = Boolean(q) || includeArchived;
  // eslint-disable-next-line react-hooks/purity -- ages shown in the list are as of this render
  const now = Date.now();

  // Viewers see the action too, disabled, with the reason beside it.
  const newFlag = (
    <WithDisabledReason reason={me.data && !canWrite ? `Creating flags: ${NEEDS_WRITE.charAt(0).toLowerCase()}${NEEDS_WRITE.slice(1)}` : null} testId="new-flag-disabled-reason">
      {(describedBy) => (
        <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)} disabled={!canWrite} aria-describedby={describedBy} data-testid="new-flag">
          New flag
        </Button>
      )}
    </WithDisabledReason>
  );

  return (
    <>
      <PageHeader
        title="Flags"
        description={
          <>
            The decisions your services ask Rollgate for in <strong>{envName}</strong>: which model, which prompt, with which parameters.
          </>
        }
        actions={newFlag}
      />
      <Card>
        <div className={styles.listFilters} role="search">
          <Field label="Search" className={styles.search}>
            {(p) => <Input {...p} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Key or description" spellCheck={false} />}
          </Field>
          <label className="checkbox" style={{ marginBottom: 1 }}>
            <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} data-testid="show-archived" />
            <span className="checkbox-label">Show archived</span>
          </label>
        </div>
        {flags.isPending ? (
          <div className="pad">
            <SkeletonRows rows={4} columns={7} />
          </div>
        ) : flags.isError ? (
          <div className="pad">
            <ErrorPanel error={flags.error} onRetry={() => void flags.refetch()} />
          </div>
        ) : flags.data.length === 0 ? (
          <EmptyState icon={<IconFlags size={24} />} title={filtered ? "No flag matches" : `No flags in ${envName} yet`} action={filtered ? undefined : newFlag}>
            {filtered ? (
              <p>Try another search{includeArchived ? "" : ", or show archived flags"}.</p>
            ) : (
              <p>
                A flag such as <code>support-bot.model</code> holds the variants a service can be given, the targeting rules that choose between them, and a safe fallback for the kill switch.
              </p>
            )}
          </EmptyState>
        ) : (
          <Table data-testid="flags-table" label="Flags">
            <thead>
              <tr>
                <Th>Flag</Th>
                <Th>Kind</Th>
                <Th>Variants</Th>
                <Th>Default</Th>
                <Th>State</Th>
                <Th>Active rollout</Th>
                <Th>Updated</Th>
              </tr>
            </thead>
            <tbody>
              {flags.data.map((f) => (
                <tr key={f.id} data-testid="flag-row" data-flag={f.key} className={cx(f.archivedAt && styles.archivedRow)}>
                  <Td>
                    <span className="cell-stack">
                      <Link className="link mono" href={withEnvironment(`/flags/${encodeURIComponent(f.key)}`, env)}>
                        {f.key}
                      </Link>
                      {f.description && (
                        <span className="muted small truncate" style={{ maxWidth: "34ch" }} title={f.description}>
                          {f.description}
                        </span>
                      )}
                    </span>
                  </Td>
                  <Td>{KIND_LABELS[f.kind] ?? f.kind}</Td>
                  <Td>{f.variants.length}</Td>
                  <Td className="nowrap">
                    <code>{f.defaultVariant}</code>
                  </Td>
                  <Td>
                    <span className={styles.pills}>
                      {f.archivedAt ? <Badge tone="neutral">Archived</Badge> : f.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}
                      {f.killSwitch && (
                        <Badge className={styles.killBadge} title={f.killSwitchReason ?? undefined} data-testid="kill-switch-badge">
                          KILL SWITCH
                        </Badge>
                      )}
                    </span>
                  </Td>
                  <Td className="nowrap">
                    {f.activeRollout ? (
                      <Link className="link" href={withEnvironment(`/rollouts/${f.activeRollout.id}`, env)}>
                        {STRATEGY_LABELS[f.activeRollout.strategy as keyof typeof STRATEGY_LABELS] ?? f.activeRollout.strategy} ·{" "}
                        {f.activeRollout.state === "draft" ? "draft" : formatBasisPoints(f.activeRollout.trafficBasisPoints)}
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </Td>
                  <Td className="nowrap muted" title={formatDateTime(f.updatedAt)}>
                    {formatRelative(f.updatedAt, now)}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      {canWrite && <CreateFlagDialog open={creating} onClose={() => setCreating(false)} env={env} envName={envName} />}
    </>
  );
}
