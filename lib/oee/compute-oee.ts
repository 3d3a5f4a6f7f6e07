/**
 * OEE per ISO 22400-2 in the plain words plants use (domain.md §4). Pure: no database, no clock;
 * the caller passes everything, so a late count or a reclassified stop just means calling it again.
 */
import { splitByShifts, type TTimeWindow } from "./split-range";
import { classifyState, stateCodes, type TStateCategory } from "./state-classification";

export type TStateEvent = { time: number; state: number };
export type TCountEvent = { time: number; count: number; scrap: number };
export type TWorkOrderWindow = { start: number; end: number | null; idealCycleTimeMs: number | null };

export type TOeeInput = {
  /** Epoch ms, half-open [from, to). */
  from: number;
  to: number;
  /** Nothing is known beyond this instant: open states end here, and later time is not counted at all. */
  now: number;
  /** Planned shift windows in any order; they may overlap each other or the range edges. */
  shifts: readonly TTimeWindow[];
  /** Planned breaks of the shift calendar, in any order: inside a shift, a break is a planned stop unless the machine runs through it. */
  breaks?: readonly TTimeWindow[];
  /** State changes in any order, including the last one at or before `from` (the state in force at the start). */
  states: readonly TStateEvent[];
  /** `count` is every part in the message (good + scrap); `scrap` is part of it. */
  counts: readonly TCountEvent[];
  /** The ideal cycle time of a part is that of the work order running when it was counted. */
  workOrders: readonly TWorkOrderWindow[];
  /** Asset-level ideal cycle time for parts counted while no work order with one is running. */
  fallbackIdealCycleTimeMs?: number | null;
  classification?: ReadonlyMap<number, TStateCategory>;
};

/** The six big losses in ms of equivalent time, so they add up against planned production time. */
export type TSixBigLosses = {
  breakdownsMs: number;
  setupAdjustmentMs: number;
  smallStopsMs: number;
  /** null when the ideal cycle time of some counted parts is unknown. */
  reducedSpeedMs: number | null;
  /** Always 0 today: count messages carry no start-up flag, so every reject is a production reject. */
  startupRejectsMs: number;
  productionRejectsMs: number;
};

export type TOeeFigures = {
  /** Fractions 0–1; performance above 1 is kept (and warned about), never clipped. null = cannot be known. */
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  teep: number | null;
  /** For one machine: min(to, now) − from. For an aggregate: the sum over its machines (machine-time). */
  calendarTimeMs: number;
  plannedProductionTimeMs: number;
  runTimeMs: number;
  unplannedStopTimeMs: number;
  plannedStopTimeMs: number;
  totalCount: number;
  goodCount: number;
  scrapCount: number;
  /** Count-weighted mean ideal cycle time (idealProductionTimeMs / totalCount); null if unknown or nothing counted. */
  idealCycleTimeMs: number | null;
  /** Σ count × ideal cycle time: what lets line and site OEE aggregate by time and counts. */
  idealProductionTimeMs: number;
  losses: TSixBigLosses;
  warnings: string[];
};

const minuteMs = 60_000;

function minutes(ms: number): string {
  return `${Math.round((ms / minuteMs) * 10) / 10} min`;
}

function usableCycleTime(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

type TStateSpan = TTimeWindow & { state: number; known: boolean };

/** Each state lasts until the next event or `until`; time before the first event is "unknown". */
function stateSpans(states: readonly TStateEvent[], from: number, until: number): TStateSpan[] {
  // A copy: the caller's arrays stay untouched. Sort is stable, so of two events at one instant the later wins.
  const ordered = [...states].sort((a, b) => a.time - b.time);
  const spans: TStateSpan[] = [];
  let cursor = from;
  let current: { state: number; known: boolean } = { state: stateCodes.unknown, known: false };
  for (const event of ordered) {
    if (event.time >= until) break;
    if (event.time > cursor) {
      spans.push({ start: cursor, end: event.time, ...current });
      cursor = event.time;
    }
    current = { state: event.state, known: true };
  }
  if (cursor < until) spans.push({ start: cursor, end: until, ...current });
  return spans;
}

/** Calls `visit` with the part [start, end) of every span that lies inside a shift (both lists sorted and disjoint). */
function forEachOverlap(spans: readonly TStateSpan[], shifts: readonly TTimeWindow[], visit: (span: TStateSpan, start: number, end: number) => void) {
  let shiftIndex = 0;
  for (const span of spans) {
    while (shiftIndex < shifts.length && (shifts[shiftIndex]?.end ?? 0) <= span.start) shiftIndex++;
    for (let i = shiftIndex; i < shifts.length; i++) {
      const shift = shifts[i];
      if (!shift || shift.start >= span.end) break;
      const start = Math.max(span.start, shift.start);
      const end = Math.min(span.end, shift.end);
      if (end > start) visit(span, start, end);
    }
  }
}

/** Milliseconds of [start, end) inside the windows (sorted and disjoint). */
function overlapMs(windows: readonly TTimeWindow[], start: number, end: number): number {
  let low = 0;
  let high = windows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((windows[middle]?.end ?? 0) <= start) low = middle + 1;
    else high = middle;
  }
  let total = 0;
  for (let index = low; index < windows.length; index++) {
    const window = windows[index];
    if (!window || window.start >= end) break;
    total += Math.max(0, Math.min(end, window.end) - Math.max(start, window.start));
  }
  return total;
}

