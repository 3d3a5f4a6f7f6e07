import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { resolveCaller } from "@/lib/auth/caller";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const caller = await resolveCaller(await headers());
  if (!caller) redirect("/sign-in");
  return (
    <AppShell label={caller.label} role={caller.role}>
      {children}
    </AppShell>
  );
}
