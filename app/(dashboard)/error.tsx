"use client";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/**
 * A page of the dashboard failed to render. Production builds hide server error messages, so
 * show the digest that matches the server log line.
 */
export default function DashboardError({ error, retry, reset }: { error: unknown; retry?: () => void; reset?: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const again = retry ?? reset;
  return (
    <div className="error-panel" role="alert">
      <div className="error-panel-body">
        <strong className="error-panel-title">This page could not be shown</strong>
        <p className="error-panel-detail">Something went wrong while loading it. Try again; if it keeps failing, quote the reference below when reporting it.</p>
        {digest && (
          <p className="error-panel-meta">
            Reference <code>{digest}</code>
          </p>
        )}
      </div>
      {again && (
        <div className="error-panel-actions">
          <Button size="sm" onClick={() => again()}>
            Try again
          </Button>
        </div>
      )}
    </div>
  );
}
