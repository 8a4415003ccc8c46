/**
 * Existence checks of dashboard pages, made on the server before anything renders so that an
 * unknown environment, rollout, flag or SLO answers HTTP 404 with the not-found page
 * (app/(dashboard)/not-found.tsx), never a page that pretends or a 200 that says "try again".
 * No dashboard segment has a loading.tsx: under one the response would start streaming as 200
 * before `notFound()` runs.
 */
import "server-only";
import { notFound } from "next/navigation";
import { DomainError } from "../../domain/errors";
import { getEnvironmentByKey } from "../services/environments";
import { flagExists } from "../services/flags";
import { rolloutExists } from "../services/rollouts";
import { sloExists } from "../services/slos/slos";

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The URL's environment key (`?env=`), production when absent or empty. */
export async function environmentParam(searchParams: PageSearchParams): Promise<string> {
  const env = (await searchParams).env;
  return (Array.isArray(env) ? env[0] : env) || "production";
}

/** The environment the URL names; 404 when there is none of that key. */
export async function environmentOr404(searchParams: PageSearchParams) {
  const key = await environmentParam(searchParams);
  try {
    return await getEnvironmentByKey(key);
  } catch (e) {
    if (e instanceof DomainError && e.code === "not_found") notFound();
    throw e;
  }
}

export async function rolloutOr404(id: string): Promise<void> {
  if (!(await rolloutExists(id))) notFound();
}

export async function flagOr404(environmentId: string, key: string): Promise<void> {
  if (!(await flagExists(environmentId, key))) notFound();
}

export async function sloOr404(id: string): Promise<void> {
  if (!(await sloExists(id))) notFound();
}
