import { getDb } from "../db";
import { expandCalendar, type TPlannedShift } from "../shifts/expand-calendar";
import { loadSiteCalendars } from "../shifts/shift-calendars";
import type { TCountEvent, TStateEvent, TWorkOrderWindow } from "./compute-oee";
import { countsFromPieces, cycleTimeEdges, segmentBoundaries, shiftEdges, statesFromPieces } from "./condense-timeline";
import type { TOeeMachine, TOeeScope } from "./find-oee-scope";
import { loadCountPieces } from "./load-count-pieces";
import { loadStateFacts, loadStatePieces } from "./load-state-pieces";
import { loadReasonCodeRows, siteReasons, type TSiteReasons } from "./reason-codes";
import type { TTimeWindow } from "./split-range";

export type TMachineInput = {
  machine: TOeeMachine;
  reasons: TSiteReasons;
  /** Its site's calendar shifts, and those announced over MQTT for it or its ancestors. */
  shifts: TTimeWindow[];
  /** Its site calendar's planned breaks. */
  breaks: TTimeWindow[];
  workOrders: TWorkOrderWindow[];
  /** Condensed (see condense-timeline.ts), time-sorted; exact for every bucket. */
  states: TStateEvent[];
  counts: TCountEvent[];
};

export type TOeeInputRequest = {
  scope: TOeeScope;
  from: number;
  to: number;
  now: number;
  /** The buckets to report, given every shift window that applies to some machine (for groupBy=shift). */
  bucketsOf: (shifts: TTimeWindow[]) => TTimeWindow[];
};

/** Ranges longer than this read hourly totals (state_hours, production_hours) wherever no boundary cuts the hour. */
const hourlyTotalsAfterMs = 48 * 3_600_000;

/**
 * Everything computeOee needs for each machine of the scope, in one query per table for all machines.
 * States and counts are summed per segment in the database (condense-timeline.ts explains why that is exact),
 * from hourly totals where a range is long.
 */
export async function loadOeeInput(request: TOeeInputRequest): Promise<{ buckets: TTimeWindow[]; machines: TMachineInput[] }> {
  const { scope, from, to, now } = request;
  const machineIds = scope.machines.map((machine) => machine.id);
  const ownerIds = [...new Set(scope.machines.flatMap((machine) => machine.ownerIds))];
  const db = getDb();
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();

  const useHourlyTotals = to - from > hourlyTotalsAfterMs;
  const siteIds = [...new Set(scope.machines.flatMap((machine) => (machine.siteId ? [machine.siteId] : [])))];
  const [shiftRows, workOrderRows, reasonRows, stateFacts, calendars] = await Promise.all([
    db.$queryRaw<{ assetId: string; start: number; end: number }[]>`
      SELECT asset_id AS "assetId", (EXTRACT(EPOCH FROM start_time) * 1000)::float8 AS start, (EXTRACT(EPOCH FROM end_time) * 1000)::float8 AS "end"
      FROM shifts
      WHERE asset_id = ANY(${ownerIds}::uuid[]) AND start_time < ${toIso}::timestamptz AND end_time > ${fromIso}::timestamptz`,
    // A work order counts from its start; one never started is not running.
    db.$queryRaw<{ assetId: string; start: number; end: number | null; idealCycleTimeMs: number | null }[]>`
      SELECT w.asset_id AS "assetId", (EXTRACT(EPOCH FROM w.start_time) * 1000)::float8 AS start,
             (EXTRACT(EPOCH FROM w.end_time) * 1000)::float8 AS "end", p.cycle_time_ms AS "idealCycleTimeMs"
      FROM work_orders w LEFT JOIN product_types p ON p.id = w.product_type_id
      WHERE w.asset_id = ANY(${ownerIds}::uuid[]) AND w.start_time IS NOT NULL AND w.start_time < ${toIso}::timestamptz
        AND (w.end_time IS NULL OR w.end_time > ${fromIso}::timestamptz)`,
    loadReasonCodeRows(scope.machines.map((machine) => machine.siteId)),
    loadStateFacts(machineIds, useHourlyTotals),
    loadSiteCalendars(siteIds, from, to),
  ]);

  const byOwner = <TRow extends { assetId: string }>(rows: TRow[]) => {
    const grouped = new Map<string, TRow[]>();
    for (const row of rows) {
      const list = grouped.get(row.assetId);
      if (list) list.push(row);
      else grouped.set(row.assetId, [row]);
    }
    return (machine: TOeeMachine) => machine.ownerIds.flatMap((id) => grouped.get(id) ?? []);
  };
  const shiftsOf = byOwner(shiftRows);
  const workOrdersOf = byOwner(workOrderRows);
  const plannedBySite = new Map<string, TPlannedShift[]>();
  for (const [siteId, calendar] of calendars) plannedBySite.set(siteId, expandCalendar(calendar, from, to));
  const plannedOf = (machine: TOeeMachine) => (machine.siteId ? plannedBySite.get(machine.siteId) : undefined) ?? [];
  const machineShifts = scope.machines.map((machine) => [
    ...shiftsOf(machine).map(({ start, end }) => ({ start, end })),
    ...plannedOf(machine).map(({ start, end }) => ({ start, end })),
  ]);
  const machineBreaks = scope.machines.map((machine) => plannedOf(machine).flatMap((shift) => shift.breaks));
  const machineWorkOrders = scope.machines.map((machine) => workOrdersOf(machine).map(({ start, end, idealCycleTimeMs }) => ({ start, end, idealCycleTimeMs })));
  const buckets = request.bucketsOf(machineShifts.flat());

  // Per machine, every instant at which its answer may change: one segment, one answer (condense-timeline.ts).
  const until = Math.max(from, Math.min(to, now));
  const bucketEdges = buckets.flatMap((bucket) => [bucket.start, bucket.end]);
  const stateBoundaries = new Map<string, number[]>();
  const countBoundaries = new Map<string, number[]>();
  scope.machines.forEach((machine, index) => {
    const commonInstants = [until, ...bucketEdges, ...shiftEdges(from, to, machineShifts[index] ?? [])];
    // Breaks change what a state counts as, not a part: parts made in a break still count (they are inside the
    // shift), so count segments need no break edges, and hours cut only by a break keep their hourly totals.
    stateBoundaries.set(machine.id, segmentBoundaries(from, to, [...commonInstants, ...shiftEdges(from, to, machineBreaks[index] ?? [])]));
    countBoundaries.set(machine.id, segmentBoundaries(from, to, [...commonInstants, ...cycleTimeEdges(from, to, machineWorkOrders[index] ?? [])]));
  });
  const [statePieces, countPieces] = await Promise.all([
    loadStatePieces({ machineIds, boundaries: stateBoundaries, from, until, useHourlyTotals, facts: stateFacts }),
    loadCountPieces({ machineIds, boundaries: countBoundaries, from, to, useHourlyTotals }),
  ]);

  return {
    buckets,
    machines: scope.machines.map((machine, index) => ({
      machine,
      reasons: siteReasons(reasonRows, machine.siteId),
      shifts: machineShifts[index] ?? [],
      breaks: machineBreaks[index] ?? [],
      workOrders: machineWorkOrders[index] ?? [],
      states: statesFromPieces(stateBoundaries.get(machine.id) ?? [], statePieces.get(machine.id) ?? []),
      counts: countsFromPieces(countBoundaries.get(machine.id) ?? [], countPieces.get(machine.id) ?? []),
    })),
  };
}
