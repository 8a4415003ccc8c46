"use client";
import Link from "next/link";
import { useState } from "react";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime, formatShortDateTime } from "@/lib/client/format";
import { useApiKeys, useRevokeApiKey, type ApiKey, type CreatedApiKey } from "@/lib/client/hooks/api-keys";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ConfirmDialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconKey, IconPlus } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { KeyShownOnceDialog } from "./key-shown-once-dialog";
import { SCOPE_INFO } from "./scopes";
import styles from "./api-keys.module.css";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatShortDateTime(iso)}
    </time>
  );
}

/** Settings → API keys of the environment the switcher shows: create (shown once), revoke, last use. */
export function ApiKeysClient() {
  const env = useEnvironmentKey();
  const environments = useEnvironments();
  const envName = environmentLabel(env, environments.data);
  const keys = useApiKeys(env);
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useTransientNotice();

  // Active keys first, each group newest first (the server's order).
  const rows = keys.data ? [...keys.data.filter((k) => k.state === "active"), ...keys.data.filter((k) => k.state !== "active")] : [];

  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment("/settings", env)}>
            Settings
          </Link>
        }
        title="API keys"
        description={`Keys that let services evaluate flags, report outcomes or manage configuration in ${envName}. A key is shown once when created; Rollgate keeps only its hash.`}
        actions={
          <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-api-key">
            Create API key
          </Button>
        }
      />
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}

      <Card>
        {keys.isPending ? (
          <div className="pad">
            <SkeletonRows rows={3} columns={6} />
          </div>
        ) : keys.isError ? (
          <div className="pad">
            <ErrorPanel error={keys.error} onRetry={() => void keys.refetch()} />
          </div>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<IconKey size={22} />}
            title={`No API keys for ${envName} yet`}
            action={
              <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                Create API key
              </Button>
            }
          >
            Create one for each service that asks Rollgate which model or prompt to use, or reports outcomes back.
          </EmptyState>
        ) : (
          <Table data-testid="api-keys-table" label="API keys">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Scopes</Th>
                <Th>Rate limit</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>State</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.id} data-testid="api-key-row" data-key-id={k.id} data-name={k.name} data-state={k.state}>
                  <Td>
                    <span className="cell-stack">
                      <span className="cell-strong">{k.name}</span>
                      <span className="muted small mono" title="The key's first characters, to tell keys apart">
                        {k.prefix}…
                      </span>
                    </span>
                  </Td>
                  <Td>
                    <span className="badge-list">
                      {k.scopes.map((s) => (
                        <Badge key={s} tone={SCOPE_INFO[s].tone} title={SCOPE_INFO[s].description} mono>
                          {s}
                        </Badge>
                      ))}
                    </span>
                  </Td>
                  <Td className="nowrap">{k.rateLimitPerSecond.toLocaleString("en-US")}/s</Td>
                  <Td className="small">
                    <span className="cell-stack">
                      <span className="nowrap">
                        <When iso={k.createdAt} />
                      </span>
                      <span className="muted">{k.createdBy ? k.createdBy.label : "unknown"}</span>
                    </span>
                  </Td>
                  <Td className="nowrap muted small">{k.lastUsedAt ? <When iso={k.lastUsedAt} /> : "Never"}</Td>
                  <Td>
                    {k.state === "active" ? (
                      <Badge tone="success">Active</Badge>
                    ) : (
                      <span className="cell-stack">
                        <Badge tone="danger">Revoked</Badge>
                        {k.revokedAt && (
                          <span className="muted small nowrap">
                            <When iso={k.revokedAt} />
                          </span>
                        )}
                      </span>
                    )}
                  </Td>
                  <Td className="row-actions">
                    {k.state === "active" && (
                      <Button size="sm" variant="ghost" className="text-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      <Card>
        <CardHeader title="Using a key" />
        <CardBody className="form-stack">
          <p className="small" style={{ margin: 0 }}>
            Send the key as <code>Authorization: Bearer rg_…</code> (or <code>X-API-Key: rg_…</code>). A key acts only in its own environment; a request outside its scopes gets <code>403</code>, an
            unknown or revoked key <code>401</code>, and more requests per second than its limit <code>429</code> with <code>Retry-After</code>. “Last used” may lag by up to a minute.
          </p>
          <pre className={styles.example}>
            {`curl -X POST $ROLLGATE_URL/api/v1/evaluate \\
  -H "Authorization: Bearer $ROLLGATE_KEY" -H 'content-type: application/json' \\
  -d '{"context":{"userId":"u1"}}'`}
          </pre>
        </CardBody>
      </Card>

      <CreateApiKeyDialog open={creating} environment={env} environmentName={envName} onClose={() => setCreating(false)} onCreated={setCreated} />
      <KeyShownOnceDialog created={created} onClose={() => setCreated(null)} />

      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={revoking ? `Revoke “${revoking.name}”?` : "Revoke API key?"}
        confirmLabel="Revoke key"
        tone="danger"
        onConfirm={async () => {
          if (!revoking) return;
          await revoke.mutateAsync(revoking.id);
          setNotice(`Revoked ${revoking.name}. Requests with it now get 401.`);
        }}
      >
        <p>
          Services using <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>) are refused at once, with <code>401</code>. This cannot be undone; the key stays listed as revoked.
        </p>
      </ConfirmDialog>
    </>
  );
}
