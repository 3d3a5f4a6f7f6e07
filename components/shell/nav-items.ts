import type { Role } from "@/lib/generated/prisma/enums";
import type { TNavIcon } from "./nav-icons";

export type TNavItem = { href: string; label: string; icon?: TNavIcon; minRole: Role };

/**
 * The console's sections, in order. A new area is one entry; items above the caller's role
 * are not shown (the pages and API check the role again themselves). Coming next:
 *   { href: "/quality", label: "Quality", icon: "quality", minRole: "VIEWER" },
 *   { href: "/maintenance", label: "Maintenance", icon: "maintenance", minRole: "SUPERVISOR" },
 */
export const navItems: TNavItem[] = [
  { href: "/", label: "Overview", icon: "overview", minRole: "VIEWER" },
  { href: "/oee", label: "OEE", icon: "oee", minRole: "VIEWER" },
  { href: "/downtime", label: "Downtime", icon: "downtime", minRole: "VIEWER" },
  { href: "/admin", label: "Admin", icon: "admin", minRole: "ADMIN" },
];

/** The item for a path: "/" only on itself, others on themselves and everything below them. */
export function isActiveNavItem(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
