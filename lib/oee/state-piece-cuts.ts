/**
 * Where state_hours splits an hour besides its edges: the instants a report on this site is known to cut
 * hours at — its calendar's shift and break edges and its local midnights (a +05:30 zone's days start
 * mid-hour). A report cut there then sums stored pieces instead of reading every event of the hour.
 * Only speed depends on this list: the loader reads events for any stored piece a boundary still cuts. Pure.
 */
import { expandCalendar, type TSiteCalendar } from "../shifts/expand-calendar";
import { splitRange } from "./split-range";

const hourMs = 3_600_000;

/** Sorted, distinct instants in (from, to) that are not on a UTC hour. */
export function statePieceCuts(calendar: TSiteCalendar | undefined, timeZone: string, from: number, to: number): number[] {
  if (!(from < to)) return [];
  const instants = new Set<number>();
  for (const day of splitRange(from, to, "day", timeZone)) instants.add(day.start);
  for (const shift of calendar ? expandCalendar(calendar, from, to) : []) {
    instants.add(shift.start).add(shift.end);
    for (const pause of shift.breaks) instants.add(pause.start).add(pause.end);
  }
  return [...instants].filter((instant) => instant > from && instant < to && instant % hourMs !== 0).sort((a, b) => a - b);
}
