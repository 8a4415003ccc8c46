import { useId, type ReactNode } from "react";

/**
 * An action with, when it is disabled, the reason as visible text beside it (not a hover-only
 * tooltip), tied to the control with aria-describedby so a screen reader reads it too.
 * `children` receives the id to put in the control's aria-describedby (undefined when enabled).
 */
export function WithDisabledReason({ reason, children, testId }: { reason?: string | null; children: (describedBy: string | undefined) => ReactNode; testId?: string }) {
  const id = useId();
  return (
    <span className="with-reason">
      {children(reason ? id : undefined)}
      {reason && (
        <span className="disabled-reason" id={id} data-testid={testId}>
          {reason}
        </span>
      )}
    </span>
  );
}
