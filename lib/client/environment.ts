"use client";
/**
 * The selected environment lives in the URL (`?env=staging`) so a link or a reload keeps it.
 * Absent or empty means production.
 */
import { useSearchParams } from "next/navigation";

export const DEFAULT_ENVIRONMENT = "production";
export const ENV_PARAM = "env";

export function useEnvironmentKey(): string {
  const params = useSearchParams();
  return params.get(ENV_PARAM) || DEFAULT_ENVIRONMENT;
}

/** `href` with `?env=<key>` set (replacing any env already in it); other params are kept. */
export function withEnvironment(href: string, envKey: string): string {
  const [pathAndQuery, hash] = href.split("#", 2);
  const [path, query = ""] = pathAndQuery.split("?", 2);
  const params = new URLSearchParams(query);
  params.set(ENV_PARAM, envKey);
  return `${path}?${params.toString()}${hash ? `#${hash}` : ""}`;
}

/**
 * Display name of an environment: its configured name, else the key verbatim (a key is an
 * identifier; capitalising it would show something that exists nowhere).
 */
export function environmentLabel(key: string, environments?: readonly { key: string; name: string }[]): string {
  return environments?.find((e) => e.key === key)?.name ?? key;
}
