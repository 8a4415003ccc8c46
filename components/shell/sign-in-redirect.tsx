"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect } from "react";

/**
 * Rendered by the dashboard layout when there is no session (the page's own guard normally
 * redirects first). Sends the browser to sign-in and back to where it was.
 */
export function SignInRedirect() {
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    const query = params.toString();
    const back = `${pathname}${query ? `?${query}` : ""}`;
    window.location.replace(`/login?callbackUrl=${encodeURIComponent(back)}`);
  }, [pathname, params]);
  return (
    <p className="center-message" role="status">
      Redirecting to sign-in…
    </p>
  );
}
