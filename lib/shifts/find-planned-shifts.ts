import { z } from "zod";
import type { TSiteScope } from "../auth/site-scope";
import { ZIsoDateTime } from "../oee/range-query";
import { expandCalendar, type TPlannedShift } from "./expand-calendar";
import { findShiftCalendar } from "./shift-calendars";

const maxPreviewDays = 62;

export const ZPlannedShiftsQuery = z.object({
  from: z.string({ error: "is required (ISO 8601 date-time)" }).pipe(ZIsoDateTime),
  to: z.string({ error: "is required (ISO 8601 date-time)" }).pipe(ZIsoDateTime),
})
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), { message: "from must be before to", path: ["from"] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= maxPreviewDays * 86_400_000, { message: `the range may span at most ${maxPreviewDays} days`, path: ["to"] });

export type TPlannedShiftView = Omit<TPlannedShift, "start" | "end" | "breaks"> & { start: string; end: string; breaks: { start: string; end: string }[] };

/** The site calendar's shifts in [from, to), as the OEE figures will use them (MQTT-announced shifts come on top). */
export async function findPlannedShifts(siteId: unknown, query: z.infer<typeof ZPlannedShiftsQuery>, siteScope: TSiteScope): Promise<{ timeZone: string; shifts: TPlannedShiftView[] }> {
  const calendar = await findShiftCalendar(siteId, siteScope);
  const shifts = expandCalendar({ timeZone: calendar.site.timeZone, patterns: calendar.patterns, exceptions: calendar.exceptions }, Date.parse(query.from), Date.parse(query.to));
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    timeZone: calendar.site.timeZone,
    shifts: shifts.map((shift) => ({ ...shift, start: iso(shift.start), end: iso(shift.end), breaks: shift.breaks.map((pause) => ({ start: iso(pause.start), end: iso(pause.end) })) })),
  };
}
