import type { ReactNode } from "react";
import { isApiError } from "@/lib/client/api";
import { Button } from "./button";

/**
 * The failure of a request, as the server explained it: the problem's title and detail, and
 * its request id so the person can quote it. A lost session gets a sign-in link instead.
 */
export function ErrorPanel({ error, title, onRetry, compact }: { error: unknown; title?: string; onRetry?: () => void; compact?: boolean }) {
  let heading = title ?? "Something went wrong";
  let detail: ReactNode = "An unexpected error occurred. Try again in a moment.";
  let requestId: string | undefined;
  let signIn = false;

  if (isApiError(error)) {
    heading = title ?? error.problem.title;
    detail = error.problem.detail;
    requestId = error.requestId || undefined;
    signIn = error.status === 401;
    if (signIn) detail = "Your session has ended. Sign in again to continue.";
  } else if (error instanceof Error && error.message) {
    detail = error.message;
  }

  return (
    <div className={compact ? "alert alert-danger" : "error-panel"} role="alert">
      <div className="error-panel-body">
        <strong className="error-panel-title">{heading}</strong>
        <p className="error-panel-detail">{detail}</p>
        {requestId && (
          <p className="error-panel-meta">
            Request id <code>{requestId}</code>
          </p>
        )}
      </div>
      <div className="error-panel-actions">
        {signIn && (
          <a className="btn btn-primary btn-sm" href={`/login?callbackUrl=${encodeURIComponent(typeof window === "undefined" ? "/" : window.location.pathname + window.location.search)}`}>
            Sign in
          </a>
        )}
        {onRetry && !signIn && (
          <Button size="sm" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    </div>
  );
}
