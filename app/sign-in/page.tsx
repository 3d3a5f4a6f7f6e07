import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Wordmark } from "@/components/shell/logo-mark";
import { resolveCaller } from "@/lib/auth/caller";
import { safeNextPath } from "./safe-next-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNextPath((await searchParams).next);
  // With the database down the form still shows; signing in then reports the problem itself.
  const caller = await resolveCaller(await headers()).catch(() => null);
  if (caller) redirect(next ?? "/");

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10 sm:px-6">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Wordmark className="text-xl" />
          <p className="text-sm text-fg-muted">Plant operations console</p>
        </div>
        <div className="rounded-lg border border-line bg-surface p-6 shadow-sm sm:p-8">
          <h1 className="mb-6 text-lg font-semibold">Sign in to your plant</h1>
          <SignInForm next={next} />
        </div>
        <p className="mt-6 text-center text-sm text-fg-muted">No account or forgot your password? Ask your Shopfloor admin.</p>
      </div>
    </main>
  );
}
