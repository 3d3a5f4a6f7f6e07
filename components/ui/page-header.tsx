import type { ReactNode } from "react";

/** A page's title, what the page is for, and its page-wide controls (a site picker, a "New …" button) on the right. */
export function PageHeader({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1 max-w-3xl text-sm text-fg-muted">{children}</p>
      </div>
      {actions}
    </header>
  );
}
