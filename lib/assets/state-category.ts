/** Machine state codes (UMH-compatible, domain.md §3): categories, labels and colours. Pure. */

export type TStateCategory = "running" | "unknown" | "material" | "process" | "operator" | "planning" | "technical";

/** The state colour tokens in app/globals.css (`--color-state-*`), the same in both themes. */
export type TStateColorToken = "state-running" | "state-planned" | "state-unplanned" | "state-unknown";

export type TStateInfo = {
  code: number;
  category: TStateCategory;
  /** The named code this one refines: 180001 → 180000; the code itself for a named one; null outside every range. */
  baseCode: number | null;
  label: string;
  color: TStateColorToken;
};

const categoryRanges: { from: number; to: number; category: TStateCategory }[] = [
  { from: 10_000, to: 29_999, category: "running" },
  { from: 30_000, to: 59_999, category: "unknown" },
  { from: 60_000, to: 99_999, category: "material" },
  { from: 100_000, to: 139_999, category: "process" },
  { from: 140_000, to: 159_999, category: "operator" },
  { from: 160_000, to: 179_999, category: "planning" },
  { from: 180_000, to: 229_999, category: "technical" },
];

export const stateCategoryLabels: Record<TStateCategory, string> = {
  running: "Running",
  unknown: "Unknown",
  material: "Material stop",
  process: "Process stop",
  operator: "Operator stop",
  planning: "Planning stop",
  technical: "Technical stop",
};

const namedStates = new Map<number, string>([
  [10_000, "Running"],
  [20_000, "Running slow"],
  [30_000, "Unknown"],
  [40_000, "Unspecified stop"],
  [50_000, "Micro-stop"],
  [60_000, "Inlet jam"],
  [70_000, "Outlet jam"],
  [80_000, "Congestion"],
  [90_000, "Material issue"],
  [100_000, "Changeover"],
  [110_000, "Cleaning"],
  [120_000, "Emptying"],
  [130_000, "Setting up"],
  [140_000, "Operator absent"],
  [150_000, "Operator break"],
  [160_000, "No shift"],
  [170_000, "No order"],
  [180_000, "Equipment failure"],
  [190_000, "External failure"],
  [200_000, "External interference"],
  [210_000, "Preventive maintenance"],
  [220_000, "Other technical stop"],
]);

// The stops domain.md §4 takes out of planned production time; a site may reclassify any code,
// but until it does these read as planned and every other stop as an availability loss.
const plannedByDefault = new Set([150_000, 160_000, 170_000, 210_000]);

export function stateCategory(code: number): TStateCategory {
  return categoryRanges.find((range) => code >= range.from && code <= range.to)?.category ?? "unknown";
}

export function describeState(code: number): TStateInfo {
  const inRange = Number.isInteger(code) && categoryRanges.some((range) => code >= range.from && code <= range.to);
  if (!inRange) return { code, category: "unknown", baseCode: null, label: `State ${code}`, color: "state-unknown" };
  const category = stateCategory(code);
  // Sub-reasons keep their named code's ten-thousand: 180001 is a kind of equipment failure.
  const rounded = Math.floor(code / 10_000) * 10_000;
  const baseCode = namedStates.has(rounded) ? rounded : null;
  return {
    code,
    category,
    baseCode,
    label: baseCode === null ? stateCategoryLabels[category] : namedStates.get(baseCode)!,
    color: stateColor(category, baseCode),
  };
}

function stateColor(category: TStateCategory, baseCode: number | null): TStateColorToken {
  if (category === "running") return "state-running";
  if (baseCode === 30_000) return "state-unknown";
  return baseCode !== null && plannedByDefault.has(baseCode) ? "state-planned" : "state-unplanned";
}
