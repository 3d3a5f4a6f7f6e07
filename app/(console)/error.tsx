"use client";

import { ErrorPanel } from "@/components/error-panel";

/** Errors in a console page; the shell around it keeps working. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} />;
}
