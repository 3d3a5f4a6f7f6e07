"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { adminSections } from "./admin-sections";

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin sections" className="-mx-1 overflow-x-auto">
      <ul className="flex gap-1 px-1 pb-1">
        {adminSections.map((section) => {
          const active = pathname === section.href || pathname.startsWith(`${section.href}/`);
          return (
            <li key={section.href} className="shrink-0">
              <Link
                href={section.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "flex min-h-11 items-center whitespace-nowrap rounded-md px-3 text-sm font-medium transition-colors lg:min-h-9",
                  active ? "bg-accent-soft text-accent-text" : "text-fg-muted hover:bg-subtle hover:text-fg",
                )}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
