"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { CsvButton } from "@/components/charts/csv-button";
import { EChart, type TChartOption } from "@/components/charts/echart";
import { ScopeBar } from "@/components/analytics/scope-bar";
import { fetchOeeSeries, fetchOeeSummary, useAnalyticsScope, useStops } from "@/components/analytics/use-analytics-scope";
import type { TCsvColumn } from "@/lib/csv/to-csv";
import type { TOeeFigures } from "@/lib/oee/compute-oee";
import type { TStop } from "@/lib/oee/find-stops";
import type { TOeeBucket, TOeeSummary } from "@/lib/oee/get-oee";
import { downtimePareto, formatDuration, formatRatio, hourlyTarget, lossesWaterfall } from "@/lib/oee/oee-view";
import { groupingFor } from "@/lib/oee/range-presets";
import { useLiveInvalidation } from "@/lib/live/use-live-invalidation";
import { queryKeys } from "@/lib/query-keys";
import { LiveIndicator } from "../live-status";
import { ProcessValues } from "./process-values";

const stateColors = { running: "#16a34a", plannedStop: "#f59e0b", unplannedStop: "#dc2626" } as const;

/** The scope's range as ISO strings, resolved when a fetch runs (so a live refresh moves "now"). */
function rangeOf(scope: { resolveRange: () => { from: string; to: string } }) {
  const { from, to } = scope.resolveRange();
  return { from, to };
}

export function OeeDashboard() {
  const scope = useAnalyticsScope();
  const { connected } = useLiveInvalidation();
  const asset = scope.selected?.path ?? "";
  const { fromMs, toMs } = scope.resolveRange();
  const grouping = groupingFor(fromMs, toMs);

  const summary = useQuery({
    queryKey: queryKeys.analytics.oee(asset, scope.range),
    enabled: !!asset,
    queryFn: ({ signal }) => fetchOeeSummary({ asset, ...rangeOf(scope) }, signal),
  });
  const buckets = useQuery({
    queryKey: queryKeys.analytics.oee(asset, scope.range, grouping),
    enabled: !!asset,
    queryFn: ({ signal }) => fetchOeeSeries({ asset, ...rangeOf(scope), groupBy: grouping }, signal),
  });
  const stops = useStops(scope);

  const timeZone = summary.data?.timeZone ?? scope.selected?.timeZone ?? "UTC";
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">OEE</h1>
          <p className="mt-1 text-sm text-fg-muted">Availability, performance and quality (ISO 22400), with the inputs behind every figure. Times in {timeZone}.</p>
        </div>
        <LiveIndicator connected={connected} />
      </header>
      <ScopeBar options={scope.options} selected={scope.selected} range={scope.range} onChange={scope.setScope} />

      {scope.tree.isSuccess && scope.options.length === 0 ? (
        <p className="rounded-lg border border-line bg-surface px-5 py-8 text-center text-sm text-fg-muted">
          No assets yet. Start the ingest worker and publish machine states and counts, or run the demo.
        </p>
      ) : null}
      {summary.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-3 text-sm text-danger-text">Could not compute OEE: {summary.error.message}</p> : null}
      {summary.data ? (
        <>
          <div className="flex justify-end">
            <CsvButton filename="oee-figures.csv" rows={[{ ...summary.data, name: summary.data.asset.name }]} columns={bucketColumns} label="Figures as CSV" />
          </div>
          <KpiTiles figures={summary.data} />
          <Warnings warnings={summary.data.warnings} />
          <div className="grid gap-6 lg:grid-cols-2">
            <Panel title="Losses" csv={<CsvButton filename="oee-losses.csv" rows={lossesWaterfall(summary.data) ?? []} columns={[{ header: "step", value: (step) => step.label }, { header: "hours", value: (step) => hoursOf(step.valueMs) }]} />}>
              <WaterfallChart figures={summary.data} />
            </Panel>
            <Panel title={grouping === "hour" ? "Production by hour vs target" : "Production by day vs target"} csv={<CsvButton filename={`oee-by-${grouping}.csv`} rows={buckets.data ?? []} columns={bucketColumns} />}>
              {buckets.data ? <ProductionChart buckets={buckets.data} timeZone={timeZone} grouping={grouping} /> : <ChartPlaceholder />}
            </Panel>
            <Panel title="Downtime by reason (unplanned)" csv={<CsvButton filename="downtime-pareto.csv" rows={downtimePareto(stops.data ?? [])} columns={[{ header: "reason", value: (bar) => bar.label }, { header: "minutes", value: (bar) => Math.round(bar.durationMs / 600) / 100 }, { header: "stops", value: (bar) => bar.stops }, { header: "cumulative share", value: (bar) => Math.round(bar.cumulativeShare * 10_000) / 10_000 }]} />}>
              {stops.data ? <ParetoChart stops={stops.data} /> : <ChartPlaceholder />}
            </Panel>
            <Panel title="State timeline" csv={<CsvButton filename="stops.csv" rows={stops.data ?? []} columns={[{ header: "machine", value: (stop) => stop.assetName }, { header: "start", value: (stop) => stop.start }, { header: "end", value: (stop) => stop.end }, { header: "minutes", value: (stop) => Math.round(stop.durationMs / 600) / 100 }, { header: "reason", value: (stop) => `${stop.reasonCode} ${stop.reasonName}` }, { header: "category", value: (stop) => stop.category }]} />}>
              {stops.data ? <TimelineChart stops={stops.data} machines={summary.data.machines.map((machine) => machine.name)} from={fromMs} to={toMs} knownUntil={stops.dataUpdatedAt} timeZone={timeZone} /> : <ChartPlaceholder />}
            </Panel>
          </div>
          {summary.data.machines.length > 1 ? <MachineTable machines={summary.data.machines} range={scope.range} /> : null}
          {scope.selected?.level === "WORK_CELL" ? <ProcessValues path={scope.selected.path} /> : null}
        </>
      ) : summary.isPending && asset ? <ChartPlaceholder /> : null}
    </div>
  );
}

