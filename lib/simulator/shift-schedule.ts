import { TZDate } from "@date-fns/tz";

/**
 * Shifts in the plant's local time (America/Detroit for the demo): wall-clock shift starts and breaks
 * become instants through @date-fns/tz, as in the site shift calendars, so the demo calendar and the
 * simulated plant agree to the millisecond. Daylight-saving days make the night shift 7 or 9 hours
 * long, as on a real plant calendar.
 */

export type TShiftPattern = {
  /** Local wall-clock start hours. */
  startHours: readonly number[];
  lengthHours: number;
  /** Local weekdays that have shifts, 0 = Sunday (a shift belongs to the day it starts). */
  days: readonly number[];
  /** Planned breaks, in wall-clock minutes after the shift start. */
  breaks: readonly { afterMinutes: number; minutes: number }[];
};

export type TInterval = { start: number; end: number };
export type TShift = TInterval & { breaks: readonly TInterval[] };
export type TPlannedStatus = "off" | "break" | "work";
export type TScheduleSegment = { status: TPlannedStatus; until: number; shift: TShift | undefined };

export const threeShiftPattern: TShiftPattern = {
  startHours: [6, 14, 22],
  lengthHours: 8,
  days: [0, 1, 2, 3, 4, 5, 6],
  breaks: [{ afterMinutes: 120, minutes: 10 }, { afterMinutes: 240, minutes: 30 }, { afterMinutes: 360, minutes: 10 }],
};

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;
/** How far to look for the next shift before calling a period shift-free. */
const lookAheadDays = 8;

type TLocalDate = { year: number; month: number; day: number; weekday: number };

export class ShiftSchedule {
  private readonly format: Intl.DateTimeFormat;
  private readonly shiftsByDay = new Map<string, TShift[]>();
  private lastSegment: { from: number; segment: TScheduleSegment } | undefined;

  constructor(readonly timeZone: string, readonly pattern: TShiftPattern = threeShiftPattern) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", weekday: "short",
    });
  }

  /**
   * The instant of a local wall-clock time; hours past 24 roll over into the next day. A time the clock skips
   * is read as the instant after the gap, exactly as the site's shift calendar reads it (lib/shifts).
   */
  localToUtc(year: number, month: number, day: number, hour: number, minute = 0): number {
    return new TZDate(year, month - 1, day, hour, minute, this.timeZone).getTime();
  }

  /** Shifts that overlap [from, to), in start order. */
  shiftsBetween(from: number, to: number): TShift[] {
    const shifts: TShift[] = [];
    // A shift that started the local day before may still be running at `from`.
    const first = this.localDate(from - dayMs);
    const last = dateKey(this.localDate(to));
    for (let date = first; dateKey(date) <= last; date = addDays(date, 1)) {
      for (const shift of this.shiftsOn(date)) if (shift.end > from && shift.start < to) shifts.push(shift);
    }
    return shifts;
  }

  /** What the plan says at `t` and until when it stays so. */
  segmentAt(t: number): TScheduleSegment {
    // Every machine asks about the same instants: remember the last answer while it holds.
    const cached = this.lastSegment;
    if (cached && cached.from <= t && t < cached.segment.until) return cached.segment;
    const segment = this.computeSegment(t);
    this.lastSegment = { from: t, segment };
    return segment;
  }

  private computeSegment(t: number): TScheduleSegment {
    const shifts = this.shiftsBetween(t, t + lookAheadDays * dayMs);
    const current = shifts.find((shift) => shift.start <= t && t < shift.end);
    if (!current) {
      const next = shifts.find((shift) => shift.start > t);
      return { status: "off", until: next ? next.start : t + dayMs, shift: undefined };
    }
    // Back-to-back shifts: the next one may start exactly when this one ends.
    for (const pause of current.breaks) {
      if (pause.start <= t && t < pause.end) return { status: "break", until: pause.end, shift: current };
    }
    const nextBreak = current.breaks.find((pause) => pause.start > t);
    return { status: "work", until: nextBreak ? Math.min(nextBreak.start, current.end) : current.end, shift: current };
  }

  private shiftsOn(date: TLocalDate): TShift[] {
    const key = String(dateKey(date));
    const cached = this.shiftsByDay.get(key);
    if (cached) return cached;
    const shifts: TShift[] = [];
    if (this.pattern.days.includes(date.weekday)) {
      for (const hour of this.pattern.startHours) {
        const start = this.localToUtc(date.year, date.month, date.day, hour);
        const end = this.localToUtc(date.year, date.month, date.day, hour + this.pattern.lengthHours);
        const breaks = this.pattern.breaks
          // Wall-clock times like the shifts themselves, so a break keeps its time on a daylight-saving night.
          .map((pause) => ({
            start: this.localToUtc(date.year, date.month, date.day, hour, pause.afterMinutes),
            end: this.localToUtc(date.year, date.month, date.day, hour, pause.afterMinutes + pause.minutes),
          }))
          .filter((pause) => pause.end <= end);
        shifts.push({ start, end, breaks });
      }
    }
    shifts.sort((a, b) => a.start - b.start);
    this.shiftsByDay.set(key, shifts);
    return shifts;
  }

  private localDate(instant: number): TLocalDate {
    const parts = this.parts(instant);
    return { year: parts.year, month: parts.month, day: parts.day, weekday: parts.weekday };
  }

  private parts(instant: number) {
    const values: Record<string, string> = {};
    for (const part of this.format.formatToParts(new Date(instant))) values[part.type] = part.value;
    return {
      year: Number(values.year), month: Number(values.month), day: Number(values.day),
      hour: Number(values.hour), minute: Number(values.minute), second: Number(values.second),
      weekday: weekdays.indexOf(values.weekday ?? ""),
    };
  }
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function dateKey(date: { year: number; month: number; day: number }): number {
  return date.year * 10_000 + date.month * 100 + date.day;
}

function addDays(date: TLocalDate, days: number): TLocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate(), weekday: moved.getUTCDay() };
}
