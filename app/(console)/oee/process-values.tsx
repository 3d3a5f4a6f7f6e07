"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { EChart, type TChartOption } from "@/components/charts/echart";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TLatestAsset } from "@/lib/assets/find-latest-values";
import type { TBucketPoint } from "@/lib/telemetry/find-telemetry";
import { queryKeys } from "@/lib/query-keys";
import { formatValue, metricLabel } from "../live-format";

const sparklineMinutes = 120;

/** A machine's latest process values, each with a two-hour sparkline from the 1-minute roll-ups. */
export function ProcessValues({ path }: { path: string }) {
  const latest = useQuery({
    queryKey: queryKeys.assets.latest(path),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TLatestAsset[] }>(`/api/v1/assets/latest?${new URLSearchParams({ path })}`, { signal })).data,
  });
  const machine = latest.data?.find((asset) => asset.path === path);
  const numeric = (machine?.values ?? []).filter((value) => typeof value.value === "number");
  const lines = useQueries({
    queries: numeric.map((value) => ({
      queryKey: [...queryKeys.analytics.all(), "sparkline", path, value.metric] as const,
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        const to = new Date();
        const from = new Date(to.getTime() - sparklineMinutes * 60_000);
        const query = new URLSearchParams({ asset: path, metric: value.metric, from: from.toISOString(), to: to.toISOString(), bucket: "1m" });
        return (await fetchJson<{ data: TBucketPoint[] }>(`/api/v1/telemetry?${query}`, { signal })).data;
      },
    })),
  });
  if (!machine || !machine.values.length) return null;
  return (
    <section aria-labelledby="process-values-heading" className="rounded-lg border border-line bg-surface p-4 shadow-xs">
      <h2 id="process-values-heading" className="mb-2 text-sm font-semibold">Process values (last {sparklineMinutes / 60} h)</h2>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {machine.values.map((value) => {
          const index = numeric.indexOf(value);
          return (
            <li key={value.metric} className="rounded-md border border-line px-3 py-2">
              <p className="truncate text-xs text-fg-muted">{metricLabel(value.metric)}{value.stale ? " · stale" : ""}</p>
              <p className="text-lg font-semibold tabular-nums">{formatValue(value)}</p>
              {index >= 0 && lines[index]?.data ? <Sparkline points={lines[index].data} label={`${metricLabel(value.metric)} over the last two hours`} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Sparkline({ points, label }: { points: TBucketPoint[]; label: string }) {
  const option = useMemo<TChartOption>(() => ({
    grid: { left: 0, right: 0, top: 4, bottom: 4 },
    xAxis: { type: "time", show: false },
    yAxis: { type: "value", show: false, scale: true },
    series: [{ type: "line", symbol: "none", lineStyle: { width: 1.5 }, data: points.map((point) => [point.time, point.avg]) }],
  }), [points]);
  return <EChart option={option} label={label} height={40} />;
}
