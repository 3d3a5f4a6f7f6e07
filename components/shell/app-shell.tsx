import Link from "next/link";
import type { ReactNode } from "react";
import { hasRole } from "@/lib/auth/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { Wordmark } from "./logo-mark";
import { navItems } from "./nav-items";
import { ShellNav } from "./shell-nav";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

/**
 * One header that is a top bar with a scrolling nav row below 1024px (a 10-inch tablet in
 * portrait) and a left sidebar from 1024px up; grid areas move the same elements, so nothing
 * is rendered twice.
 */
export function AppShell({ label, role, children }: { label: string; role: Role; children: ReactNode }) {
  const items = navItems.filter((item) => hasRole(role, item.minRole));
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-4 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>
      {/* The wrapper runs the full height of the page so the sidebar's colour never stops short. */}
      <div className="sticky top-0 z-30 lg:static lg:border-r lg:border-line lg:bg-surface">
        <header className="grid grid-cols-[minmax(0,1fr)_auto] border-b border-line bg-surface [grid-template-areas:'brand_controls'_'nav_nav'] lg:sticky lg:top-0 lg:h-dvh lg:grid-cols-1 lg:grid-rows-[auto_minmax(0,1fr)_auto] lg:border-b-0 lg:[grid-template-areas:'brand'_'nav'_'controls']">
          <div className="flex h-14 items-center px-4 [grid-area:brand] lg:h-16 lg:px-5">
            <Link href="/" className="flex min-h-11 items-center rounded-md">
              <Wordmark />
            </Link>
          </div>
          <ShellNav items={items} className="[grid-area:nav]" />
          <div className="flex items-center gap-2 px-3 [grid-area:controls] lg:flex-col lg:items-stretch lg:gap-3 lg:border-t lg:border-line lg:p-3">
            <ThemeToggle />
            <UserMenu label={label} role={role} />
          </div>
        </header>
      </div>
      <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 outline-none sm:px-6 lg:px-10 lg:py-8">
        {children}
      </main>
    </div>
  );
}
