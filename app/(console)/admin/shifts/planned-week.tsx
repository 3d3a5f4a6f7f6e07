"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/query-keys";
import type { TPlannedShiftView } from "@/lib/shifts/find-planned-shifts";

const dayMs = 86_400_000;

/** The next seven days as the OEE figures will plan them: a check that the pattern and exceptions say what was meant. */
export function PlannedWeek({ siteId, timeZone }: { siteId: string; timeZone: string }) {
  const headingId = useId();
  // From the hour the page was opened, so the query key (and the cache) stays put while it is open.
  const [from] = useState(() => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString());
  const planned = useQuery({
    queryKey: queryKeys.plannedShifts(siteId, from),
    queryFn: async ({ signal }) => {
      const to = new Date(Date.parse(from) + 7 * dayMs).toISOString();
      return (await fetchJson<{ data: { shifts: TPlannedShiftView[] } }>(`/api/v1/sites/${siteId}/planned-shifts?${new URLSearchParams({ from, to })}`, { signal })).data.shifts;
    },
  });
  const time = new Intl.DateTimeFormat(undefined, { timeZone, hour: "2-digit", minute: "2-digit" });
  const day = new Intl.DateTimeFormat(undefined, { timeZone, weekday: "long", day: "numeric", month: "short" });
  const byDate = new Map<string, TPlannedShiftView[]>();
  for (const shift of planned.data ?? []) byDate.set(shift.date, [...(byDate.get(shift.date) ?? []), shift]);

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-line bg-surface p-4 shadow-xs">
      <h2 id={headingId} className="text-base font-semibold">The next 7 days <span className="text-sm font-normal text-fg-muted">({timeZone})</span></h2>
      {planned.isError ? <p role="alert" className="text-sm text-danger-text">{planned.error.message}</p> : null}
      {planned.data && planned.data.length === 0 ? <p className="text-sm text-fg-muted">No shifts planned in the next 7 days.</p> : null}
      <ul className="space-y-2 text-sm" data-testid="planned-week">
        {[...byDate.entries()].map(([date, shifts]) => (
          <li key={date} className="grid gap-1 sm:grid-cols-[12rem_1fr]">
            <span className="font-medium">{day.format(Date.parse(shifts[0]?.start ?? date))}</span>
            <span>
              {shifts.map((shift) => (
                <span key={shift.start} className="mr-4 inline-block">
                  {shift.name} {time.format(Date.parse(shift.start))}–{time.format(Date.parse(shift.end))}
                  {shift.breaks.length ? <span className="text-fg-muted"> · breaks {shift.breaks.map((pause) => `${time.format(Date.parse(pause.start))}–${time.format(Date.parse(pause.end))}`).join(", ")}</span> : null}
                  {shift.source === "exception" ? <span className="ml-1 text-xs text-accent-text">(exception)</span> : null}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
