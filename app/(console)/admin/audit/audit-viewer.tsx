"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState, useSyncExternalStore } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TAuditEntry } from "@/lib/audit/find-audit";
import { queryKeys } from "@/lib/query-keys";
import { diffAudit } from "./audit-diff";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TFilters = { entity: string; user: string; from: string; to: string };
type TPage = { data: TAuditEntry[]; nextCursor: string | null };

const emptyFilters: TFilters = { entity: "", user: "", from: "", to: "" };
const pageSize = 50;
const csvLimit = 1000;
// Entities the console writes today; the list grows with what the loaded rows show.
const knownEntities = ["api_token", "asset", "asset_type", "quarantined_message", "reason_code", "setting", "shift_exception", "shift_pattern", "stop", "topic", "user"];

/** The query string of the API for a set of filters; datetime-local values are read in the browser's zone. */
function auditParams(filters: TFilters): Record<string, string> {
  return {
    ...(filters.entity.trim() ? { entity: filters.entity.trim() } : {}),
    ...(filters.user.trim() ? { user: filters.user.trim() } : {}),
    ...(filters.from ? { from: new Date(filters.from).toISOString() } : {}),
    ...(filters.to ? { to: new Date(filters.to).toISOString() } : {}),
  };
}

const noSubscription = () => () => {};
/** The browser's IANA zone; null while rendering on the server, which has a zone of its own. */
function useBrowserZone(): string | null {
  return useSyncExternalStore(noSubscription, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => null);
}

