"use client";
/** The model price table (Settings → Model prices): read, and replace as a whole (admins). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ModelPriceBody } from "@/lib/schemas/prices";
import { api, apiRequest } from "../api";

export interface StoredModelPrice extends ModelPriceBody {
  updatedAt: string;
}

export const priceKeys = {
  all: () => ["prices"] as const,
};

export function usePrices() {
  return useQuery({
    queryKey: priceKeys.all(),
    queryFn: ({ signal }) => api.get<{ prices: StoredModelPrice[] }>("/api/v1/prices", undefined, signal),
    select: (data) => data.prices,
  });
}

/** Price changes are audited, so the audit views are refreshed too. */
export function useReplacePrices() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (prices: ModelPriceBody[]) => apiRequest<{ prices: StoredModelPrice[] }>("/api/v1/prices", { method: "PUT", body: { prices } }),
    onSuccess: (data) => {
      client.setQueryData(priceKeys.all(), data);
      return Promise.all([client.invalidateQueries({ queryKey: priceKeys.all() }), client.invalidateQueries({ queryKey: ["audit"] })]);
    },
  });
}
