"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cx } from "@/components/ui/cx";
import { weekdayNames } from "@/lib/shifts/calendar-schema";

/** A shift as the form holds it; `days` only in the weekly pattern. */
export type TShiftDraft = { name: string; start: string; end: string; days?: number[]; breaks: { start: string; end: string }[] };

/**
 * The editable rows of shifts with their breaks, shared by the weekly pattern and a dated exception.
 * `errors` are the server's messages by path below `pathPrefix` (e.g. "shifts.0.breaks.1").
 */
export function ShiftRows({ shifts, onChange, errors, pathPrefix, withDays, label }: {
  shifts: TShiftDraft[];
  onChange: (next: TShiftDraft[]) => void;
  errors: Record<string, string>;
  pathPrefix: string;
  withDays: boolean;
  label: string;
}) {
  const update = (index: number, change: Partial<TShiftDraft>) => onChange(shifts.map((shift, at) => (at === index ? { ...shift, ...change } : shift)));
  const errorAt = (path: string) => errors[`${pathPrefix}.${path}`];

  return (
    <div className="space-y-3">
      {shifts.map((shift, index) => {
        const rowError = errorAt(String(index));
        const rowName = shift.name || `shift ${index + 1}`;
        return (
          <fieldset key={index} className={cx("space-y-3 rounded-md border p-3", rowError ? "border-danger-text" : "border-line")} aria-label={`${label} ${index + 1}`}>
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-[2fr_1fr_1fr_auto]">
              <TextField label="Shift name" value={shift.name} error={errorAt(`${index}.name`)} onChange={(name) => update(index, { name })} className="col-span-2 sm:col-span-1" />
              <TextField label="Starts" type="time" value={shift.start} error={errorAt(`${index}.start`)} onChange={(start) => update(index, { start })} />
              <TextField label="Ends" type="time" value={shift.end} error={errorAt(`${index}.end`)} onChange={(end) => update(index, { end })} hint={shift.end && shift.start && shift.end <= shift.start ? "next day" : undefined} />
              <div className="col-span-2 flex items-end sm:col-span-1">
                <Button variant="ghost" aria-label={`Remove ${rowName}`} onClick={() => onChange(shifts.filter((_, at) => at !== index))}>Remove</Button>
              </div>
            </div>
            {withDays ? (
              <div role="group" aria-label={`Days of ${rowName}`} className="flex flex-wrap gap-1.5">
                {weekdayNames.map((dayName, dayIndex) => {
                  const day = dayIndex + 1;
                  const on = shift.days?.includes(day) ?? false;
                  return (
                    <label key={day} className={cx("flex min-h-11 min-w-11 cursor-pointer items-center justify-center rounded-md border px-2 text-sm lg:min-h-9", on ? "border-accent bg-accent-soft font-medium text-accent-text" : "border-line-strong text-fg-muted")}>
                      <input type="checkbox" className="sr-only" checked={on} aria-label={dayName}
                        onChange={() => update(index, { days: on ? (shift.days ?? []).filter((value) => value !== day) : [...(shift.days ?? []), day].sort((a, b) => a - b) })} />
                      {dayName.slice(0, 3)}
                    </label>
                  );
                })}
                {errorAt(`${index}.days`) ? <p className="w-full text-xs text-danger-text">{errorAt(`${index}.days`)}</p> : null}
              </div>
            ) : null}
            <div className="space-y-2">
              {shift.breaks.map((pause, breakIndex) => (
                <div key={breakIndex} className="flex flex-wrap items-end gap-2">
                  <TextField label={`Break ${breakIndex + 1} from`} type="time" value={pause.start} error={errorAt(`${index}.breaks.${breakIndex}`)}
                    onChange={(start) => update(index, { breaks: shift.breaks.map((item, at) => (at === breakIndex ? { ...item, start } : item)) })} />
                  <TextField label="to" type="time" value={pause.end}
                    onChange={(end) => update(index, { breaks: shift.breaks.map((item, at) => (at === breakIndex ? { ...item, end } : item)) })} />
                  <Button variant="ghost" aria-label={`Remove break ${breakIndex + 1} of ${rowName}`} onClick={() => update(index, { breaks: shift.breaks.filter((_, at) => at !== breakIndex) })}>Remove break</Button>
                </div>
              ))}
              {errorAt(`${index}.breaks`) ? <p className="text-xs text-danger-text">{errorAt(`${index}.breaks`)}</p> : null}
              <Button variant="secondary" onClick={() => update(index, { breaks: [...shift.breaks, { start: "", end: "" }] })}>Add break</Button>
            </div>
            {rowError ? <p className="text-xs text-danger-text">{rowError}</p> : null}
          </fieldset>
        );
      })}
    </div>
  );
}

function TextField({ label, value, onChange, error, hint, type = "text", className }: {
  label: string; value: string; onChange: (value: string) => void; error?: string; hint?: string; type?: "text" | "time"; className?: string;
}) {
  return (
    <label className={cx("block text-sm", className)}>
      <span className="mb-1 block font-medium">{label}{hint ? <span className="ml-1 font-normal text-fg-muted">({hint})</span> : null}</span>
      <Input type={type} value={value} invalid={!!error} required onChange={(event) => onChange(event.target.value)} />
      {error ? <span className="mt-1 block text-xs text-danger-text">{error}</span> : null}
    </label>
  );
}
