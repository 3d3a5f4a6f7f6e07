"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button, buttonClasses } from "@/components/ui/button";

/** What an error boundary shows: a plain explanation, a retry, and a way out. */
export function ErrorPanel({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  // Server errors reach the browser without their message (by design); the digest ties this to the server log.
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-line bg-surface px-6 py-8 shadow-xs">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-fg-muted">
        Something went wrong while loading it. Try again; if it keeps happening, the Shopfloor server or its database may be down — tell your
        admin{digest ? " and quote the reference below" : ""}.
      </p>
      {digest ? (
        <p className="mt-3 text-xs text-fg-muted">
          Reference: <code className="font-mono">{digest}</code>
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap gap-3">
        <Button onClick={() => retry()}>Try again</Button>
        <Link href="/" className={buttonClasses("secondary")}>
          Go to the plant overview
        </Link>
      </div>
    </div>
  );
}
