import { TZDate } from "@date-fns/tz";
import type { TTimeWindow } from "../oee/split-range";
import { minutesAfter, minutesOfDay, type TDayShift, type TShiftException, type TShiftPattern } from "./calendar-schema";

/** A planned shift as instants, with its breaks (inside it) as planned stops. */
export type TPlannedShift = TTimeWindow & { name: string; date: string; source: "calendar" | "exception"; breaks: TTimeWindow[] };

export type TSiteCalendar = {
  timeZone: string;
  /** Pattern versions; each holds from its validFrom until the next one's. */
  patterns: readonly TShiftPattern[];
  exceptions: readonly TShiftException[];
};

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/**
 * The calendar's shifts that overlap [from, to), in start order. A shift belongs to the local date it starts
 * on; times are the site's wall clock, so a daylight-saving night shift is an hour shorter or longer, as on
 * the shop floor. A wall-clock time the clock skips (02:30 on a spring-forward night) means the instant after
 * the gap; one it repeats means its second occurrence (@date-fns/tz's reading).
 */
export function expandCalendar(calendar: TSiteCalendar, from: number, to: number): TPlannedShift[] {
  if (!(from < to)) return [];
  const patterns = [...calendar.patterns].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const exceptions = new Map(calendar.exceptions.map((exception) => [exception.date, exception]));
  const shifts: TPlannedShift[] = [];
  // A shift that began on the previous local date (a night shift) may still be running at `from`.
  for (let date = localDate(from - dayMs, calendar.timeZone); date <= localDate(to, calendar.timeZone); date = nextDate(date)) {
    for (const shift of shiftsOn(date, patterns, exceptions.get(date), calendar.timeZone)) {
      if (shift.start < to && shift.end > from) shifts.push(shift);
    }
  }
  return shifts.sort((a, b) => a.start - b.start);
}

function shiftsOn(date: string, patterns: readonly TShiftPattern[], exception: TShiftException | undefined, timeZone: string): TPlannedShift[] {
  const pattern = patterns.findLast((candidate) => candidate.validFrom <= date);
  const weekday = isoWeekday(date);
  const regular = exception?.mode === "closed" || exception?.mode === "replace" ? []
    : (pattern?.shifts ?? []).filter((shift) => shift.days.includes(weekday)).map((shift) => toInstants(date, shift, "calendar", timeZone));
  const extra = (exception?.shifts ?? []).map((shift) => toInstants(date, shift, "exception", timeZone));
  return [...regular, ...extra];
}

function toInstants(date: string, shift: TDayShift, source: TPlannedShift["source"], timeZone: string): TPlannedShift {
  const startMinutes = minutesOfDay(shift.start);
  const start = wallClock(date, startMinutes, timeZone);
  const end = wallClock(date, startMinutes + minutesAfter(shift.start, shift.end), timeZone);
  const breaks = shift.breaks.map((pause) => {
    const offset = pause.start === shift.start ? 0 : minutesAfter(shift.start, pause.start);
    return {
      start: wallClock(date, startMinutes + offset, timeZone),
      end: wallClock(date, startMinutes + offset + minutesAfter(pause.start, pause.end), timeZone),
    };
  }).filter((pause) => pause.start < pause.end);
  return { name: shift.name, date, source, start, end, breaks };
}

/** The instant of `minutes` after local midnight of `date` on the wall clock (minutes past 24 h roll into the next days). */
function wallClock(date: string, minutes: number, timeZone: string): number {
  const key = `${timeZone} ${date} ${minutes}`;
  let instant = wallClockInstants.get(key);
  if (instant === undefined) {
    const [year = 2000, month = 1, day = 1] = date.split("-").map(Number);
    instant = new TZDate(year, month - 1, day, Math.floor(minutes / 60), minutes % 60, timeZone).getTime();
    // Remembered: every report over a month expands the same few hundred instants, each a costly zone lookup.
    if (wallClockInstants.size >= maxWallClockInstants) wallClockInstants.clear();
    wallClockInstants.set(key, instant);
  }
  return instant;
}

const wallClockInstants = new Map<string, number>();
const maxWallClockInstants = 100_000;

export function localDate(instant: number, timeZone: string): string {
  const local = new TZDate(instant, timeZone);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

function nextDate(date: string): string {
  const [year = 2000, month = 1, day = 1] = date.split("-").map(Number);
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(date: string): number {
  const [year = 2000, month = 1, day = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
