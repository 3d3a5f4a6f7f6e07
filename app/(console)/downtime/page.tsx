import type { Metadata } from "next";
import { headers } from "next/headers";
import { Suspense } from "react";
import { resolveCaller } from "@/lib/auth/caller";
import { hasRole } from "@/lib/auth/roles";
import { DowntimeList } from "./downtime-list";

export const metadata: Metadata = { title: "Downtime" };

export default async function DowntimePage() {
  const caller = await resolveCaller(await headers());
  // Only a hint for the UI: PATCH /api/v1/stops checks the role again.
  const canClassify = !!caller && hasRole(caller.role, "SUPERVISOR");
  return (
    <Suspense>
      <DowntimeList canClassify={canClassify} />
    </Suspense>
  );
}
