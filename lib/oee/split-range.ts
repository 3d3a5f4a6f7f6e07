/** Epoch-ms interval, half-open: [start, end). */
export type TTimeWindow = { start: number; end: number };

export type TCalendarGrouping = "hour" | "day" | "week";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError on an unknown zone: callers validate the site's zone before it gets here.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23",
      year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local wall-clock time minus UTC at `instant`, in ms (Intl resolves whole seconds). */
function utcOffsetAt(instant: number, timeZone: string): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  const field: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(wholeSecond)) {
    if (part.type !== "literal") field[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(field.year ?? 0, (field.month ?? 1) - 1, field.day ?? 1, field.hour ?? 0, field.minute ?? 0, field.second ?? 0);
  return wallClock - wholeSecond;
}

/** First instant in (after, upTo] with an offset other than `offset`; null when there is none. */
function offsetChangeBetween(after: number, upTo: number, offset: number, timeZone: string): number | null {
  if (utcOffsetAt(upTo, timeZone) === offset) return null; // zones change offset at most once per week
  let unchanged = after;
  let changed = upTo;
  while (changed - unchanged > 1) {
    const middle = Math.floor((unchanged + changed) / 2);
    if (utcOffsetAt(middle, timeZone) === offset) unchanged = middle;
    else changed = middle;
  }
  return changed;
}

/** Wall-clock start (as a UTC-based ms number) of the local hour/day/week after the one holding `wallClock`. */
function nextBucketWallClock(wallClock: number, groupBy: TCalendarGrouping): number {
  if (groupBy === "hour") return Math.floor(wallClock / hourMs) * hourMs + hourMs;
  const startOfDay = Math.floor(wallClock / dayMs) * dayMs;
  if (groupBy === "day") return startOfDay + dayMs;
  const weekday = new Date(startOfDay).getUTCDay(); // 0 = Sunday
  const daysToMonday = (8 - weekday) % 7 || 7;
  return startOfDay + daysToMonday * dayMs;
}

/** The instant at which the local bucket holding `instant` ends. */
function bucketEndAfter(instant: number, groupBy: TCalendarGrouping, timeZone: string): number {
  let cursor = instant;
  let offset = utcOffsetAt(cursor, timeZone);
  const target = nextBucketWallClock(cursor + offset, groupBy);
  for (;;) {
    const candidate = target - offset;
    const change = offsetChangeBetween(cursor, candidate, offset, timeZone);
    if (change === null) return candidate;
    // An hour bucket ends at every offset change, so a fall-back day has 25 hourly buckets.
    if (groupBy === "hour") return change;
    const newOffset = utcOffsetAt(change, timeZone);
    // The clock sprang over (or onto) local midnight: the new day starts at the change itself.
    if (change + newOffset >= target) return change;
    cursor = change;
    offset = newOffset;
  }
}

/**
 * Buckets aligned to the site's local calendar (a DST day lasts 23 or 25 hours; weeks start on Monday),
 * clipped to [from, to).
 */
export function splitRange(from: number, to: number, groupBy: TCalendarGrouping, timeZone: string): TTimeWindow[] {
  const buckets: TTimeWindow[] = [];
  if (!Number.isFinite(from) || !Number.isFinite(to)) return buckets;
  for (let start = from; start < to;) {
    const end = bucketEndAfter(start, groupBy, timeZone);
    buckets.push({ start, end: Math.min(end, to) });
    start = end;
  }
  return buckets;
}

/**
 * Shift windows clipped to [from, to), sorted, with overlapping windows merged so no time counts twice.
 * Back-to-back shifts (one ends when the next starts) stay separate: each is its own bucket.
 */
export function splitByShifts(from: number, to: number, shifts: readonly TTimeWindow[]): TTimeWindow[] {
  const clipped = shifts
    .map((shift) => ({ start: Math.max(shift.start, from), end: Math.min(shift.end, to) }))
    .filter((shift) => shift.start < shift.end)
    .sort((a, b) => a.start - b.start);
  const merged: TTimeWindow[] = [];
  for (const shift of clipped) {
    const last = merged.at(-1);
    if (last && shift.start < last.end) last.end = Math.max(last.end, shift.end);
    else merged.push(shift);
  }
  return merged;
}
