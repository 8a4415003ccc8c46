/**
 * Where to go after sign-in. Only same-site paths are accepted ("/audit?env=staging"); anything
 * else (absolute URLs, "//evil.example", "/\evil") falls back to the overview, so the sign-in
 * page cannot be used as an open redirect. Used on both server and client.
 */
export function safeCallbackUrl(value: string | string[] | undefined | null): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\")) return "/";
  if (v.startsWith("/login") || v.startsWith("/api/")) return "/";
  return v;
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
      return "Too many failed attempts; wait 15 minutes before trying again.";
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
