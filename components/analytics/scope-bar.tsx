"use client";

import { useId } from "react";
import { Select } from "@/components/ui/select";
import { rangePresets, type TRangePreset } from "@/lib/oee/range-presets";
import type { TScopeOption } from "./use-analytics-scope";

const levelLabels: Record<string, string> = { SITE: "site", AREA: "area", LINE: "line", WORK_CELL: "machine" };

/** Asset and range pickers shared by the analytics pages; large touch targets for tablets. */
export function ScopeBar({ options, selected, range, onChange }: {
  options: TScopeOption[];
  selected: TScopeOption | null;
  range: TRangePreset;
  onChange: (next: { asset?: string; range?: TRangePreset }) => void;
}) {
  const assetId = useId();
  const rangeId = useId();
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="flex-1">
        <label htmlFor={assetId} className="mb-1 block text-xs font-medium text-fg-muted">Asset</label>
        <Select id={assetId} className="w-full" value={selected?.path ?? ""} onChange={(event) => onChange({ asset: event.target.value })}>
          {options.map((option) => (
            <option key={option.path} value={option.path}>
              {`${"\u00a0\u00a0".repeat(Math.max(0, option.depth - 1))}${option.name} (${levelLabels[option.level] ?? option.level.toLowerCase()})`}
            </option>
          ))}
        </Select>
      </div>
      <div className="sm:w-48">
        <label htmlFor={rangeId} className="mb-1 block text-xs font-medium text-fg-muted">Range</label>
        <Select id={rangeId} className="w-full" value={range} onChange={(event) => onChange({ range: event.target.value as TRangePreset })}>
          {rangePresets.map((preset) => <option key={preset.key} value={preset.key}>{preset.label}</option>)}
        </Select>
      </div>
    </div>
  );
}