function insideShift(time: number, shifts: readonly TTimeWindow[]): boolean {
  let low = 0;
  let high = shifts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const shift = shifts[middle];
    if (!shift) return false;
    if (time < shift.start) high = middle - 1;
    else if (time >= shift.end) low = middle + 1;
    else return true;
  }
  return false;
}

/** Of overlapping work orders, the one started last is the one running. */
function workOrderCycleTimeAt(time: number, workOrders: readonly TWorkOrderWindow[]): number | null {
  let running: TWorkOrderWindow | null = null;
  for (const order of workOrders) {
    if (order.start <= time && (order.end === null || time < order.end) && (!running || order.start >= running.start)) running = order;
  }
  return usableCycleTime(running?.idealCycleTimeMs);
}

/**
 * The ideal cycle time of the parts a count message at `time` reports. A count reports the parts
 * made up to its instant, so they belong to the order running just before it: the message a
 * machine sends as its order completes, stamped with the order's end, is that order's last parts.
 * Times are whole milliseconds, so "just before" is time − 1.
 */
export function countCycleTimeAt(time: number, workOrders: readonly TWorkOrderWindow[]): number | null {
  return workOrderCycleTimeAt(time - 1, workOrders);
}

type TOeeTotals = Omit<TOeeFigures, "availability" | "performance" | "quality" | "oee" | "teep" | "idealCycleTimeMs" | "warnings">;

/**
 * Ratios from summed times and counts: the one place both a machine and an aggregate get them from.
 * `idealCycleTimeKnown`: every counted part had an ideal cycle time.
 */
function figuresFromTotals(totals: TOeeTotals, idealCycleTimeKnown: boolean, warnings: string[]): TOeeFigures {
  const { plannedProductionTimeMs: ppt, runTimeMs: run, totalCount, goodCount, idealProductionTimeMs } = totals;
  const hasPlannedTime = ppt > 0;
  if (!hasPlannedTime) warnings.push("no planned production time in this range");

  const availability = hasPlannedTime ? run / ppt : null;
  // With nothing counted, Σ count × ideal cycle time is 0 whatever the cycle time: performance is exactly 0.
  const performance = !hasPlannedTime || run <= 0 ? null
    : totalCount === 0 ? 0
    : idealCycleTimeKnown ? idealProductionTimeMs / run
    : null;
  const quality = totalCount > 0 ? goodCount / totalCount : null;
  if (performance !== null && performance > 1) warnings.push("performance above 100 %: check the ideal cycle time");

  const factors = [availability, performance, quality];
  // 0 × unknown is still 0: a machine that never ran, or ran and made nothing, scores 0, not "unknown".
  const oee = !hasPlannedTime ? null
    : factors.some((factor) => factor === 0) ? 0
    : factors.every((factor) => factor !== null) ? (availability ?? 0) * (performance ?? 0) * (quality ?? 0)
    : null;
  const teep = oee !== null && totals.calendarTimeMs > 0 ? (oee * ppt) / totals.calendarTimeMs : null;

  return {
    availability, performance, quality, oee, teep,
    ...totals,
    idealCycleTimeMs: idealCycleTimeKnown && totalCount > 0 ? idealProductionTimeMs / totalCount : null,
    warnings,
  };
}

