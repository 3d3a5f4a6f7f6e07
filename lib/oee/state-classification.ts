/**
 * How a machine state code (domain.md §3, UMH-compatible ranges) counts in OEE.
 * Codes are grouped in blocks of 10 000: 180000 is "equipment failure" and 180001…189999 are
 * the plant's own sub-reasons of it, which inherit its classification unless overridden.
 */
export type TStateCategory = "running" | "plannedStop" | "unplannedStop";

/** Nakajima's six big losses: two per OEE factor (availability, performance, quality). */
export type TSixBigLoss =
  | "breakdowns" | "setupAdjustment"
  | "smallStops" | "reducedSpeed"
  | "startupRejects" | "productionRejects";

/** `lossKind` null: time that is no loss (full-speed production) or not planned at all (planned stop). */
export type TStateClass = { category: TStateCategory; lossKind: TSixBigLoss | null };

export const stateCodes = {
  producing: 10_000,
  reducedSpeed: 20_000,
  unknown: 30_000,
  unspecifiedStop: 40_000,
  microStop: 50_000,
  changeover: 100_000,
  operatorBreak: 150_000,
  noShift: 160_000,
  noOrder: 170_000,
  equipmentFailure: 180_000,
  preventiveMaintenance: 210_000,
} as const;

const codeBlock = 10_000;

/** Blocks excluded from planned production time unless a site decides otherwise. */
const plannedStopBlocks: ReadonlySet<number> = new Set([
  stateCodes.operatorBreak,
  stateCodes.noShift,
  stateCodes.noOrder,
  stateCodes.preventiveMaintenance,
]);

export function baseCode(code: number): number {
  return Math.floor(code / codeBlock) * codeBlock;
}

function defaultCategory(base: number): TStateCategory {
  // Micro-stops are too short to log as downtime: they stay in run time and show as a performance loss.
  if ((base >= 10_000 && base <= 20_000) || base === stateCodes.microStop) return "running";
  if (plannedStopBlocks.has(base)) return "plannedStop";
  return "unplannedStop";
}

function lossKindOf(category: TStateCategory, base: number): TSixBigLoss | null {
  if (category === "plannedStop") return null;
  if (category === "running") {
    if (base === stateCodes.microStop) return "smallStops";
    if (base === stateCodes.reducedSpeed) return "reducedSpeed";
    return null;
  }
  if (base >= 100_000 && base <= 130_000) return "setupAdjustment";
  // Material, operator, planning-turned-unplanned, unknown and technical stops: availability loss "other stops",
  // reported as breakdowns (oee.com's "unplanned stops") so the six losses still add up to the whole.
  return "breakdowns";
}

/**
 * Exact-code override first, then the override of the code's block (a site that makes 110000 cleaning
 * planned means its sub-reasons too), then the default of the block.
 */
export function classifyState(code: number, overrides?: ReadonlyMap<number, TStateCategory>): TStateClass {
  const base = baseCode(code);
  const category = overrides?.get(code) ?? overrides?.get(base) ?? defaultCategory(base);
  return { category, lossKind: lossKindOf(category, base) };
}
