/**
 * Webhook URLs often carry their credential (a Slack or Teams hook's path, a `?token=`, a
 * password). Export masks it: the origin and the first path segment stay, every later path
 * segment becomes one `***`, query values become `***`, and a password in the user part is
 * dropped for `***`. A masked URL in a file means "keep the current URL".
 */
export const MASK = "***";

export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const path = segments.length > 1 ? `/${segments[0]}/${MASK}` : url.pathname;
  const user = url.username ? `${url.username}${url.password ? `:${MASK}` : ""}@` : "";
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${MASK}`).join("&");
  return `${url.protocol}//${user}${url.host}${path}${query ? `?${query}` : ""}`;
}

export const isMaskedUrl = (url: string): boolean => url.includes(MASK);

/**
 * The URL a file means: itself, or, when masked, the current URL if its mask matches. A masked
 * URL that does not match the current one (or with nothing current) cannot be resolved.
 */
export function resolveUrl(wanted: string, current: string | undefined): { url: string } | { error: string } {
  if (!isMaskedUrl(wanted)) return { url: wanted };
  if (current === undefined) return { error: "a masked URL keeps the current one, but this webhook does not exist yet: write the full URL" };
  if (maskUrl(current) !== wanted) return { error: `the masked URL does not match the current one (${maskUrl(current)}): write the full URL to change it` };
  return { url: current };
}
