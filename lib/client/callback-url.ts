/**
 * Where to go after sign-in (and where next-auth may redirect). Only a path on this origin is
 * accepted, after the normalisation a browser would apply: control characters (a tab or newline
 * inside "/\t/evil.example" is dropped by browsers, leaving "//evil.example"), backslashes
 * (read as "/"), a leading "//" (another host) and any scheme are refused, and the result is
 * re-serialised by the URL parser so it is always a valid Location header. Anything else is "/".
 * Pure, so the sign-in page, the next-auth redirect callback and the client share it.
 */
const PROBE_ORIGIN = "http://rollgate.invalid";
const MAX_LENGTH = 2048;

/** A same-origin path ("/audit?env=staging"), or null when `value` is anything else. */
export function sameOriginPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this check rejects
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? null : path;
}

/** The sign-in page's `callbackUrl`: a same-origin path that is not sign-in itself or an API. */
export function safeCallbackUrl(value: string | string[] | undefined | null): string {
  const path = sameOriginPath(Array.isArray(value) ? value[0] : value);
  if (!path || path.startsWith("/login") || path.startsWith("/api/")) return "/";
  return path;
}

/**
 * next-auth's redirect callback: `url` may be a path or an absolute URL on `baseUrl`'s origin;
 * anything else (another origin, a malformed URL such as "http://127.0.0.1:3801.evil.example/")
 * becomes `baseUrl`. Never throws.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return "/";
  }
  let path: string | null = null;
  if (typeof url === "string" && url.startsWith("/")) path = sameOriginPath(url);
  else {
    try {
      const absolute = new URL(url);
      if (absolute.origin === base.origin) path = sameOriginPath(`${absolute.pathname}${absolute.search}${absolute.hash}`);
    } catch {
      path = null;
    }
  }
  return `${base.origin}${path ?? "/"}`;
}

/** Messages for next-auth's `?error=` codes and our own ("RateLimited"). */
export function signInErrorMessage(code: string | null | undefined): string | null {
  switch (code) {
    case null:
    case undefined:
    case "":
      return null;
    case "CredentialsSignin":
      return "Wrong email or password. Check both and try again.";
    case "RateLimited":
      return "Too many failed attempts from this address; wait a little before trying again.";
    case "AccessDenied":
      return "This account may not sign in. Ask an admin to create or reactivate it.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthAccountNotLinked":
    case "Callback":
      return "Single sign-on did not complete. Try again, or sign in with email and password.";
    default:
      return "Sign-in failed. Try again.";
  }
}
