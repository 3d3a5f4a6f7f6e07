"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { useRef } from "react";
import { fetchOeeSeries, withSiteZones } from "@/components/analytics/use-analytics-scope";
import { Button } from "@/components/ui/button";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import type { TLatestAsset } from "@/lib/assets/find-latest-values";
import { describeState } from "@/lib/assets/state-category";
import type { TOeeBucket } from "@/lib/oee/get-oee";
import { formatDuration, formatRatio, hourlyTarget } from "@/lib/oee/oee-view";
import { resolvePreset } from "@/lib/oee/range-presets";
import { queryKeys } from "@/lib/query-keys";

type TLine = { line: TAssetNode; timeZone: string };

function linesOf(forest: TAssetNode[]): TLine[] {
  return withSiteZones(forest).filter(({ node }) => node.level === "LINE").map(({ node, timeZone }) => ({ line: node, timeZone }));
}

/** The shift going on now: the shift bucket of today that reaches up to now. */
async function fetchCurrentShift(line: TLine, signal: AbortSignal): Promise<TOeeBucket | null> {
  const now = Date.now();
  const { from } = resolvePreset("today", now, line.timeZone);
  // From yesterday's midnight, so a night shift that began before midnight is whole.
  const buckets = await fetchOeeSeries({ asset: line.line.path, from: new Date(from - 86_400_000).toISOString(), to: new Date(now).toISOString(), groupBy: "shift" }, signal);
  const last = buckets.at(-1);
  return last && Date.parse(last.to) >= now - 60_000 ? last : null;
}

const stateDot = { "state-running": "bg-state-running", "state-planned": "bg-state-planned", "state-unplanned": "bg-state-unplanned", "state-unknown": "bg-state-unknown" } as const;

/**
 * A tile per line: OEE of the current shift, good parts against the target at the ideal rate,
 * and each machine's state with the time it has been in it. Full screen for an andon wall TV.
 */
export function LineTiles({ forest, latest }: { forest: TAssetNode[]; latest: Map<string, TLatestAsset> }) {
  const lines = linesOf(forest);
  const section = useRef<HTMLElement>(null);
  const shifts = useQueries({
    queries: lines.map((line) => ({
      queryKey: queryKeys.analytics.oee(line.line.path, "current-shift", "shift"),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchCurrentShift(line, signal),
    })),
  });
  if (!lines.length) return null;
  const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  return (
    <section ref={section} aria-labelledby="line-tiles-heading" className="space-y-3 bg-canvas [&:fullscreen]:overflow-auto [&:fullscreen]:p-8">
      <div className="flex items-center justify-between gap-3">
        <h2 id="line-tiles-heading" className="text-base font-semibold">Lines, current shift</h2>
        <Button variant="secondary" onClick={() => (document.fullscreenElement ? document.exitFullscreen() : section.current?.requestFullscreen())}>Andon view</Button>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3 [:fullscreen_&]:grid-cols-3 [:fullscreen_&]:gap-6">
        {lines.map(({ line }, index) => {
          const shift = shifts[index];
          const figures = shift?.data;
          const target = figures ? hourlyTarget(figures) : null;
          return (
            <li key={line.id} className="rounded-lg border border-line bg-surface p-4 shadow-xs" data-testid="line-tile" data-line={line.path}>
              <div className="flex items-baseline justify-between gap-2">
                <Link href={`/oee?${new URLSearchParams({ asset: line.path, range: "today" })}`} className="truncate font-semibold text-accent-text hover:underline">{line.name}</Link>
                <span className="text-3xl font-semibold tabular-nums [:fullscreen_&]:text-6xl" data-testid="line-oee">
                  {shift?.isPending ? "…" : figures ? formatRatio(figures.oee) : "–"}
                </span>
              </div>
              <p className="mt-1 text-xs text-fg-muted">
                {shift?.isError ? `OEE unavailable: ${shift.error.message}` : figures ? `OEE · good ${count.format(figures.goodCount)}${target !== null ? ` of target ${count.format(target)}` : ""} · A ${formatRatio(figures.availability)} P ${formatRatio(figures.performance)} Q ${formatRatio(figures.quality)}` : shift?.isPending ? "" : "No shift running now"}
              </p>
              <ul className="mt-3 space-y-1.5">
                {line.children.map((machine) => {
                  const state = latest.get(machine.id)?.state;
                  const info = state ? describeState(state.code) : null;
                  return (
                    <li key={machine.id} className="flex items-center gap-2 text-sm">
                      <span aria-hidden="true" className={`size-3 shrink-0 rounded-full ${info ? stateDot[info.color] : "bg-subtle"}`} />
                      <span className="min-w-0 flex-1 truncate">{machine.name}</span>
                      <span className="text-xs text-fg-muted">{info ? `${info.label} · ${formatDuration(Math.max(0, Date.now() - Date.parse(state!.since)))}` : "no state yet"}</span>
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
