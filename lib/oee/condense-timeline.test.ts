import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeOee, type TCountEvent, type TOeeInput, type TStateEvent, type TWorkOrderWindow } from "./compute-oee";
import {
  countsFromPieces, cycleTimeEdges, eventsWithin, hoursSplitByBoundaries, shiftEdges, segmentAt, segmentBoundaries, splitIntoSegments, splitWindow, statesFromPieces, type TCountPiece, type TStatePiece,
} from "./condense-timeline";
import { splitRange, type TTimeWindow } from "./split-range";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const origin = Date.parse("2024-06-10T00:00:00Z");

/** What the database does (lib/oee/load-oee-input.ts), written plainly: sums per segment. */
function referencePieces(boundaries: number[], countBoundaries: number[], states: TStateEvent[], counts: TCountEvent[], until: number) {
  const from = boundaries[0] ?? 0;
  const to = boundaries.at(-1) ?? 0;
  const segmentOf = (time: number) => {
    let index = 0;
    while (index + 1 < countBoundaries.length && (countBoundaries[index + 1] ?? 0) <= time) index++;
    return index;
  };
  const ordered = [...states].sort((a, b) => a.time - b.time);
  const before = ordered.filter((event) => event.time <= from).at(-1);
  const inRange = ordered.filter((event) => event.time > from && event.time < until);
  const spans: { start: number; end: number; code: number | null }[] = [];
  const timeline = before ? [before, ...inRange] : inRange;
  if (!before) spans.push({ start: from, end: timeline[0]?.time ?? until, code: null });
  timeline.forEach((event, index) => spans.push({ start: Math.max(event.time, from), end: timeline[index + 1]?.time ?? until, code: event.state }));
  const statePieces = new Map<string, TStatePiece>();
  for (const span of spans) {
    for (let segment = 0; segment < boundaries.length - 1; segment++) {
      const ms = Math.min(span.end, boundaries[segment + 1] ?? 0) - Math.max(span.start, boundaries[segment] ?? 0);
      if (ms <= 0) continue;
      const key = `${segment}:${span.code}`;
      const piece = statePieces.get(key) ?? { segment, code: span.code, ms: 0 };
      piece.ms += ms;
      statePieces.set(key, piece);
    }
  }
  const countPieces: TCountPiece[] = counts
    .filter((event) => event.time >= from && event.time < to)
    .map((event) => ({ segment: segmentOf(event.time), count: event.count, scrap: event.scrap }));
  return { statePieces: [...statePieces.values()], countPieces };
}