export function AuditViewer() {
  const ids = { title: useId(), entity: useId(), entities: useId(), user: useId(), users: useId(), from: useId(), to: useId() };
  const zone = useBrowserZone();
  const [draft, setDraft] = useState<TFilters>(emptyFilters);
  const [applied, setApplied] = useState<TFilters>(emptyFilters);
  const rangeError = draft.from && draft.to && new Date(draft.from) >= new Date(draft.to) ? "“From” must be before “Until”." : null;

  const audit = useInfiniteQuery({
    queryKey: queryKeys.audit(applied),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      fetchJson<TPage>(`/api/v1/audit?${new URLSearchParams({ ...auditParams(applied), limit: String(pageSize), ...(pageParam ? { cursor: pageParam } : {}) })}`, { signal }),
    getNextPageParam: (last) => last.nextCursor,
  });
  // For the user filter's suggestions; the filter also takes a token label or a user id.
  const users = useQuery({
    queryKey: queryKeys.users(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: { email: string }[] }>("/api/v1/users", { signal })).data,
  });
  const entries = audit.data?.pages.flatMap((page) => page.data) ?? [];
  const entities = [...new Set([...knownEntities, ...entries.map((entry) => entry.entity)])].sort();
  const exportHref = `/api/v1/audit?${new URLSearchParams({ ...auditParams(applied), format: "csv", limit: String(csvLimit) })}`;
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium", ...(zone ? { timeZone: zone } : {}) });

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <PageHeader title="Audit log">
        Every configuration change, newest first: who made it, when, and what it changed. Entries are written in the same transaction as the
        change and cannot be edited. Times are stored in UTC and shown in this browser&apos;s zone{zone ? ` (${zone})` : ""}.
      </PageHeader>

      <form className="space-y-3 rounded-lg border border-line bg-surface p-4 shadow-xs" aria-labelledby={ids.title} noValidate onSubmit={(event) => {
        event.preventDefault();
        if (!rangeError) setApplied(draft);
      }}>
        <h2 id={ids.title} className="text-base font-semibold">Filter</h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <label htmlFor={ids.entity} className="mb-1 block text-sm font-medium">Entity</label>
            <Input id={ids.entity} list={ids.entities} autoComplete="off" placeholder="any, e.g. api_token" value={draft.entity} onChange={(event) => setDraft({ ...draft, entity: event.target.value })} />
            <datalist id={ids.entities}>{entities.map((entity) => <option key={entity} value={entity} />)}</datalist>
          </div>
          <div>
            <label htmlFor={ids.user} className="mb-1 block text-sm font-medium">User</label>
            <Input id={ids.user} list={ids.users} autoComplete="off" placeholder="any: e-mail, token:name or id" value={draft.user} onChange={(event) => setDraft({ ...draft, user: event.target.value })} />
            <datalist id={ids.users}>{(users.data ?? []).map((user) => <option key={user.email} value={user.email} />)}</datalist>
          </div>
          <div>
            <label htmlFor={ids.from} className="mb-1 block text-sm font-medium">From</label>
            <Input id={ids.from} type="datetime-local" invalid={!!rangeError} aria-describedby={`${ids.from}-hint`} value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          </div>
          <div>
            <label htmlFor={ids.to} className="mb-1 block text-sm font-medium">Until</label>
            <Input id={ids.to} type="datetime-local" invalid={!!rangeError} aria-describedby={`${ids.from}-hint`} value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          </div>
        </div>
        <p id={`${ids.from}-hint`} className={`text-xs ${rangeError ? "text-danger-text" : "text-fg-muted"}`}>
          {rangeError ?? `Dates in ${zone ?? "this browser's zone"}; “Until” is exclusive. Leave a field empty for no limit.`}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={!!rangeError}>Apply filters</Button>
          <Button variant="secondary" onClick={() => {
            setDraft(emptyFilters);
            setApplied(emptyFilters);
          }}>Clear</Button>
          <a className={buttonClasses("secondary")} href={exportHref} download>Export CSV</a>
          <span className="self-center text-xs text-fg-muted">The CSV holds the newest {csvLimit} entries matching the applied filters, one line per changed field.</span>
        </div>
      </form>

      {audit.isPending ? <p className="text-sm text-fg-muted">Loading the audit log…</p> : null}
      {audit.isError ? <p role="alert" className="text-sm text-danger-text">Could not load the audit log: {audit.error.message}</p> : null}
      {audit.isSuccess && entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line-strong p-6 text-center text-sm text-fg-muted">
          {Object.keys(auditParams(applied)).length ? "No entries match these filters. Widen the dates or clear a filter." : "No changes recorded yet. Changes to assets, users, tokens, reason codes and shifts appear here."}
        </p>
      ) : null}
      {entries.length ? (
        <DataTable testId="audit-table" caption="Audit entries, newest first" headings={[`When (${zone ?? "local time"})`, "Who", "Action", "Entity", "Entity id", "Before → after"]}>
          {entries.map((entry, index) => (
            <tr key={`${entry.at}-${index}`} className="border-t border-line align-top" data-entity={entry.entity} data-action={entry.action}>
              <td className="whitespace-nowrap px-3 py-2"><time dateTime={entry.at} title={`${entry.at} (UTC)`}>{timeFormat.format(new Date(entry.at))}</time></td>
              <td className="min-w-36 break-words px-3 py-2">{entry.actor}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{entry.action}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{entry.entity}</td>
              <td className="max-w-40 break-all px-3 py-2 font-mono text-xs">{entry.entityId ?? "–"}</td>
              <td className="min-w-56 px-3 py-2"><Changes before={entry.before} after={entry.after} /></td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {audit.hasNextPage ? (
        <Button variant="secondary" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
          {audit.isFetchingNextPage ? "Loading…" : `Load ${pageSize} more`}
        </Button>
      ) : entries.length ? <p className="text-xs text-fg-muted">That is every matching entry ({entries.length}).</p> : null}
    </div>
  );
}

/** The changed keys of one entry; values are React text, so markup in stored values stays text. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const { changes, unchanged } = diffAudit(before, after);
  if (!changes.length) return <span className="text-xs text-fg-muted">{unchanged ? "No field changed" : "–"}</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {changes.map((change) => (
        <li key={change.key} className="[overflow-wrap:anywhere]">
          <span className="font-medium">{change.key}</span>:{" "}
          {change.kind === "added" ? <ins className="no-underline">{change.after}</ins> : null}
          {change.kind === "removed" ? <del>{change.before}</del> : null}
          {change.kind === "changed" ? <><del className="text-fg-muted">{change.before}</del> → <ins className="no-underline">{change.after}</ins></> : null}
        </li>
      ))}
      {unchanged ? <li className="text-fg-muted">{unchanged} unchanged</li> : null}
    </ul>
  );
}
