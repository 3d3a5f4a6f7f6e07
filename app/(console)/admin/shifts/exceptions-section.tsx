"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import { queryKeys } from "@/lib/query-keys";
import type { TShiftException } from "@/lib/shifts/calendar-schema";
import { localDate } from "@/lib/shifts/expand-calendar";
import type { TShiftCalendar } from "@/lib/shifts/shift-calendars";
import { ShiftRows, type TShiftDraft } from "./shift-rows";

const modeLabels: Record<TShiftException["mode"], string> = {
  closed: "Closed (holiday): no shifts",
  replace: "Changed day: these shifts instead",
  add: "Overtime: these shifts as well",
};

/** Holidays, changed days and overtime: dates that differ from the weekly pattern. */
export function ExceptionsSection({ calendar }: { calendar: TShiftCalendar }) {
  const queryClient = useQueryClient();
  const ids = { heading: useId(), date: useId(), mode: useId(), note: useId() };
  const [draft, setDraft] = useState<{ date: string; mode: TShiftException["mode"]; note: string; shifts: TShiftDraft[] }>(
    () => ({ date: localDate(Date.now(), calendar.site.timeZone), mode: "closed", note: "", shifts: [] }),
  );
  const [saved, setSaved] = useState<string | null>(null);
  // Planned time changes every OEE figure of the site.
  const invalidate = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.shiftCalendar(calendar.site.id) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
  ]);
  const save = useMutation({
    mutationFn: () => fetchJson<{ data: TShiftException }>(`/api/v1/sites/${calendar.site.id}/shift-calendar/exceptions`, {
      method: "PUT",
      body: { ...draft, shifts: draft.mode === "closed" ? [] : draft.shifts.map(({ name, start, end, breaks }) => ({ name, start, end, breaks })) },
    }),
    onSuccess: ({ data }) => {
      setSaved(`Saved the exception on ${data.date}.`);
      return invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (date: string) => fetchJson(`/api/v1/sites/${calendar.site.id}/shift-calendar/exceptions/${date}`, { method: "DELETE" }),
    onSettled: invalidate,
  });
  const errors = fieldErrors(save.error);

  return (
    <section aria-labelledby={ids.heading} className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs">
      <div>
        <h2 id={ids.heading} className="text-base font-semibold">Holidays, changed days and overtime</h2>
        <p className="mt-1 text-sm text-fg-muted">A date here overrides the weekly pattern for the shifts that start on it.</p>
      </div>
      {calendar.exceptions.length > 0 ? (
        <ul aria-label="Exceptions" className="divide-y divide-line rounded-md border border-line text-sm">
          {calendar.exceptions.map((exception) => (
            <li key={exception.date} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span>
                <span className="font-medium">{exception.date}</span>
                <span className="ml-2">{modeLabels[exception.mode]}</span>
                {exception.shifts.length ? <span className="ml-2 text-fg-muted">{exception.shifts.map((shift) => `${shift.name} ${shift.start}–${shift.end}`).join(", ")}</span> : null}
                {exception.note ? <span className="ml-2 italic text-fg-muted">{exception.note}</span> : null}
              </span>
              <Button variant="ghost" aria-label={`Delete the exception on ${exception.date}`} disabled={remove.isPending} onClick={() => {
                if (window.confirm(`Delete the exception on ${exception.date}? The weekly pattern applies to that date again.`)) remove.mutate(exception.date);
              }}>Delete</Button>
            </li>
          ))}
        </ul>
      ) : <p className="text-sm text-fg-muted">No exceptions: every date follows the weekly pattern.</p>}
      {remove.isError ? <p role="alert" className="text-sm text-danger-text">{remove.error.message}</p> : null}

      <form aria-label="Add an exception" noValidate className="space-y-4 border-t border-line pt-4" onSubmit={(event) => {
        event.preventDefault();
        setSaved(null);
        save.mutate();
      }}>
        <div className="grid gap-3 sm:grid-cols-3">
          <label className="block text-sm" htmlFor={ids.date}>
            <span className="mb-1 block font-medium">Date</span>
            <Input id={ids.date} type="date" value={draft.date} invalid={!!errors.date} onChange={(event) => setDraft({ ...draft, date: event.target.value })} />
            {errors.date ? <span className="mt-1 block text-xs text-danger-text">{errors.date}</span> : null}
          </label>
          <label className="block text-sm" htmlFor={ids.mode}>
            <span className="mb-1 block font-medium">What happens</span>
            <Select id={ids.mode} className="w-full" value={draft.mode} onChange={(event) => {
              const mode = event.target.value as TShiftException["mode"];
              setDraft({ ...draft, mode, shifts: mode !== "closed" && draft.shifts.length === 0 ? [{ name: mode === "add" ? "Overtime" : "", start: "06:00", end: "14:00", breaks: [] }] : draft.shifts });
            }}>
              {Object.entries(modeLabels).map(([mode, text]) => <option key={mode} value={mode}>{text}</option>)}
            </Select>
          </label>
          <label className="block text-sm" htmlFor={ids.note}>
            <span className="mb-1 block font-medium">Note (optional)</span>
            <Input id={ids.note} value={draft.note} maxLength={120} invalid={!!errors.note} onChange={(event) => setDraft({ ...draft, note: event.target.value })} />
          </label>
        </div>
        {draft.mode !== "closed" ? (
          <>
            <ShiftRows shifts={draft.shifts} onChange={(shifts) => setDraft({ ...draft, shifts })} errors={errors} pathPrefix="shifts" withDays={false} label="Shift on that date" />
            <Button variant="secondary" onClick={() => setDraft({ ...draft, shifts: [...draft.shifts, { name: "", start: "06:00", end: "14:00", breaks: [] }] })}>Add shift</Button>
          </>
        ) : null}
        {errors.shifts ? <p className="text-xs text-danger-text">{errors.shifts}</p> : null}
        {save.isError && !errors.date && !errors.shifts ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
        {saved ? <p role="status" className="text-sm">{saved}</p> : null}
        <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save exception"}</Button>
      </form>
    </section>
  );
}
