"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { assetTreeQuery, flattenTree } from "@/lib/assets/asset-tree-query";
import { queryKeys } from "@/lib/query-keys";
import type { TShiftCalendar } from "@/lib/shifts/shift-calendars";
import { ExceptionsSection } from "./exceptions-section";
import { PatternSection } from "./pattern-section";
import { PlannedWeek } from "./planned-week";
import { PageHeader } from "@/components/ui/page-header";

/** Admins plan each site's shifts: a weekly pattern with breaks (versioned by start date), holidays and overtime, and a preview. */
export function ShiftCalendarsAdmin() {
  const siteSelectId = useId();
  const tree = useQuery(assetTreeQuery);
  const sites = flattenTree(tree.data ?? []).filter((node) => node.level === "SITE");
  const [chosen, setChosen] = useState<string | null>(null);
  const site = sites.find((candidate) => candidate.id === chosen) ?? sites[0] ?? null;
  const calendar = useQuery({
    queryKey: queryKeys.shiftCalendar(site?.id ?? ""),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TShiftCalendar }>(`/api/v1/sites/${site?.id}/shift-calendar`, { signal })).data,
    enabled: site !== null,
  });

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader title="Shift calendars" actions={sites.length > 0 ? (
        <div>
          <label htmlFor={siteSelectId} className="mb-1 block text-sm font-medium">Site</label>
          <Select id={siteSelectId} value={site?.id ?? ""} onChange={(event) => setChosen(event.target.value)}>
            {sites.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name} ({candidate.path})</option>)}
          </Select>
        </div>
      ) : null}>
        When each site plans to produce, in the site&apos;s own time zone. Time outside shifts is not downtime; a planned break
        covers a stop. Shifts sent over MQTT (<code>_analytics/shift/add</code>) count as well.
      </PageHeader>

      {tree.isError ? <p role="alert" className="text-sm text-danger-text">Could not load the sites: {tree.error.message}</p> : null}
      {tree.data && sites.length === 0 ? (
        <p className="rounded-lg border border-line bg-surface p-6 text-sm">
          No sites yet. Create a site in <Link href="/admin/assets" className="font-medium text-accent-text underline">Assets</Link> first,
          or let the ingest worker register one from the first messages it receives.
        </p>
      ) : null}
      {calendar.isError ? <p role="alert" className="text-sm text-danger-text">Could not load the calendar: {calendar.error.message}</p> : null}
      {site && calendar.data && calendar.data.site.id === site.id ? (
        <>
          {!calendar.data.site.timeZoneValid ? (
            <p role="note" className="rounded-lg border border-line-strong bg-subtle px-4 py-2 text-sm">
              This site has no valid time zone, so its shifts are planned in UTC. Set the zone in <Link href="/admin/assets" className="underline">Assets</Link>.
            </p>
          ) : null}
          <PatternSection key={`pattern-${site.id}`} calendar={calendar.data} />
          <ExceptionsSection key={`exceptions-${site.id}`} calendar={calendar.data} />
          <PlannedWeek siteId={site.id} timeZone={calendar.data.site.timeZone} />
        </>
      ) : null}
    </div>
  );
}
