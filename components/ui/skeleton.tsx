import type { CSSProperties } from "react";
import { cx } from "./cx";

export function Skeleton({ width, height = 14, className, style }: { width?: number | string; height?: number; className?: string; style?: CSSProperties }) {
  return <span className={cx("skeleton", className)} style={{ width, height, ...style }} aria-hidden />;
}

/** Placeholder rows while a table loads; announced once to screen readers. */
export function SkeletonRows({ rows = 5, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div className="skeleton-rows" role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, r) => (
        <div className="skeleton-row" key={r}>
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} width={`${c === 0 ? 30 : 100 / columns}%`} />
          ))}
        </div>
      ))}
    </div>
  );
}