function Panel({ title, csv, children }: { title: string; csv?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-line bg-surface p-4 shadow-xs">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">{title}</h2>
        {csv}
      </div>
      {children}
    </section>
  );
}

const hoursOf = (ms: number) => Math.round((ms / 3_600_000) * 1000) / 1000;

function ChartPlaceholder() {
  return <div aria-busy="true" className="h-[260px] animate-pulse rounded bg-subtle" />;
}

/** The figures of a period as CSV columns: what each chart or table drew, with its inputs. */
const bucketColumns: TCsvColumn<TOeeFigures & { from?: string; to?: string; name?: string }>[] = [
  { header: "from", value: (row) => row.from }, { header: "to", value: (row) => row.to }, { header: "machine", value: (row) => row.name },
  { header: "oee", value: (row) => row.oee }, { header: "availability", value: (row) => row.availability }, { header: "performance", value: (row) => row.performance },
  { header: "quality", value: (row) => row.quality }, { header: "teep", value: (row) => row.teep },
  { header: "planned production ms", value: (row) => row.plannedProductionTimeMs }, { header: "run ms", value: (row) => row.runTimeMs },
  { header: "unplanned stop ms", value: (row) => row.unplannedStopTimeMs }, { header: "planned stop ms", value: (row) => row.plannedStopTimeMs },
  { header: "total", value: (row) => row.totalCount }, { header: "good", value: (row) => row.goodCount }, { header: "scrap", value: (row) => row.scrapCount },
  { header: "ideal cycle ms", value: (row) => row.idealCycleTimeMs }, { header: "target", value: (row) => hourlyTarget(row) },
];

