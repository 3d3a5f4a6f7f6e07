/**
 * Long ranges hold hundreds of thousands of state events and count messages; shipping each to
 * JavaScript is what makes a site's 30-day OEE slow. They are summed per *segment* instead — the
 * pieces between every instant at which computeOee's answer could change (range and bucket edges,
 * where shift coverage or the ideal cycle time changes, now) — and these functions turn those sums
 * back into a stand-in timeline that computeOee scores exactly like the real one: inside a segment
 * every part has the same shift, cycle time and bucket, and the time a state lasts counts the same
 * wherever in the segment it lies. condense-timeline.test.ts checks that claim on random input. Pure.
 */
import { countCycleTimeAt, type TCountEvent, type TStateEvent, type TWorkOrderWindow } from "./compute-oee";
import { splitByShifts, type TTimeWindow } from "./split-range";

const hourMs = 3_600_000;

/** Sorted, distinct instants: `from`, every instant strictly inside (from, to), and `to`. */
export function segmentBoundaries(from: number, to: number, instants: Iterable<number>): number[] {
  const inside = new Set<number>();
  for (const instant of instants) if (instant > from && instant < to) inside.add(instant);
  return [from, ...[...inside].sort((a, b) => a - b), to];
}

/** Instants in (from, to) where time passes into or out of every shift (overlapping and back-to-back shifts merged). */
export function shiftEdges(from: number, to: number, shifts: readonly TTimeWindow[]): number[] {
  const edges: number[] = [];
  for (const window of splitByShifts(from, to, shifts)) {
    if (edges.at(-1) === window.start) edges.pop();
    else edges.push(window.start);
    edges.push(window.end);
  }
  return edges.filter((edge) => edge > from && edge < to);
}

/**
 * Instants in (from, to) where the ideal cycle time of a part counted there changes (not every
 * work-order edge does): 1 ms after each edge, as a count stamped at an edge reports the parts
 * made before it (countCycleTimeAt).
 */
export function cycleTimeEdges(from: number, to: number, workOrders: readonly TWorkOrderWindow[]): number[] {
  const candidates = [...new Set(workOrders.flatMap((order) => (order.end === null ? [order.start] : [order.start, order.end]).map((edge) => edge + 1)))]
    .filter((edge) => edge > from && edge < to)
    .sort((a, b) => a - b);
  const edges: number[] = [];
  let current = countCycleTimeAt(from, workOrders);
  for (const edge of candidates) {
    const next = countCycleTimeAt(edge, workOrders);
    if (next !== current) edges.push(edge);
    current = next;
  }
  return edges;
}

/** Time one effective state code lasted inside one segment; code null = before the machine's first state event. */
export type TStatePiece = { segment: number; code: number | null; ms: number };

/**
 * A stand-in state timeline with the same time per code in every segment. Unknown time goes first
 * in its segment: it can only precede the machine's first event, so nothing known comes before it.
 */
export function statesFromPieces(boundaries: readonly number[], pieces: readonly TStatePiece[]): TStateEvent[] {
  // Pieces of one (segment, code) from several sources add up; a negative one moves time to another code.
  // Summed as plain numbers under small integer keys (code -1: unknown): a month of a site is tens of thousands of pieces.
  const bySegment = new Map<number, Map<number, number>>();
  for (const piece of pieces) {
    let codes = bySegment.get(piece.segment);
    if (!codes) bySegment.set(piece.segment, (codes = new Map()));
    const code = piece.code ?? -1;
    codes.set(code, (codes.get(code) ?? 0) + piece.ms);
  }
  const events: TStateEvent[] = [];
  for (const segment of [...bySegment.keys()].sort((a, b) => a - b)) {
    const codes = bySegment.get(segment) ?? new Map<number, number>();
    let cursor = boundaries[segment] ?? Number.NaN;
    for (const code of [...codes.keys()].sort((a, b) => a - b)) {
      const ms = codes.get(code) ?? 0;
      if (ms <= 0) continue;
      if (code !== -1) events.push({ time: cursor, state: code });
      cursor += ms;
    }
  }
  return events;
}

/** Parts counted inside one segment. */
export type TCountPiece = { segment: number; count: number; scrap: number };

/** One count message per segment, at its start: every part in it has that instant's shift, work order and bucket. */
export function countsFromPieces(boundaries: readonly number[], pieces: readonly TCountPiece[]): TCountEvent[] {
  const bySegment = new Map<number, TCountEvent>();
  for (const piece of pieces) {
    const time = boundaries[piece.segment];
    if (time === undefined) continue;
    const event = bySegment.get(piece.segment) ?? { time, count: 0, scrap: 0 };
    event.count += piece.count;
    event.scrap += piece.scrap;
    bySegment.set(piece.segment, event);
  }
  return [...bySegment.values()].sort((a, b) => a.time - b.time);
}

/**
 * UTC hours with a boundary strictly inside them. Hourly count totals (production_hours) are exact
 * for every other hour, since all its parts fall into one segment; these few hours read raw counts.
 */
export function hoursSplitByBoundaries(boundaries: readonly number[]): number[] {
  const hours = new Set<number>();
  for (const boundary of boundaries) {
    const hour = Math.floor(boundary / hourMs) * hourMs;
    if (hour !== boundary) hours.add(hour);
  }
  return [...hours].sort((a, b) => a - b);
}

/** The parts of [start, end) in each segment it overlaps (boundaries sorted; time outside them is dropped). */
export function splitWindow(boundaries: readonly number[], start: number, end: number): { segment: number; start: number; end: number }[] {
  const parts: { segment: number; start: number; end: number }[] = [];
  for (let segment = Math.max(0, segmentAt(boundaries, start)); segment < boundaries.length - 1; segment++) {
    const partStart = Math.max(start, boundaries[segment] ?? 0);
    const partEnd = Math.min(end, boundaries[segment + 1] ?? 0);
    if ((boundaries[segment] ?? 0) >= end) break;
    if (partStart < partEnd) parts.push({ segment, start: partStart, end: partEnd });
  }
  return parts;
}

/** How much of [start, end) lies in each segment. */
export function splitIntoSegments(boundaries: readonly number[], start: number, end: number): { segment: number; ms: number }[] {
  return splitWindow(boundaries, start, end).map((part) => ({ segment: part.segment, ms: part.end - part.start }));
}

/** The segment holding `instant`: the last boundary at or before it (-1 before the first). */
export function segmentAt(boundaries: readonly number[], instant: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((boundaries[middle] ?? Number.POSITIVE_INFINITY) <= instant) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The events of a time-sorted list with start ≤ time < end (binary search). */
export function eventsWithin<TEvent extends { time: number }>(sorted: readonly TEvent[], start: number, end: number): readonly TEvent[] {
  const first = firstAtOrAfter(sorted, start);
  const last = firstAtOrAfter(sorted, end);
  return first === 0 && last === sorted.length ? sorted : sorted.slice(first, last);
}

function firstAtOrAfter(sorted: readonly { time: number }[], instant: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle]?.time ?? Number.POSITIVE_INFINITY) < instant) low = middle + 1;
    else high = middle;
  }
  return low;
}
