import type { ReactNode } from "react";

/**
 * What a screen shows when there is nothing to list yet: a title, one or two sentences on what
 * will appear and how it gets there, and optionally a real action (never a dead button).
 */
export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      {icon && (
        <div className="empty-state-icon" aria-hidden>
          {icon}
        </div>
      )}
      <h3 className="empty-state-title">{title}</h3>
      {children && <div className="empty-state-text">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