const arbitraryInput = fc.record({
  rangeStartMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  rangeMinutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
  nowMinutes: fc.integer({ min: 0, max: 7 * 24 * 60 }),
  shifts: fc.array(fc.record({ start: fc.integer({ min: 0, max: 6 * 24 * 60 }), length: fc.integer({ min: 1, max: 12 * 60 }) }), { maxLength: 6 }),
  states: fc.array(fc.record({ minute: fc.integer({ min: 0, max: 6 * 24 * 60 }), state: fc.constantFrom(10_000, 20_000, 40_000, 50_000, 100_000, 150_000, 180_000, 180_001) }), { maxLength: 40 }),
  counts: fc.array(fc.record({ minute: fc.integer({ min: 0, max: 6 * 24 * 60 }), count: fc.integer({ min: 0, max: 50 }), scrapShare: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 60 }),
  workOrders: fc.array(fc.record({ start: fc.integer({ min: 0, max: 6 * 24 * 60 }), length: fc.option(fc.integer({ min: 1, max: 2 * 24 * 60 })), cycleSeconds: fc.option(fc.integer({ min: 1, max: 60 })) }), { maxLength: 4 }),
  groupBy: fc.constantFrom("none", "hour", "day", "shift"),
});

describe("a condensed timeline scores exactly like the raw one", () => {
  it("for random states, counts, shifts, work orders, buckets and now", () => {
    fc.assert(fc.property(arbitraryInput, (input) => {
      const at = (minutes: number) => origin + minutes * minute;
      const from = at(input.rangeStartMinutes);
      const to = from + input.rangeMinutes * minute;
      const now = at(input.nowMinutes);
      const until = Math.max(from, Math.min(to, now));
      const shifts: TTimeWindow[] = input.shifts.map((shift) => ({ start: at(shift.start), end: at(shift.start + shift.length) }));
      const workOrders: TWorkOrderWindow[] = input.workOrders.map((order) => ({
        start: at(order.start), end: order.length === null ? null : at(order.start + order.length), idealCycleTimeMs: order.cycleSeconds === null ? null : order.cycleSeconds * 1000,
      }));
      // State events have distinct times (the table's key).
      const states = [...new Map(input.states.map((event) => [at(event.minute), { time: at(event.minute), state: event.state }])).values()];
      const counts = input.counts.map((event) => ({ time: at(event.minute), count: event.count, scrap: Math.floor(event.count * event.scrapShare) }));
      const buckets = input.groupBy === "none" ? [{ start: from, end: to }]
        : input.groupBy === "shift" ? shifts.map((shift) => ({ start: Math.max(shift.start, from), end: Math.min(shift.end, to) })).filter((w) => w.start < w.end)
        : splitRange(from, to, input.groupBy === "hour" ? "hour" : "day", "Europe/Berlin");

      // Only the instants load-oee-input.ts cuts at: where shift coverage or the ideal cycle time changes.
      const stateInstants = [until, ...buckets.flatMap((bucket) => [bucket.start, bucket.end]), ...shiftEdges(from, to, shifts)];
      const boundaries = segmentBoundaries(from, to, stateInstants);
      const countBoundaries = segmentBoundaries(from, to, [...stateInstants, ...cycleTimeEdges(from, to, workOrders)]);
      const { statePieces, countPieces } = referencePieces(boundaries, countBoundaries, states, counts, until);
      const condensedStates = statesFromPieces(boundaries, statePieces);
      const condensedCounts = countsFromPieces(countBoundaries, countPieces);

      for (const bucket of buckets) {
        const common: Omit<TOeeInput, "states" | "counts"> = { from: bucket.start, to: bucket.end, now, shifts, workOrders };
        const raw = computeOee({ ...common, states, counts });
        const condensed = computeOee({
          ...common,
          states: eventsWithin(condensedStates, bucket.start, bucket.end),
          counts: eventsWithin(condensedCounts, bucket.start, bucket.end),
        });
        expect(condensed).toEqual(raw);
      }
    }), { numRuns: 300 });
  });
});

describe("helpers", () => {
  it("segmentBoundaries keeps from and to and the distinct instants strictly between them, sorted", () => {
    expect(segmentBoundaries(10, 20, [15, 5, 12, 15, 20, 10, 25])).toEqual([10, 12, 15, 20]);
  });

  it("hoursSplitByBoundaries lists the UTC hours a boundary cuts, not those it starts", () => {
    expect(hoursSplitByBoundaries([origin, origin + 90 * minute, origin + 2 * hour, origin + day + 1])).toEqual([origin + hour, origin + day]);
  });

  it("splitIntoSegments spreads an interval over the segments it overlaps", () => {
    expect(splitIntoSegments([0, 10, 20, 30], 5, 25)).toEqual([{ segment: 0, ms: 5 }, { segment: 1, ms: 10 }, { segment: 2, ms: 5 }]);
    expect(splitIntoSegments([0, 10, 20, 30], -5, 10)).toEqual([{ segment: 0, ms: 10 }]);
    expect(splitIntoSegments([0, 10, 20, 30], 30, 40)).toEqual([]);
  });

  it("splitWindow cuts a window at the boundaries inside it; segmentAt agrees with them", () => {
    expect(splitWindow([0, 10, 20, 30], 5, 25)).toEqual([{ segment: 0, start: 5, end: 10 }, { segment: 1, start: 10, end: 20 }, { segment: 2, start: 20, end: 25 }]);
    expect([segmentAt([0, 10, 20], -1), segmentAt([0, 10, 20], 0), segmentAt([0, 10, 20], 19), segmentAt([0, 10, 20], 20)]).toEqual([-1, 0, 1, 2]);
  });

  it("shiftEdges keeps only where time enters or leaves every shift", () => {
    expect(shiftEdges(0, 100, [{ start: 10, end: 30 }, { start: 30, end: 50 }, { start: 40, end: 60 }, { start: 80, end: 120 }])).toEqual([10, 60, 80]);
  });

  it("cycleTimeEdges keeps only work-order edges where the ideal cycle time changes, 1 ms after them", () => {
    // A count stamped at an edge reports parts made before it, so the change applies from edge + 1.
    expect(cycleTimeEdges(0, 100, [
      { start: -10, end: 20, idealCycleTimeMs: 1000 },
      { start: 20, end: 40, idealCycleTimeMs: 1000 },
      { start: 40, end: 60, idealCycleTimeMs: 2000 },
      { start: 70, end: null, idealCycleTimeMs: null },
    ])).toEqual([41, 61]);
  });

  it("eventsWithin takes start ≤ time < end", () => {
    const events = [1, 2, 2, 3, 5].map((time) => ({ time }));
    expect(eventsWithin(events, 2, 5).map((event) => event.time)).toEqual([2, 2, 3]);
    expect(eventsWithin(events, 0, 10)).toBe(events);
    expect(eventsWithin(events, 6, 10)).toEqual([]);
  });

  it("statesFromPieces adds up pieces of one segment and code, so a negative piece moves time to another code", () => {
    expect(statesFromPieces([0, 100], [
      { segment: 0, code: 40_000, ms: 60 },
      { segment: 0, code: 10_000, ms: 40 },
      { segment: 0, code: 40_000, ms: -20 },
      { segment: 0, code: 180_001, ms: 20 },
    ])).toEqual([{ time: 0, state: 10_000 }, { time: 40, state: 40_000 }, { time: 80, state: 180_001 }]);
  });

  it("statesFromPieces puts unknown time first in its segment and skips empty pieces", () => {
    expect(statesFromPieces([0, 100, 200], [
      { segment: 1, code: 10_000, ms: 100 },
      { segment: 0, code: 40_000, ms: 30 },
      { segment: 0, code: null, ms: 70 },
      { segment: 0, code: 10_000, ms: 0 },
    ])).toEqual([{ time: 70, state: 40_000 }, { time: 100, state: 10_000 }]);
  });
});
