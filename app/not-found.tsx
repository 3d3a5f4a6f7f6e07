import type { Metadata } from "next";
import Link from "next/link";
import { Wordmark } from "@/components/shell/logo-mark";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10 text-center">
      <Wordmark className="mb-10" />
      <p className="text-sm font-medium text-fg-muted">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-3 max-w-md text-sm text-fg-muted">
        There is nothing at this address. It may have been mistyped, or the page has moved. Check the link, or start again from the plant
        overview.
      </p>
      <Link href="/" className={buttonClasses("primary", "mt-8")}>
        Go to the plant overview
      </Link>
    </main>
  );
}
