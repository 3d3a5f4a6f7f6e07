"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { NavIcon } from "./nav-icons";
import { isActiveNavItem, type TNavItem } from "./nav-items";

export function ShellNav({ items, className }: { items: TNavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={cx("overflow-x-auto border-t border-line lg:overflow-visible lg:border-t-0", className)}>
      <ul className="flex gap-1 px-2 py-1.5 lg:flex-col lg:px-3 lg:py-2">
        {items.map((item) => {
          const active = isActiveNavItem(item.href, pathname);
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "flex min-h-11 items-center gap-2.5 whitespace-nowrap rounded-md px-3 text-sm font-medium transition-colors lg:min-h-9",
                  active ? "bg-accent-soft text-accent-text" : "text-fg-muted hover:bg-subtle hover:text-fg",
                )}
              >
                {item.icon ? <NavIcon name={item.icon} className="size-5 shrink-0" /> : null}
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