const countFormat = () => new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Each ratio with the inputs it comes from, so a supervisor can check it by hand. */
function KpiTiles({ figures }: { figures: TOeeFigures }) {
  const count = countFormat();
  const tiles = [
    { label: "OEE", value: figures.oee, inputs: [`good ${count.format(figures.goodCount)} × ideal cycle ${figures.idealCycleTimeMs === null ? "–" : `${(figures.idealCycleTimeMs / 1000).toFixed(2)} s`}`, `÷ planned ${formatDuration(figures.plannedProductionTimeMs)}`] },
    { label: "Availability", value: figures.availability, inputs: [`run ${formatDuration(figures.runTimeMs)}`, `÷ planned ${formatDuration(figures.plannedProductionTimeMs)}`, `unplanned stops ${formatDuration(figures.unplannedStopTimeMs)}`] },
    { label: "Performance", value: figures.performance, inputs: [`ideal ${formatDuration(figures.idealProductionTimeMs)} (${count.format(figures.totalCount)} parts)`, `÷ run ${formatDuration(figures.runTimeMs)}`] },
    { label: "Quality", value: figures.quality, inputs: [`good ${count.format(figures.goodCount)} ÷ total ${count.format(figures.totalCount)}`, `scrap ${count.format(figures.scrapCount)}`] },
    { label: "TEEP", value: figures.teep, inputs: [`OEE × planned ${formatDuration(figures.plannedProductionTimeMs)}`, `÷ calendar ${formatDuration(figures.calendarTimeMs)}`, `planned stops ${formatDuration(figures.plannedStopTimeMs)}`] },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="oee-kpis">
      {tiles.map((tile) => (
        <div key={tile.label} className="rounded-lg border border-line bg-surface px-4 py-3 shadow-xs" data-kpi={tile.label}>
          <dt className="text-xs font-medium tracking-wide text-fg-muted uppercase">{tile.label}</dt>
          <dd className="text-3xl font-semibold tabular-nums">
            {formatRatio(tile.value)}
            {tile.value !== null && tile.value > 1 ? <span className="ml-2 align-middle text-xs font-medium text-danger-text" title="Above 100 %: check the ideal cycle time">check</span> : null}
          </dd>
          <dd className="mt-1 space-y-0.5 text-xs text-fg-muted">
            {tile.inputs.map((input) => <p key={input}>{input}</p>)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Warnings({ warnings }: { warnings: string[] }) {
  if (!warnings.length) return null;
  return (
    <ul role="status" className="space-y-1 rounded-lg border border-line bg-surface px-4 py-3 text-sm">
      {warnings.map((warning) => <li key={warning}>⚠ {warning}</li>)}
    </ul>
  );
}

function WaterfallChart({ figures }: { figures: TOeeFigures }) {
  const option = useMemo<TChartOption | null>(() => {
    const steps = lossesWaterfall(figures);
    if (!steps) return null;
    const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;
    return {
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (value: unknown) => `${value} h` },
      xAxis: { type: "category", data: steps.map((step) => step.label), axisLabel: { interval: 0, width: 90, overflow: "break" } },
      yAxis: { type: "value", name: "h" },
      series: [
        { type: "bar", stack: "w", silent: true, itemStyle: { color: "transparent" }, data: steps.map((step) => hours(step.startMs)), tooltip: { show: false } },
        { type: "bar", stack: "w", name: "time", data: steps.map((step) => ({ value: hours(step.valueMs), itemStyle: { color: step.kind === "total" ? "#2563eb" : "#dc2626" } })) },
      ],
    };
  }, [figures]);
  if (!option) return <p className="py-10 text-center text-sm text-fg-muted">No planned production time or no ideal cycle time in this range.</p>;
  return <EChart option={option} label="Losses waterfall from planned production time to fully productive time" />;
}

function ProductionChart({ buckets, timeZone, grouping }: { buckets: TOeeBucket[]; timeZone: string; grouping: "hour" | "day" }) {
  const option = useMemo<TChartOption>(() => {
    const label = new Intl.DateTimeFormat(undefined, grouping === "hour" ? { timeZone, hour: "2-digit", minute: "2-digit" } : { timeZone, month: "short", day: "numeric" });
    return {
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: buckets.map((bucket) => label.format(new Date(bucket.from))) },
      yAxis: { type: "value", name: "parts" },
      series: [
        { type: "bar", name: "good", stack: "p", itemStyle: { color: "#16a34a" }, data: buckets.map((bucket) => bucket.goodCount) },
        { type: "bar", name: "scrap", stack: "p", itemStyle: { color: "#dc2626" }, data: buckets.map((bucket) => bucket.scrapCount) },
        { type: "line", name: "target", step: "middle", symbol: "none", lineStyle: { type: "dashed" }, data: buckets.map((bucket) => hourlyTarget(bucket)) },
      ],
    };
  }, [buckets, timeZone, grouping]);
  return <EChart option={option} label="Good and scrap parts per period against the target at the ideal cycle time" />;
}

function ParetoChart({ stops }: { stops: TStop[] }) {
  const bars = useMemo(() => downtimePareto(stops), [stops]);
  const option = useMemo<TChartOption>(() => ({
    grid: { left: 48, right: 48, top: 24, bottom: 64 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: bars.map((bar) => bar.label), axisLabel: { interval: 0, rotate: 30, width: 110, overflow: "truncate" } },
    yAxis: [{ type: "value", name: "min" }, { type: "value", max: 100, name: "%", splitLine: { show: false } }],
    series: [
      { type: "bar", name: "downtime (min)", itemStyle: { color: "#dc2626" }, data: bars.map((bar) => Math.round((bar.durationMs / 60_000) * 10) / 10) },
      { type: "line", name: "cumulative %", yAxisIndex: 1, data: bars.map((bar) => Math.round(bar.cumulativeShare * 1000) / 10) },
    ],
  }), [bars]);
  if (!bars.length) return <p className="py-10 text-center text-sm text-fg-muted">No unplanned stops in this range.</p>;
  return <EChart option={option} label="Unplanned downtime by reason, longest first, with cumulative share" />;
}

/** Stops drawn over a running background, one row per machine (a Gantt of the range). */
/** `knownUntil`: when the stops were read; the chart shows nothing as running after it. */
function TimelineChart({ stops, machines, from, to, knownUntil, timeZone }: { stops: TStop[]; machines: string[]; from: number; to: number; knownUntil: number; timeZone: string }) {
  const option = useMemo<TChartOption>(() => {
    const rows = machines.length ? machines : [...new Set(stops.map((stop) => stop.assetName))];
    const data = stops.map((stop) => {
      const start = Math.max(Date.parse(stop.start), from);
      return { value: [rows.indexOf(stop.assetName), start, start + stop.durationMs, stop.reasonCode], itemStyle: { color: stateColors[stop.category] }, name: `${stop.reasonCode} ${stop.reasonName}` };
    });
    const timeLabel = new Intl.DateTimeFormat(undefined, { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    // Short axis ticks: clock time within a day and a half, dates beyond.
    const axisLabel = new Intl.DateTimeFormat(undefined, to - from <= 36 * 3_600_000 ? { timeZone, hour: "2-digit", minute: "2-digit" } : { timeZone, month: "short", day: "numeric" });
    return {
      grid: { left: 96, right: 16, top: 8, bottom: 32 },
      tooltip: { formatter: (params: unknown) => {
        const item = params as { name: string; value: number[] };
        return `${item.name}\n${timeLabel.format(new Date(item.value[1]!))} – ${timeLabel.format(new Date(item.value[2]!))}`;
      } },
      xAxis: { type: "time", min: from, max: to, axisLabel: { hideOverlap: true, formatter: (value: number) => axisLabel.format(new Date(value)) } },
      yAxis: { type: "category", data: rows, axisLabel: { width: 88, overflow: "truncate" } },
      series: [
        {
          type: "custom",
          encode: { x: [1, 2], y: 0 },
          // The future is not running: the background stops when the stops were read (the range of "today" ends tonight).
          data: [...rows.map((_, row) => ({ value: [row, from, Math.max(from, Math.min(to, knownUntil)), 0], itemStyle: { color: stateColors.running }, name: "running or no data" })), ...data],
          renderItem: (_params: unknown, api: { value: (index: number) => number; coord: (point: number[]) => number[]; size: (point: number[]) => number[]; style: () => object }) => {
            const start = api.coord([api.value(1), api.value(0)]);
            const end = api.coord([api.value(2), api.value(0)]);
            const height = api.size([0, 1])[1]! * 0.6;
            return { type: "rect", shape: { x: start[0]!, y: start[1]! - height / 2, width: Math.max(1, end[0]! - start[0]!), height }, style: api.style() };
          },
        },
      ],
    };
  }, [stops, machines, from, to, knownUntil, timeZone]);
  return <EChart option={option} label="State timeline: stops by category over the range" height={Math.max(140, 40 + 36 * Math.max(1, machines.length))} />;
}

function MachineTable({ machines, range }: { machines: TOeeSummary["machines"]; range: string }) {
  const count = countFormat();
  return (
    <section className="overflow-x-auto rounded-lg border border-line bg-surface shadow-xs">
      <table className="w-full text-sm">
        <caption className="px-4 pt-3 text-left text-sm font-semibold">
          Machines (the line&apos;s figures add up their times and counts) <CsvButton filename="oee-machines.csv" rows={machines} columns={bucketColumns} />
        </caption>
        <thead className="text-xs text-fg-muted">
          <tr>
            {["Machine", "OEE", "Availability", "Performance", "Quality", "Planned", "Run", "Good / total"].map((heading) => <th key={heading} scope="col" className="px-4 py-2 text-left font-medium">{heading}</th>)}
          </tr>
        </thead>
        <tbody>
          {machines.map((machine) => (
            <tr key={machine.path} className="border-t border-line">
              <th scope="row" className="px-4 py-2 text-left font-medium">
                <Link className="text-accent-text hover:underline" href={`/oee?${new URLSearchParams({ asset: machine.path, range })}`}>{machine.name}</Link>
              </th>
              <td className="px-4 py-2 tabular-nums">{formatRatio(machine.oee)}</td>
              <td className="px-4 py-2 tabular-nums">{formatRatio(machine.availability)}</td>
              <td className="px-4 py-2 tabular-nums">{formatRatio(machine.performance)}</td>
              <td className="px-4 py-2 tabular-nums">{formatRatio(machine.quality)}</td>
              <td className="px-4 py-2 tabular-nums">{formatDuration(machine.plannedProductionTimeMs)}</td>
              <td className="px-4 py-2 tabular-nums">{formatDuration(machine.runTimeMs)}</td>
              <td className="px-4 py-2 tabular-nums">{count.format(machine.goodCount)} / {count.format(machine.totalCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
