import type { ReactNode } from "react";

// 20px stroke icons; adding a nav item for a new area means picking one of these or adding one.
const paths = {
  overview: (
    <>
      <rect x="3" y="3" width="6" height="6" rx="1" />
      <rect x="11" y="3" width="6" height="6" rx="1" />
      <rect x="3" y="11" width="6" height="6" rx="1" />
      <rect x="11" y="11" width="6" height="6" rx="1" />
    </>
  ),
  oee: (
    <>
      <path d="M3.5 14a6.5 6.5 0 1 1 13 0" />
      <path d="M10 14l3-4" />
    </>
  ),
  downtime: (
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M8 7.5v5M12 7.5v5" />
    </>
  ),
  quality: (
    <>
      <path d="M10 2.5l6 2.5v4.5c0 3.8-2.6 6.6-6 8-3.4-1.4-6-4.2-6-8V5z" />
      <path d="M7.5 10l1.8 1.8L13 8" />
    </>
  ),
  maintenance: <path d="M12.5 3.5a4 4 0 0 0-3.9 5.1L3.5 13.7a1.6 1.6 0 0 0 2.3 2.3l5.1-5.1a4 4 0 0 0 5.1-3.9l-2.3 2.3-2.2-.5-.5-2.2z" />,
  admin: (
    <>
      <circle cx="10" cy="10" r="2.5" />
      <path d="M10 2.5v2M10 15.5v2M17.5 10h-2M4.5 10h-2M15.3 4.7l-1.4 1.4M6.1 13.9l-1.4 1.4M15.3 15.3l-1.4-1.4M6.1 6.1L4.7 4.7" />
    </>
  ),
} satisfies Record<string, ReactNode>;

export type TNavIcon = keyof typeof paths;

export function NavIcon({ name, className }: { name: TNavIcon; className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={className}>
      {paths[name]}
    </svg>
  );
}
