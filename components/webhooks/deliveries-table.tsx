"use client";
import { formatDateTime } from "@/lib/client/format";
import { useWebhookDeliveries } from "@/lib/client/hooks/webhooks";
import { Badge, type BadgeTone } from "../ui/badge";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { SkeletonRows } from "../ui/skeleton";
import { Table, Td, Th } from "../ui/table";

const STATUS_TONE: Record<string, BadgeTone> = { pending: "warning", succeeded: "success", failed: "danger" };

/** The last 50 deliveries of one webhook: status, attempts, last status code or error, next retry. */
export function DeliveriesTable({ webhookId }: { webhookId: string }) {
  const deliveries = useWebhookDeliveries(webhookId);
  if (deliveries.isPending)
    return (
      <div className="pad">
        <SkeletonRows rows={3} columns={5} />
      </div>
    );
  if (deliveries.isError)
    return (
      <div className="pad">
        <ErrorPanel error={deliveries.error} compact onRetry={() => void deliveries.refetch()} />
      </div>
    );
  if (deliveries.data.length === 0) {
    return <EmptyState title="No deliveries yet">Deliveries appear when a subscribed event happens, or when you send a test event.</EmptyState>;
  }
  return (
    <Table data-testid="deliveries-table" label="Deliveries">
      <thead>
        <tr>
          <Th>Event</Th>
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Last answer</Th>
          <Th>Created</Th>
          <Th>Delivered / next try</Th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.map((d) => (
          <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
            <Td>
              <code>{d.event}</code>
              <div className="muted small" title={typeof d.payload === "object" && d.payload && "text" in d.payload ? String(d.payload.text) : undefined}>
                {d.id.slice(0, 8)}
              </div>
            </Td>
            <Td>
              <Badge tone={STATUS_TONE[d.status] ?? "neutral"}>{d.status}</Badge>
            </Td>
            <Td>{d.attempts}</Td>
            <Td className="small">{d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? "—")}</Td>
            <Td className="nowrap muted">{formatDateTime(d.createdAt)}</Td>
            <Td className="nowrap muted">{d.status === "succeeded" ? formatDateTime(d.deliveredAt) : d.status === "pending" ? formatDateTime(d.nextAttemptAt) : "gave up"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
