import type { ReactNode } from "react";

/**
 * The console's table: a scrolling card with a header row; `children` are the body rows. `caption` names the
 * table for screen readers.
 */
export function DataTable({ testId, caption, headings, children }: { testId?: string; caption?: string; headings: readonly ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-surface shadow-xs">
      <table className="w-full text-sm" data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="text-xs text-fg-muted">
          <tr>{headings.map((heading, index) => <th key={index} scope="col" className="whitespace-nowrap px-3 py-2 text-left font-medium">{heading}</th>)}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
