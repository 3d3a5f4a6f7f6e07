import { z } from "zod";

/**
 * A site's shift calendar as admins edit it (domain.md §3): a weekly pattern of named shifts with breaks,
 * in the site's local wall-clock time, in force from a date on, plus dated exceptions (holidays, overtime,
 * changed days). Stored as JSON validated by these schemas; expand-calendar.ts turns it into instants.
 */

const timeOfDayPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const dayMinutes = 24 * 60;

/** "HH:MM", 24-hour local wall-clock time. */
export const ZTimeOfDay = z.string({ error: "must be a time such as 06:00" }).regex(timeOfDayPattern, { error: "must be a 24-hour time HH:MM, e.g. 06:00 or 22:30" });

/** "YYYY-MM-DD", a calendar date in the site's zone. */
export const ZLocalDate = z
  .string({ error: "must be a date such as 2026-12-24" })
  .regex(datePattern, { error: "must be a date YYYY-MM-DD" })
  .refine((value) => {
    const [year = 0, month = 1, day = 1] = value.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && year >= 2000 && year <= 2100;
  }, { error: "must be a real date between 2000 and 2100" });

export const ZShiftBreak = z.strictObject({ start: ZTimeOfDay, end: ZTimeOfDay });

export function minutesOfDay(time: string): number {
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  return hours * 60 + minutes;
}

/** Minutes from `start` forward to `end` on a clock face: an end at or before the start is on the next day. */
export function minutesAfter(start: string, end: string): number {
  const difference = minutesOfDay(end) - minutesOfDay(start);
  return difference > 0 ? difference : difference + dayMinutes;
}

const shiftFields = {
  name: z.string({ error: "name is required" }).trim().min(1, { error: "name must not be empty" }).max(40, { error: "name must be at most 40 characters" }),
  start: ZTimeOfDay,
  /** At or before `start`: the shift runs past midnight into the next day. */
  end: ZTimeOfDay,
  breaks: z.array(ZShiftBreak).max(8, { error: "at most 8 breaks per shift" }).default([]),
};

type TShiftFields = { start: string; end: string; breaks: { start: string; end: string }[] };

/** Breaks lie inside their shift and do not overlap; a shift is not zero or 24 hours long by accident. */
function checkShift(shift: TShiftFields, context: z.RefinementCtx) {
  if (shift.start === shift.end) context.addIssue({ code: "custom", message: "a shift must not start and end at the same time", path: ["end"] });
  const length = minutesAfter(shift.start, shift.end);
  const pauses = shift.breaks.map((pause) => {
    const from = shift.start === pause.start ? 0 : minutesAfter(shift.start, pause.start);
    return { from, to: from + minutesAfter(pause.start, pause.end) };
  });
  pauses.forEach((pause, index) => {
    if (pause.to > length) context.addIssue({ code: "custom", message: `break ${index + 1} must lie inside the shift (${shift.start}–${shift.end})`, path: ["breaks", index] });
  });
  const ordered = [...pauses].sort((a, b) => a.from - b.from);
  for (let index = 1; index < ordered.length; index++) {
    if ((ordered[index]?.from ?? 0) < (ordered[index - 1]?.to ?? 0)) {
      context.addIssue({ code: "custom", message: "breaks must not overlap", path: ["breaks"] });
      break;
    }
  }
}

/** A shift on one date (exceptions). */
export const ZDayShift = z.strictObject(shiftFields).superRefine(checkShift);
export type TDayShift = z.infer<typeof ZDayShift>;

/** A shift of the weekly pattern: on each of `days` (ISO weekdays, 1 = Monday … 7 = Sunday), by its start. */
export const ZWeeklyShift = z.strictObject({
  ...shiftFields,
  days: z.array(z.number({ error: "days are numbers 1 (Monday) to 7 (Sunday)" }).int().min(1).max(7))
    .min(1, { error: "pick at least one day" })
    .refine((days) => new Set(days).size === days.length, { error: "each day at most once" }),
}).superRefine(checkShift);
export type TWeeklyShift = z.infer<typeof ZWeeklyShift>;

const weekMinutes = 7 * dayMinutes;

export const ZShiftPattern = z.strictObject({
  validFrom: ZLocalDate,
  shifts: z.array(ZWeeklyShift).max(21, { error: "at most 21 shifts in a week pattern" }),
}).superRefine((pattern, context) => {
  // Two shifts of one pattern may touch (06:00–14:00, 14:00–22:00) but not overlap, across midnight and Sunday→Monday too.
  const occurrences = pattern.shifts.flatMap((shift, index) => shift.days.map((day) => {
    const start = (day - 1) * dayMinutes + minutesOfDay(shift.start);
    return { index, day, start, end: start + minutesAfter(shift.start, shift.end) };
  }));
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    [-weekMinutes, 0, weekMinutes].some((shift) => a.start < b.end + shift && b.start + shift < a.end);
  for (let i = 0; i < occurrences.length; i++) {
    for (let j = i + 1; j < occurrences.length; j++) {
      const a = occurrences[i];
      const b = occurrences[j];
      if (a && b && overlaps(a, b)) {
        const names = pattern.shifts;
        context.addIssue({
          code: "custom",
          message: `"${names[a.index]?.name}" and "${names[b.index]?.name}" overlap on ${weekdayNames[b.day - 1]}`,
          path: ["shifts", b.index],
        });
        return;
      }
    }
  }
});

export const weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export type TShiftPattern = z.infer<typeof ZShiftPattern>;

/**
 * A date that differs from the pattern: "closed" (holiday, no shifts), "replace" (these shifts instead of the
 * pattern's) or "add" (overtime: these shifts besides the pattern's).
 */
export const ZShiftException = z.strictObject({
  date: ZLocalDate,
  mode: z.enum(["closed", "replace", "add"], { error: "mode must be closed, replace or add" }),
  note: z.string().trim().max(120, { error: "note must be at most 120 characters" }).default(""),
  shifts: z.array(ZDayShift).max(6, { error: "at most 6 shifts on one date" }).default([]),
}).superRefine((exception, context) => {
  if (exception.mode === "closed" && exception.shifts.length > 0) context.addIssue({ code: "custom", message: "a closed day has no shifts", path: ["shifts"] });
  if (exception.mode !== "closed" && exception.shifts.length === 0) context.addIssue({ code: "custom", message: "add at least one shift (or mark the day closed)", path: ["shifts"] });
});
export type TShiftException = z.infer<typeof ZShiftException>;