export function computeOee(input: TOeeInput): TOeeFigures {
  const warnings: string[] = [];
  // The future is neither planned time nor calendar time yet: TEEP of "today" covers today so far.
  const knownUntil = Math.min(input.to, input.now);
  const calendarTimeMs = Math.max(0, knownUntil - input.from);
  const shifts = splitByShifts(input.from, knownUntil, input.shifts);
  const breaks = splitByShifts(input.from, knownUntil, input.breaks ?? []);

  let runTimeMs = 0;
  let plannedStopTimeMs = 0;
  let unplannedStopTimeMs = 0;
  let unknownStateMs = 0;
  const losses: TSixBigLosses = {
    breakdownsMs: 0, setupAdjustmentMs: 0, smallStopsMs: 0, reducedSpeedMs: 0, startupRejectsMs: 0, productionRejectsMs: 0,
  };
  // Only the part of a state inside a shift counts: time outside every shift is neither planned nor downtime.
  forEachOverlap(stateSpans(input.states, input.from, knownUntil), shifts, (span, start, end) => {
    const { category, lossKind } = classifyState(span.state, input.classification);
    // A planned break covers a stop (or a gap in the data); a machine that runs through it makes run time as usual.
    const breakMs = category === "running" ? 0 : overlapMs(breaks, start, end);
    plannedStopTimeMs += breakMs;
    const ms = end - start - breakMs;
    if (ms <= 0) return;
    if (!span.known) unknownStateMs += ms;
    if (category === "running") runTimeMs += ms;
    else if (category === "plannedStop") plannedStopTimeMs += ms;
    else unplannedStopTimeMs += ms;
    if (lossKind === "breakdowns") losses.breakdownsMs += ms;
    else if (lossKind === "setupAdjustment") losses.setupAdjustmentMs += ms;
    else if (lossKind === "smallStops") losses.smallStopsMs += ms;
  });
  if (unknownStateMs > 0) {
    warnings.push(`no machine state known for ${minutes(unknownStateMs)} of shift time: counted as unknown (${stateCodes.unknown}), an unplanned stop`);
  }

  let totalCount = 0;
  let scrapCount = 0;
  let idealProductionTimeMs = 0;
  let partsOutsideShifts = 0;
  let partsAfterNow = 0;
  let partsWithoutCycleTime = 0;
  let partsOnFallback = 0;
  const fallbackCycleTime = usableCycleTime(input.fallbackIdealCycleTimeMs);
  for (const message of input.counts) {
    if (message.time < input.from || message.time >= input.to) continue;
    if (message.time >= knownUntil) { partsAfterNow += message.count; continue; }
    if (!insideShift(message.time, shifts)) { partsOutsideShifts += message.count; continue; }
    totalCount += message.count;
    scrapCount += message.scrap;
    let cycleTime = countCycleTimeAt(message.time, input.workOrders);
    if (cycleTime === null && fallbackCycleTime !== null) {
      cycleTime = fallbackCycleTime;
      partsOnFallback += message.count;
    }
    if (cycleTime === null) { partsWithoutCycleTime += message.count; continue; }
    idealProductionTimeMs += message.count * cycleTime;
    // Quality loss: the ideal time spent making parts that were thrown away.
    losses.productionRejectsMs += message.scrap * cycleTime;
  }
  if (partsOutsideShifts > 0) warnings.push(`${partsOutsideShifts} parts counted outside shifts were not included`);
  if (partsAfterNow > 0) warnings.push(`${partsAfterNow} parts timestamped after now were not included`);
  if (partsOnFallback > 0) warnings.push(`${partsOnFallback} parts counted with no work order ideal cycle time used the asset's fallback ideal cycle time`);
  if (partsWithoutCycleTime > 0) {
    warnings.push(`${partsWithoutCycleTime} parts have no ideal cycle time (no work order and no fallback): performance is unknown`);
  }

  const idealCycleTimeKnown = partsWithoutCycleTime === 0;
  // Reduced speed: run time not explained by ideal production or logged micro-stops; negative means the
  // ideal cycle time is set too long, which the performance warning already flags.
  losses.reducedSpeedMs = idealCycleTimeKnown ? Math.max(0, runTimeMs - idealProductionTimeMs - losses.smallStopsMs) : null;

  return figuresFromTotals({
    calendarTimeMs,
    plannedProductionTimeMs: runTimeMs + unplannedStopTimeMs,
    runTimeMs, unplannedStopTimeMs, plannedStopTimeMs,
    totalCount, goodCount: totalCount - scrapCount, scrapCount,
    idealProductionTimeMs, losses,
  }, idealCycleTimeKnown, warnings);
}

/**
 * Line, area or site OEE from its machines: times, counts and ideal production time are summed and the
 * ratios recomputed, never averaged. Calendar time is summed too (machine-time), so
 * TEEP = OEE × ΣPPT / Σcalendar and an aggregate can itself be combined again (lines into a site).
 * Warnings are only those of the aggregate: per-machine warnings stay on the parts, where the caller can name the machine.
 */
export function combineOee(parts: readonly TOeeFigures[]): TOeeFigures {
  const sum = (pick: (part: TOeeFigures) => number) => parts.reduce((total, part) => total + pick(part), 0);
  const reducedSpeed = parts.map((part) => part.losses.reducedSpeedMs);
  return figuresFromTotals({
    calendarTimeMs: sum((part) => part.calendarTimeMs),
    plannedProductionTimeMs: sum((part) => part.plannedProductionTimeMs),
    runTimeMs: sum((part) => part.runTimeMs),
    unplannedStopTimeMs: sum((part) => part.unplannedStopTimeMs),
    plannedStopTimeMs: sum((part) => part.plannedStopTimeMs),
    totalCount: sum((part) => part.totalCount),
    goodCount: sum((part) => part.goodCount),
    scrapCount: sum((part) => part.scrapCount),
    idealProductionTimeMs: sum((part) => part.idealProductionTimeMs),
    losses: {
      breakdownsMs: sum((part) => part.losses.breakdownsMs),
      setupAdjustmentMs: sum((part) => part.losses.setupAdjustmentMs),
      smallStopsMs: sum((part) => part.losses.smallStopsMs),
      // Summed per machine, not recomputed: one machine running fast must not hide another running slow.
      reducedSpeedMs: reducedSpeed.some((ms) => ms === null) ? null : reducedSpeed.reduce<number>((total, ms) => total + (ms ?? 0), 0),
      startupRejectsMs: sum((part) => part.losses.startupRejectsMs),
      productionRejectsMs: sum((part) => part.losses.productionRejectsMs),
    },
  }, parts.every((part) => part.totalCount === 0 || part.idealCycleTimeMs !== null), []);
}
