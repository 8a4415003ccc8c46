import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "./cx";
import { ScrollRegion } from "./scroll-region";

/**
 * A full-width data table. On a narrow screen it scrolls sideways inside its card (never the
 * page); `label` names that scrollable region for screen readers and defaults to the table's
 * `aria-label`.
 */
export function Table({ className, label, ...rest }: HTMLAttributes<HTMLTableElement> & { label?: string }) {
  return (
    <ScrollRegion className="table-wrap" label={label ?? rest["aria-label"] ?? "Table"}>
      <table className={cx("table", className)} {...rest} />
    </ScrollRegion>
  );
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={className} {...rest} />;
}

export function Td({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={className} {...rest} />;
}
