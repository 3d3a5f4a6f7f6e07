import type { ReactNode } from "react";

/** The console's table: a scrolling card with a header row; `children` are the body rows. */
export function DataTable({ testId, headings, children }: { testId?: string; headings: readonly ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-surface shadow-xs">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-xs text-fg-muted">
          <tr>{headings.map((heading, index) => <th key={index} scope="col" className="px-3 py-2 text-left font-medium">{heading}</th>)}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
