"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import { queryKeys } from "@/lib/query-keys";
import { weekdayNames, type TShiftPattern } from "@/lib/shifts/calendar-schema";
import { localDate } from "@/lib/shifts/expand-calendar";
import type { TShiftCalendar } from "@/lib/shifts/shift-calendars";
import { ShiftRows, type TShiftDraft } from "./shift-rows";

const newShift = (): TShiftDraft => ({ name: "", start: "06:00", end: "14:00", days: [1, 2, 3, 4, 5], breaks: [] });

/** The weekly pattern: edit the version in force today (or start one), saved as the version from a chosen date on. */
export function PatternSection({ calendar }: { calendar: TShiftCalendar }) {
  const queryClient = useQueryClient();
  const ids = { heading: useId(), validFrom: useId() };
  // The day the page was opened: the default first day of a new version.
  const [today] = useState(() => localDate(Date.now(), calendar.site.timeZone));
  const inForce = calendar.patterns.findLast((pattern) => pattern.validFrom <= today) ?? null;
  const [draft, setDraft] = useState<{ validFrom: string; shifts: TShiftDraft[] }>(() => ({ validFrom: today, shifts: inForce?.shifts ?? [] }));
  const [saved, setSaved] = useState<string | null>(null);
  // Planned time changes every OEE figure of the site.
  const invalidate = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.shiftCalendar(calendar.site.id) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
  ]);

  const save = useMutation({
    mutationFn: () => fetchJson<{ data: TShiftPattern }>(`/api/v1/sites/${calendar.site.id}/shift-calendar`, { method: "PUT", body: draft }),
    onSuccess: ({ data }) => {
      setSaved(`Saved: this pattern applies from ${data.validFrom} on.`);
      return invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (validFrom: string) => fetchJson(`/api/v1/sites/${calendar.site.id}/shift-calendar/patterns/${validFrom}`, { method: "DELETE" }),
    onSettled: invalidate,
  });
  const errors = fieldErrors(save.error);

  return (
    <section aria-labelledby={ids.heading} className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs">
      <div>
        <h2 id={ids.heading} className="text-base font-semibold">Weekly pattern</h2>
        <p className="mt-1 text-sm text-fg-muted">
          Times are wall-clock times in {calendar.site.timeZone}. A shift belongs to the day it starts on; one that ends at or before its start runs past midnight.
          Saving makes a new version from the date you choose, so earlier reports keep the shifts they were planned with.
        </p>
      </div>

      {calendar.patterns.length > 0 ? (
        <ul aria-label="Pattern versions" className="divide-y divide-line rounded-md border border-line text-sm">
          {calendar.patterns.map((pattern) => (
            <li key={pattern.validFrom} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span>
                <span className="font-medium">From {pattern.validFrom}</span>
                {pattern === inForce ? <span className="ml-2 rounded bg-accent-soft px-1.5 py-0.5 text-xs text-accent-text">in force</span> : null}
                <span className="ml-2 text-fg-muted">{summarize(pattern)}</span>
              </span>
              <span className="flex gap-2">
                <Button variant="secondary" onClick={() => { setDraft({ validFrom: pattern.validFrom, shifts: pattern.shifts }); setSaved(null); save.reset(); }}>Edit</Button>
                <Button variant="ghost" disabled={remove.isPending} onClick={() => {
                  if (window.confirm(`Delete the pattern from ${pattern.validFrom}? The version before it then applies from that date on.`)) remove.mutate(pattern.validFrom);
                }}>Delete</Button>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rounded-md border border-dashed border-line-strong p-4 text-sm text-fg-muted">
          No weekly pattern yet. Until you add shifts below, only shifts sent over MQTT plan this site&apos;s time, and OEE has no planned production time without them.
        </p>
      )}
      {remove.isError ? <p role="alert" className="text-sm text-danger-text">{remove.error.message}</p> : null}

      <form aria-label="Weekly pattern" noValidate className="space-y-4" onSubmit={(event) => {
        event.preventDefault();
        setSaved(null);
        save.mutate();
      }}>
        <ShiftRows shifts={draft.shifts} onChange={(shifts) => setDraft({ ...draft, shifts })} errors={errors} pathPrefix="shifts" withDays label="Shift" />
        <Button variant="secondary" onClick={() => setDraft({ ...draft, shifts: [...draft.shifts, newShift()] })}>Add shift</Button>
        <div className="flex flex-wrap items-end gap-3 border-t border-line pt-4">
          <label className="block text-sm" htmlFor={ids.validFrom}>
            <span className="mb-1 block font-medium">Applies from</span>
            <Input id={ids.validFrom} type="date" value={draft.validFrom} invalid={!!errors.validFrom} onChange={(event) => setDraft({ ...draft, validFrom: event.target.value })} />
          </label>
          <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save pattern"}</Button>
        </div>
        {errors.validFrom ? <p className="text-xs text-danger-text">{errors.validFrom}</p> : null}
        {errors.shifts ? <p className="text-xs text-danger-text">{errors.shifts}</p> : null}
        {save.isError && Object.keys(errors).length === 0 ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
        {save.isError && Object.keys(errors).length > 0 ? <p role="alert" className="text-sm text-danger-text">Not saved: fix the fields marked above.</p> : null}
        {saved ? <p role="status" className="text-sm">{saved}</p> : null}
      </form>
    </section>
  );
}

function summarize(pattern: TShiftPattern): string {
  if (pattern.shifts.length === 0) return "no shifts";
  return pattern.shifts.map((shift) => `${shift.name} ${shift.start}–${shift.end} ${dayRange(shift.days)}`).join(" · ");
}

/** "Mon–Fri", "Mon, Wed", "every day". */
function dayRange(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  const short = (day: number) => weekdayNames[day - 1]?.slice(0, 3) ?? "?";
  const consecutive = sorted.every((day, index) => index === 0 || day === (sorted[index - 1] ?? 0) + 1);
  if (consecutive && sorted.length > 2) return `${short(sorted[0] ?? 1)}–${short(sorted.at(-1) ?? 7)}`;
  return sorted.map(short).join(", ");
}
