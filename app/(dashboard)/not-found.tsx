import type { Metadata } from "next";
import { DashboardNotFound } from "@/components/shell/dashboard-not-found";
import { listEnvironments } from "@/lib/server/services/environments";

export const metadata: Metadata = { title: "Not found" };

/**
 * What a dashboard page renders, with status 404, when what its URL names does not exist (see
 * lib/server/pages/not-found.ts). Only reached inside the signed-in layout.
 */
export default async function NotFound() {
  const environments = await listEnvironments();
  return <DashboardNotFound environments={environments.map(({ key, name }) => ({ key, name }))} />;
}
