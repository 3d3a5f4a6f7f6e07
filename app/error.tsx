"use client";

import { ErrorPanel } from "@/components/error-panel";

/** Errors above the console pages, e.g. the console layout cannot reach the database to check the session. */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="px-4 py-16 sm:py-24">
      <ErrorPanel error={error} retry={retry} />
    </main>
  );
}
