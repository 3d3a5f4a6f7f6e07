/**
 * Pure shaping of OEE API answers for the console's charts (no React, no fetching), so what a
 * chart shows can be unit-tested against the figures it came from.
 */
import type { TOeeFigures } from "./compute-oee";
import type { TStop } from "./find-stops";


export type TWaterfallStep = { label: string; startMs: number; valueMs: number; kind: "total" | "loss" };

/**
 * Planned time → availability losses → performance losses → quality losses → fully
 * productive time. Each loss hangs from the level the previous step left.
 */
export function lossesWaterfall(figures: TOeeFigures): TWaterfallStep[] | null {
  const planned = figures.plannedProductionTimeMs;
  if (planned <= 0 || figures.losses.reducedSpeedMs === null) return null;
  const availabilityLoss = figures.unplannedStopTimeMs;
  const performanceLoss = Math.max(0, figures.runTimeMs - figures.idealProductionTimeMs);
  const qualityLoss = figures.losses.productionRejectsMs + figures.losses.startupRejectsMs;
  const fullyProductive = Math.max(0, planned - availabilityLoss - performanceLoss - qualityLoss);
  let level = planned;
  const step = (label: string, valueMs: number): TWaterfallStep => {
    level -= valueMs;
    return { label, startMs: level, valueMs, kind: "loss" };
  };
  return [
    { label: "Planned production time", startMs: 0, valueMs: planned, kind: "total" },
    step("Availability losses", availabilityLoss),
    step("Performance losses", performanceLoss),
    step("Quality losses", qualityLoss),
    { label: "Fully productive time", startMs: 0, valueMs: fullyProductive, kind: "total" },
  ];
}

export type TParetoBar = { label: string; durationMs: number; stops: number; cumulativeShare: number };

/** Unplanned stop time by reason, longest first, with the cumulative share for the Pareto line. */
export function downtimePareto(stops: readonly TStop[]): TParetoBar[] {
  const byReason = new Map<string, { durationMs: number; stops: number }>();
  for (const stop of stops) {
    if (stop.category !== "unplannedStop") continue;
    const label = `${stop.reasonCode} ${stop.reasonName}`;
    const entry = byReason.get(label) ?? { durationMs: 0, stops: 0 };
    entry.durationMs += stop.durationMs;
    entry.stops += 1;
    byReason.set(label, entry);
  }
  const bars = [...byReason.entries()].map(([label, entry]) => ({ label, ...entry })).sort((a, b) => b.durationMs - a.durationMs || a.label.localeCompare(b.label));
  const total = bars.reduce((sum, bar) => sum + bar.durationMs, 0);
  let running = 0;
  return bars.map((bar) => {
    running += bar.durationMs;
    return { ...bar, cumulativeShare: total > 0 ? running / total : 0 };
  });
}

/** Parts the hour should have made at the ideal rate in its planned time: the hour-by-hour target. */
export function hourlyTarget(figures: Pick<TOeeFigures, "plannedProductionTimeMs" | "idealCycleTimeMs">): number | null {
  if (!figures.idealCycleTimeMs || figures.idealCycleTimeMs <= 0) return null;
  return Math.floor(figures.plannedProductionTimeMs / figures.idealCycleTimeMs);
}

/** A fraction as a percentage for people: one decimal, never clipped (105.3 % stays 105.3 %). */
export function formatRatio(value: number | null, locale?: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** 5 400 000 → "1 h 30 min"; under a minute in seconds. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours ? `${hours} h${minutes ? ` ${minutes} min` : ""}` : `${minutes} min`;
}
