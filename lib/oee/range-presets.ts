import { splitRange } from "./split-range";

export const rangePresets = [
  { key: "8h", label: "Last 8 hours" },
  { key: "today", label: "Today" },
  { key: "yesterday", label: "Yesterday" },
  { key: "7d", label: "Last 7 days" },
  { key: "30d", label: "Last 30 days" },
] as const;
export type TRangePreset = (typeof rangePresets)[number]["key"];

export function isRangePreset(value: string | null | undefined): value is TRangePreset {
  return rangePresets.some((preset) => preset.key === value);
}

/** A preset as [from, to) in epoch ms; days start at midnight in the site's zone. */
export function resolvePreset(preset: TRangePreset, now: number, timeZone: string): { from: number; to: number } {
  if (preset === "8h") return { from: now - 8 * 3_600_000, to: now };
  // Local midnights of the last 31 days (splitRange knows 23- and 25-hour days).
  const days = splitRange(now - 32 * 86_400_000, now + 1, "day", timeZone);
  const dayStart = (daysBack: number) => days[days.length - 1 - daysBack]!.start;
  switch (preset) {
    case "today":
      return { from: dayStart(0), to: now };
    case "yesterday":
      return { from: dayStart(1), to: dayStart(0) };
    case "7d":
      return { from: dayStart(6), to: now };
    case "30d":
      return { from: dayStart(29), to: now };
  }
}

/** The grouping that gives a readable number of bars for a range. */
export function groupingFor(from: number, to: number): "hour" | "day" {
  return to - from <= 36 * 3_600_000 ? "hour" : "day";
}
