import { headers } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { resolveCaller } from "@/lib/auth/caller";
import { hasRole } from "@/lib/auth/roles";

/** Every admin page: admins only (the API checks again), with the sections as tabs. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const caller = await resolveCaller(await headers());
  // Non-admins are not even told the admin area exists.
  if (!caller || !hasRole(caller.role, "ADMIN")) notFound();
  return (
    <div className="space-y-4">
      <AdminTabs />
      {children}
    </div>
  );
}
