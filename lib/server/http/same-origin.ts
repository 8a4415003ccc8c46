/**
 * The cross-site request guard for cookie-authenticated requests (CSRF). A browser attaches the
 * session cookie to requests a page on another origin makes (a form, a no-cors fetch; same-site
 * pages on another port even get SameSite=Lax cookies on top-level POSTs), so every unsafe
 * request that authenticates with the cookie must prove it comes from the app's own pages:
 *
 * 1. `Origin` must be the app's origin (ROLLGATE_URL, or the request's own Host under the same
 *    scheme); browsers send it on every non-GET request. "null" (sandboxed frames, some
 *    redirects) is refused.
 * 2. Without Origin, `Sec-Fetch-Site` must be `same-origin`.
 * 3. Without both, the origin of `Referer` must match.
 * 4. With none of the three the request did not come from a browser page: refused too, so a
 *    script using a session cookie must send `Origin` like a browser (or use an API key).
 *
 * Then a body must be declared JSON (`application/json` or `*+json`): an HTML form can only send
 * urlencoded, multipart or text/plain bodies, so this alone also stops form-based CSRF.
 * API-key requests carry no ambient credential and are not checked here.
 */
import "server-only";
import { appUrl, getEnv } from "../../env";
import { problemBody, problemResponse } from "./problem";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CrossSiteVerdict = { ok: true } | { ok: false; status: 403 | 415; code: string; detail: string };

/** Origins this app answers for: the configured URL's, and the request's own Host under the same scheme. */
export function ownOrigins(headers: Headers, configuredUrl: string): Set<string> {
  const configured = new URL(configuredUrl);
  const origins = new Set([configured.origin]);
  const host = headers.get("host");
  if (host && /^[A-Za-z0-9.\-:[\]]+$/.test(host)) origins.add(`${configured.protocol}//${host.toLowerCase()}`);
  return origins;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function checkSameOrigin(method: string, headers: Headers, configuredUrl: string, expectsBody: boolean): CrossSiteVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const own = ownOrigins(headers, configuredUrl);
  const refuse = (detail: string): CrossSiteVerdict => ({ ok: false, status: 403, code: "cross_site_request", detail });

  const origin = headers.get("origin");
  const fetchSite = headers.get("sec-fetch-site");
  const referer = headers.get("referer");
  if (origin !== null) {
    if (!own.has(origin.toLowerCase())) return refuse(`Requests signed in with a session cookie must come from this app's pages; Origin "${origin.slice(0, 100)}" is not this app.`);
  } else if (fetchSite !== null) {
    if (fetchSite !== "same-origin") return refuse(`Requests signed in with a session cookie must come from this app's pages; this one is ${fetchSite.slice(0, 20)}.`);
  } else if (referer !== null) {
    const from = originOf(referer);
    if (!from || !own.has(from)) return refuse("Requests signed in with a session cookie must come from this app's pages; the Referer is another origin.");
  } else {
    return refuse("Requests signed in with a session cookie must send Origin (browsers do); scripts should use an API key.");
  }

  const contentType = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const declaresBody = contentType !== "" || (headers.get("content-length") ?? "0") !== "0" || headers.has("transfer-encoding");
  if ((expectsBody || declaresBody) && !(contentType === "application/json" || contentType.endsWith("+json"))) {
    return {
      ok: false,
      status: 415,
      code: "unsupported_media_type",
      detail: `Send the body as application/json${contentType ? `, not ${contentType.slice(0, 60)}` : ""}.`,
    };
  }
  return { ok: true };
}

/** The guard the route layer calls for a cookie-authenticated request: a problem Response, or null to go on. */
export function refuseCrossSite(request: Request, requestId: string, expectsBody: boolean): Response | null {
  const verdict = checkSameOrigin(request.method, request.headers, appUrl(getEnv()), expectsBody);
  if (verdict.ok) return null;
  return problemResponse(problemBody(verdict.status, verdict.code, verdict.detail, requestId));
}
