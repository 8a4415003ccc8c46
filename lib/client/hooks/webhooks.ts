"use client";
/** React-query hooks of Settings → Webhooks; the delivery log refreshes every 5 s. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateWebhookBody, UpdateWebhookBody } from "@/lib/schemas/webhooks";
import type { listDeliveries, listWebhooks } from "@/lib/server/services/webhooks";
import { api, apiRequest } from "../api";
import type { Serialized } from "./rollouts";

export type Webhook = Serialized<Awaited<ReturnType<typeof listWebhooks>>[number]>;
export type WebhookDelivery = Serialized<Awaited<ReturnType<typeof listDeliveries>>["deliveries"][number]>;
type WebhookCore = Omit<Webhook, "deliveries" | "lastDelivery">;

export const webhookKeys = {
  all: () => ["webhooks"] as const,
  list: () => ["webhooks", "list"] as const,
  deliveries: (id: string) => ["webhooks", "deliveries", id] as const,
};

export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.list(),
    queryFn: ({ signal }) => api.get<{ webhooks: Webhook[] }>("/api/v1/webhooks", undefined, signal),
    select: (data) => data.webhooks,
    refetchInterval: 10_000,
  });
}

export function useWebhookDeliveries(id: string | null) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id ?? ""),
    queryFn: ({ signal }) => api.get<{ deliveries: WebhookDelivery[] }>(`/api/v1/webhooks/${encodeURIComponent(id ?? "")}/deliveries`, { limit: 50 }, signal),
    select: (data) => data.deliveries,
    enabled: id !== null,
    refetchInterval: 5_000,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: webhookKeys.all() }), client.invalidateQueries({ queryKey: ["audit"] })]);
}

/** The answer includes the secret, shown once. */
export function useCreateWebhook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Partial<CreateWebhookBody> & Pick<CreateWebhookBody, "name" | "url" | "events">) => api.post<{ webhook: WebhookCore; secret: string }>("/api/v1/webhooks", body),
    onSuccess: invalidate,
  });
}

export function useUpdateWebhook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateWebhookBody & { id: string }) => api.patch<{ webhook: WebhookCore; secret?: string }>(`/api/v1/webhooks/${encodeURIComponent(id)}`, body),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiRequest<unknown>(`/api/v1/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function useSendTestEvent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ deliveryId: string }>(`/api/v1/webhooks/${encodeURIComponent(id)}/test`, {}),
    // The sender usually delivers within a second: look again shortly after queueing.
    onSuccess: () => {
      const refresh = () => client.invalidateQueries({ queryKey: webhookKeys.all() });
      setTimeout(refresh, 1500);
      return refresh();
    },
  });
}
