"use client";
import Link from "next/link";
import { useState } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatRelative } from "@/lib/client/format";
import { useDeleteWebhook, useSendTestEvent, useUpdateWebhook, useWebhooks, type Webhook } from "@/lib/client/hooks/webhooks";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ConfirmDialog, Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconPlus, IconWebhook } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";
import { DeliveriesTable } from "./deliveries-table";
import { WebhookFormDialog } from "./webhook-form-dialog";
import styles from "./webhooks.module.css";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";

/** Settings → Webhooks: endpoints, their events, test events, secrets and the delivery log. */
export function WebhooksClient() {
  const env = useEnvironmentKey();
  const webhooks = useWebhooks();
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const test = useSendTestEvent();
  const [form, setForm] = useState<{ open: boolean; editing: Webhook | null }>({ open: false, editing: null });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useTransientNotice();

  // eslint-disable-next-line react-hooks/purity -- ages shown in the list are as of this render
  const now = Date.now();
  const shown = webhooks.data?.find((w) => w.id === selected) ?? webhooks.data?.[0] ?? null;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment("/settings", env)}>
            Settings
          </Link>
        }
        title="Webhooks"
        description="Signed, Slack-compatible notifications of rollout transitions, approvals needed, rollbacks and kill switches, retried with backoff until delivered."
        actions={
          <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setForm({ open: true, editing: null })} data-testid="add-webhook">
            Add webhook
          </Button>
        }
      />
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}
      {test.isError && <ErrorPanel error={test.error} compact />}

      <Card>
        {webhooks.isPending ? (
          <div className="pad">
            <SkeletonRows rows={3} columns={5} />
          </div>
        ) : webhooks.isError ? (
          <div className="pad">
            <ErrorPanel error={webhooks.error} onRetry={() => void webhooks.refetch()} />
          </div>
        ) : webhooks.data.length === 0 ? (
          <EmptyState icon={<IconWebhook size={22} />} title="No webhooks yet">
            Add a Slack incoming-webhook URL (or any HTTPS endpoint) to hear about promotions, approvals needed and rollbacks as they happen.
          </EmptyState>
        ) : (
          <Table data-testid="webhooks-table" label="Webhooks">
            <thead>
              <tr>
                <Th>Name and URL</Th>
                <Th>Environment</Th>
                <Th>Events</Th>
                <Th>Status</Th>
                <Th>Last delivery</Th>
              </tr>
            </thead>
            <tbody>
              {webhooks.data.map((w) => (
                <tr
                  key={w.id}
                  data-testid="webhook-row"
                  data-name={w.name}
                  className={shown?.id === w.id ? "row-clickable row-expanded" : "row-clickable"}
                  onClick={() => setSelected(w.id)}
                  aria-selected={shown?.id === w.id}
                >
                  <Td>
                    <button type="button" className="link" style={{ background: "none", border: 0, padding: 0, font: "inherit", fontWeight: 600, cursor: "pointer" }} onClick={() => setSelected(w.id)}>
                      {w.name}
                    </button>
                    <div className="muted small mono" style={{ maxWidth: 280, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={w.url}>
                      {w.url}
                    </div>
                  </Td>
                  <Td>{w.environment?.key ?? <span className="muted">all</span>}</Td>
                  <Td>
                    <ul className="small mono" style={{ margin: 0, padding: 0, listStyle: "none" }}>
                      {w.events.map((e) => (
                        <li key={e}>{e}</li>
                      ))}
                    </ul>
                  </Td>
                  <Td>
                    {w.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
                    <div className="muted small nowrap" title="succeeded · pending · failed">
                      {w.deliveries.succeeded} ok · {w.deliveries.pending} pending · <span className={w.deliveries.failed ? "text-danger" : undefined}>{w.deliveries.failed} failed</span>
                    </div>
                  </Td>
                  <Td className="small">
                    {w.lastDelivery ? (
                      <>
                        <Badge tone={w.lastDelivery.status === "succeeded" ? "success" : w.lastDelivery.status === "failed" ? "danger" : "warning"}>{w.lastDelivery.status}</Badge>
                        <div className="muted nowrap">
                          {w.lastDelivery.lastStatusCode !== null && `HTTP ${w.lastDelivery.lastStatusCode} · `}
                          {formatRelative(w.lastDelivery.createdAt, now)}
                        </div>
                      </>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      {shown && (
        <Card data-testid="webhook-detail">
          <CardHeader
            title={`Delivery log: ${shown.name}`}
            description="Newest first; refreshed every 5 s. Failed attempts are retried after 10 s, 20 s, 40 s… up to 8 attempts."
            actions={
              <div className={styles.actions}>
                <Button
                  size="sm"
                  variant="primary"
                  loading={test.isPending}
                  onClick={() => test.mutate(shown.id, { onSuccess: () => setNotice(`Test event queued for ${shown.name}; its outcome appears in the delivery log.`) })}
                  data-testid="send-test"
                >
                  Send test event
                </Button>
                <Button size="sm" onClick={() => update.mutate({ id: shown.id, active: !shown.active })} loading={update.isPending && update.variables?.active !== undefined}>
                  {shown.active ? "Deactivate" : "Activate"}
                </Button>
                <Button size="sm" onClick={() => setForm({ open: true, editing: shown })}>
                  Edit
                </Button>
                <Button size="sm" onClick={() => setRotating(shown)}>
                  Rotate secret
                </Button>
                <Button size="sm" className="text-danger" onClick={() => setDeleting(shown)}>
                  Delete
                </Button>
              </div>
            }
          />
          <CardBody flush>
            <DeliveriesTable webhookId={shown.id} />
          </CardBody>
        </Card>
      )}

      <Card>
        <CardHeader title="Verifying deliveries" />
        <CardBody>
          <p className="small">
            Each request carries <code>X-Rollgate-Event</code>, <code>X-Rollgate-Delivery</code> (the same id on every retry, to de-duplicate) and <code>X-Rollgate-Signature: sha256=&lt;hex&gt;</code>
            , the HMAC-SHA256 of the raw body keyed with the webhook&apos;s secret. Compute it over the bytes you received, before parsing the JSON, and compare in constant time.
          </p>
        </CardBody>
      </Card>

      <WebhookFormDialog
        open={form.open}
        editing={form.editing}
        onClose={() => setForm({ open: false, editing: null })}
        onSecret={(name, s, id) => {
          setSecret({ name, secret: s });
          setSelected(id);
        }}
      />

      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title="Copy the signing secret now"
        description="It is shown only this once. Store it with the receiver to verify signatures."
        footer={
          <Button variant="primary" onClick={() => setSecret(null)}>
            I have copied it
          </Button>
        }
      >
        {secret && (
          <div className="form-stack">
            <p className="small">
              Secret of <strong>{secret.name}</strong>:
            </p>
            <code className="json-block" data-testid="webhook-secret" style={{ display: "block", overflowWrap: "anywhere" }}>
              {secret.secret}
            </code>
            <Button size="sm" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>
              Copy to clipboard
            </Button>
          </div>
        )}
      </Dialog>

      <ConfirmDialog
        open={rotating !== null}
        onClose={() => setRotating(null)}
        title="Rotate the signing secret?"
        confirmLabel="Rotate"
        onConfirm={async () => {
          if (!rotating) return;
          const result = await update.mutateAsync({ id: rotating.id, rotateSecret: true });
          if (result.secret) setSecret({ name: rotating.name, secret: result.secret });
        }}
      >
        <p>
          Deliveries to <strong>{rotating?.name}</strong> are signed with a new secret from now on; the receiver must be updated, or it will reject them.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete webhook?"
        confirmLabel="Delete"
        tone="danger"
        onConfirm={async () => {
          if (!deleting) return;
          await remove.mutateAsync(deleting.id);
          setNotice(`Deleted ${deleting.name}.`);
          if (selected === deleting.id) setSelected(null);
        }}
      >
        <p>
          <strong>{deleting?.name}</strong> stops receiving events at once, and its delivery log is deleted with it.
        </p>
      </ConfirmDialog>
    </>
  );
}
