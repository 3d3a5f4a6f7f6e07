import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { resolveCaller } from "@/lib/auth/caller";
import { hasRole } from "@/lib/auth/roles";
import { AssetsAdmin } from "./assets-admin";

export const metadata: Metadata = { title: "Assets" };

export default async function AssetsPage() {
  const caller = await resolveCaller(await headers());
  // The API refuses non-admins anyway; the page does not even admit it exists.
  if (!caller || !hasRole(caller.role, "ADMIN")) notFound();
  return <AssetsAdmin />;
}
