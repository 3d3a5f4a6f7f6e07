"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import type { TStop } from "@/lib/oee/find-stops";
import type { TOeeBucket, TOeeSummary } from "@/lib/oee/get-oee";
import { isRangePreset, resolvePreset, type TRangePreset } from "@/lib/oee/range-presets";
import { queryKeys } from "@/lib/query-keys";

export type TScopeOption = { path: string; name: string; level: TAssetNode["level"]; depth: number; timeZone: string };

/** Every asset in tree order with its depth and its site's zone (inherited down the tree, UTC above sites). */
export function withSiteZones(forest: TAssetNode[]): { node: TAssetNode; depth: number; timeZone: string }[] {
  const rows: { node: TAssetNode; depth: number; timeZone: string }[] = [];
  const visit = (node: TAssetNode, depth: number, zone: string) => {
    const timeZone = node.timeZone ?? zone;
    rows.push({ node, depth, timeZone });
    for (const child of node.children) visit(child, depth + 1, timeZone);
  };
  for (const root of forest) visit(root, 0, "UTC");
  return rows;
}

/** Sites, areas, lines and machines in tree order, each with its site's zone. */
function scopeOptions(forest: TAssetNode[]): TScopeOption[] {
  return withSiteZones(forest)
    .filter(({ node }) => node.level !== "ENTERPRISE")
    .map(({ node, depth, timeZone }) => ({ path: node.path, name: node.name, level: node.level, depth, timeZone }));
}

type TOeeRequest = { asset: string; from: string; to: string };

/** GET /api/v1/oee for a range: the figures with their inputs and per-machine parts. */
export async function fetchOeeSummary(request: TOeeRequest, signal: AbortSignal): Promise<TOeeSummary> {
  return (await fetchJson<{ data: TOeeSummary }>(`/api/v1/oee?${new URLSearchParams(request)}`, { signal })).data;
}

/** GET /api/v1/oee grouped by shift, hour, day or week: one entry per period, in time order. */
export async function fetchOeeSeries(request: TOeeRequest & { groupBy: "shift" | "hour" | "day" | "week" }, signal: AbortSignal): Promise<TOeeBucket[]> {
  return (await fetchJson<{ data: TOeeBucket[] }>(`/api/v1/oee?${new URLSearchParams(request)}`, { signal })).data;
}

/**
 * The asset and range an analytics page shows, kept in the URL (?asset=…&range=…) so a view
 * can be bookmarked or sent to a colleague. Defaults: the first line, today.
 */
export function useAnalyticsScope() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tree = useQuery({
    queryKey: queryKeys.assets.tree(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TAssetNode[] }>("/api/v1/assets", { signal })).data,
  });
  const options = useMemo(() => scopeOptions(tree.data ?? []), [tree.data]);
  const requested = params.get("asset");
  const selected = options.find((option) => option.path === requested) ?? options.find((option) => option.level === "LINE") ?? options[0] ?? null;
  const rangeParam = params.get("range");
  const range: TRangePreset = isRangePreset(rangeParam) ? rangeParam : "today";

  const setScope = useCallback((next: { asset?: string; range?: TRangePreset }) => {
    const search = new URLSearchParams(params.toString());
    if (next.asset) search.set("asset", next.asset);
    if (next.range) search.set("range", next.range);
    router.replace(`${pathname}?${search.toString()}`, { scroll: false });
  }, [params, pathname, router]);

  /** The range as ISO strings, computed when called (at fetch time). */
  const resolveRange = useCallback(() => {
    const { from, to } = resolvePreset(range, Date.now(), selected?.timeZone ?? "UTC");
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), fromMs: from, toMs: to };
  }, [range, selected?.timeZone]);

  return { tree, options, selected, range, setScope, resolveRange };
}

/** The stops of the scope's asset and range (the downtime list, the Pareto and the timeline share it). */
export function useStops(scope: Pick<ReturnType<typeof useAnalyticsScope>, "selected" | "range" | "resolveRange">) {
  const asset = scope.selected?.path ?? "";
  return useQuery({
    queryKey: queryKeys.analytics.stops(asset, scope.range),
    enabled: !!asset,
    queryFn: async ({ signal }) => {
      const { from, to } = scope.resolveRange();
      return (await fetchJson<{ data: TStop[] }>(`/api/v1/stops?${new URLSearchParams({ asset, from, to })}`, { signal })).data;
    },
  });
}
