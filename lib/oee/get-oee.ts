import { z } from "zod";
import type { TSiteScope } from "../auth/site-scope";
import { combineOee, computeOee, type TOeeFigures } from "./compute-oee";
import { eventsWithin } from "./condense-timeline";
import { findOeeScope } from "./find-oee-scope";
import { loadOeeInput, type TMachineInput } from "./load-oee-input";
import { refineRange, ZAssetRange } from "./range-query";
import { splitByShifts, splitRange, type TTimeWindow } from "./split-range";

export const ZOeeQuery = refineRange(ZAssetRange.extend({
  groupBy: z.enum(["shift", "hour", "day", "week"], { error: "groupBy must be one of shift, hour, day, week" }).optional(),
}));
export type TOeeQuery = z.infer<typeof ZOeeQuery>;

export type TMachineOee = TOeeFigures & { path: string; name: string };
export type TOeeSummary = TOeeFigures & {
  asset: { path: string; name: string; level: string };
  from: string;
  to: string;
  timeZone: string;
  machines: TMachineOee[];
};
export type TOeeBucket = TOeeFigures & { from: string; to: string };

/**
 * OEE of an asset over [from, to): per machine with computeOee, the asset as combineOee of its machines
 * (by time and counts, never by averaging percentages). With groupBy, one entry per bucket of the
 * site's calendar, or per (merged) shift window.
 */
export async function getOee(query: TOeeQuery, siteScope: TSiteScope, now = Date.now()): Promise<TOeeSummary | TOeeBucket[]> {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const scope = await findOeeScope(query.asset, siteScope);
  const { groupBy } = query;
  const { buckets, machines } = await loadOeeInput({
    scope, from, to, now,
    bucketsOf: (shifts) =>
      groupBy === undefined ? [{ start: from, end: to }]
      : groupBy === "shift" ? splitByShifts(from, to, shifts)
      : splitRange(from, to, groupBy, scope.timeZone),
  });

  if (groupBy === undefined) {
    const perMachine = machines.map((input) => machineOee(input, { start: from, end: to }, now));
    const total = combined(perMachine, machines, scope.warnings);
    return {
      asset: { path: scope.asset.path, name: scope.asset.name, level: scope.asset.level },
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      timeZone: scope.timeZone,
      ...total,
      machines: perMachine.map((figures, index) => ({ path: machines[index]?.machine.path ?? "", name: machines[index]?.machine.name ?? "", ...figures })),
    };
  }
  return buckets.map((bucket) => {
    const perMachine = machines.map((input) => machineOee(input, bucket, now));
    return { from: new Date(bucket.start).toISOString(), to: new Date(bucket.end).toISOString(), ...combined(perMachine, machines, scope.warnings) };
  });
}

function machineOee(input: TMachineInput, window: TTimeWindow, now: number): TOeeFigures {
  return computeOee({
    from: window.start,
    to: window.end,
    now,
    // Only the shifts that touch the window: hour buckets over a month would otherwise merge every shift 720 times.
    shifts: input.shifts.filter((shift) => shift.start < window.end && shift.end > window.start),
    breaks: input.breaks.filter((pause) => pause.start < window.end && pause.end > window.start),
    // The condensed timeline has an event at every segment start, so a bucket needs only its own events.
    states: eventsWithin(input.states, window.start, window.end),
    counts: eventsWithin(input.counts, window.start, window.end),
    workOrders: input.workOrders,
    fallbackIdealCycleTimeMs: input.machine.idealCycleTimeMs,
    classification: input.reasons.classification,
  });
}

/** The aggregate, with each machine's own warnings named after it (unless the aggregate already says the same). */
function combined(perMachine: TOeeFigures[], machines: TMachineInput[], scopeWarnings: string[]): TOeeFigures {
  const total = combineOee(perMachine);
  const own = new Set(total.warnings);
  const named = perMachine.flatMap((figures, index) =>
    figures.warnings.filter((warning) => !own.has(warning)).map((warning) => `${machines[index]?.machine.path}: ${warning}`));
  return { ...total, warnings: [...scopeWarnings, ...total.warnings, ...named] };
}
