"use client";

import { type UseQueryResult, useQueries, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import type { TLatestAsset } from "@/lib/assets/find-latest-values";
import { useLiveInvalidation } from "@/lib/live/use-live-invalidation";
import { queryKeys } from "@/lib/query-keys";
import { countAssets, filterTree, normalizeFilter, type TAssetCounts } from "./asset-tree-model";
import { AssetTree } from "./asset-tree";
import { LineTiles } from "./line-tiles";
import { LiveIndicator } from "./live-status";

async function fetchAssetTree(signal: AbortSignal): Promise<TAssetNode[]> {
  return (await fetchJson<{ data: TAssetNode[] }>("/api/v1/assets", { signal })).data;
}

async function fetchLatestValues(path: string, signal: AbortSignal): Promise<TLatestAsset[]> {
  return (await fetchJson<{ data: TLatestAsset[] }>(`/api/v1/assets/latest?${new URLSearchParams({ path })}`, { signal })).data;
}

function combineLatest(results: UseQueryResult<TLatestAsset[]>[]) {
  const byId = new Map<string, TLatestAsset>();
  for (const result of results) for (const asset of result.data ?? []) byId.set(asset.assetId, asset);
  return { byId, error: results.find((result) => result.isError)?.error ?? null };
}

/** State and values of everything in the tree: one request per top-level asset (usually one enterprise). */
function useLatestValues(forest: TAssetNode[]) {
  return useQueries({
    queries: forest.map((root) => ({
      queryKey: queryKeys.assets.latest(root.path),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchLatestValues(root.path, signal),
    })),
    combine: combineLatest,
  });
}

export function PlantOverview() {
  const assets = useQuery({ queryKey: queryKeys.assets.tree(), queryFn: ({ signal }) => fetchAssetTree(signal) });
  const { connected } = useLiveInvalidation();

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Plant overview</h1>
          <p className="mt-1 text-sm text-fg-muted">Every site, area, line and machine Shopfloor knows about.</p>
        </div>
        <LiveIndicator connected={connected} />
      </header>

      {assets.data ? (
        <>
          {assets.isError ? <RefreshFailed message={assets.error.message} onRetry={() => assets.refetch()} retrying={assets.isFetching} /> : null}
          {assets.data.length === 0 ? <EmptyState /> : <Hierarchy forest={assets.data} />}
        </>
      ) : assets.isError ? (
        <LoadFailed message={assets.error.message} onRetry={() => assets.refetch()} retrying={assets.isFetching} />
      ) : (
        <LoadingSkeleton />
      )}
    </div>
  );
}

function Hierarchy({ forest }: { forest: TAssetNode[] }) {
  const headingId = useId();
  const filterId = useId();
  const [filterText, setFilterText] = useState("");
  // Typing stays responsive on a large plant; the tree catches up a moment later.
  const filter = normalizeFilter(useDeferredValue(filterText));
  const counts = useMemo(() => countAssets(forest), [forest]);
  const filterResult = useMemo(() => filterTree(forest, filter), [forest, filter]);
  const matches = filterResult?.matched.size ?? 0;
  const latest = useLatestValues(forest);

  return (
    <>
      <Summary counts={counts} />
      <LineTiles forest={forest} latest={latest.byId} />
      <section aria-labelledby={headingId} className="rounded-lg border border-line bg-surface shadow-xs">
        <div className="flex flex-col gap-3 border-b border-line p-4 sm:flex-row sm:items-center sm:justify-between">
          <h2 id={headingId} className="text-base font-semibold">
            Asset hierarchy
          </h2>
          <div className="relative sm:w-72">
            <label htmlFor={filterId} className="sr-only">
              Filter assets by name or path
            </label>
            <svg viewBox="0 0 20 20" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-muted">
              <circle cx="9" cy="9" r="5.5" />
              <path d="M13 13l4 4" />
            </svg>
            <Input
              id={filterId}
              type="search"
              placeholder="Filter by name or path"
              autoComplete="off"
              spellCheck={false}
              value={filterText}
              onChange={(event) => setFilterText(event.target.value)}
              className="pl-9"
            />
          </div>
        </div>
        {latest.error ? (
          <p role="alert" className="border-b border-line bg-danger-soft px-4 py-2 text-xs text-danger-text">
            Could not load current states and values: {latest.error.message}
          </p>
        ) : null}
        <p aria-live="polite" className={filter ? "border-b border-line px-4 py-2 text-xs text-fg-muted" : "sr-only"}>
          {filter ? `${matches} ${matches === 1 ? "asset matches" : "assets match"} “${filterText.trim()}”` : ""}
        </p>
        {filter && matches === 0 ? (
          <div className="px-4 py-10 text-center">
            <p className="text-sm text-fg-muted">No asset name or path contains “{filterText.trim()}”.</p>
            <Button variant="secondary" className="mt-4" onClick={() => setFilterText("")}>
              Clear filter
            </Button>
          </div>
        ) : (
          <AssetTree forest={forest} filter={filter} filterResult={filterResult} labelledBy={headingId} latest={latest.byId} />
        )}
      </section>
    </>
  );
}

function Summary({ counts }: { counts: TAssetCounts }) {
  const tiles = [
    { label: counts.sites === 1 ? "Site" : "Sites", value: counts.sites },
    { label: counts.lines === 1 ? "Line" : "Lines", value: counts.lines },
    { label: counts.machines === 1 ? "Machine" : "Machines", value: counts.machines },
  ];
  return (
    <dl className="grid grid-cols-3 gap-3 sm:gap-4">
      {tiles.map((tile) => (
        <div key={tile.label} className="flex flex-col-reverse rounded-lg border border-line bg-surface px-4 py-3 shadow-xs">
          <dt className="text-xs font-medium tracking-wide text-fg-muted uppercase">{tile.label}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{tile.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LoadingSkeleton() {
  const indents = [0, 1, 2, 3, 4, 4, 4, 3, 4, 4];
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        Loading assets…
      </p>
      <div aria-hidden="true" className="space-y-6">
        <div className="grid grid-cols-3 gap-3 sm:gap-4">
          {[0, 1, 2].map((tile) => (
            <div key={tile} className="h-[4.25rem] animate-pulse rounded-lg border border-line bg-surface px-4 py-3">
              <div className="h-7 w-10 rounded bg-subtle" />
              <div className="mt-2 h-3 w-16 rounded bg-subtle" />
            </div>
          ))}
        </div>
        <div className="rounded-lg border border-line bg-surface">
          <div className="flex h-[4.25rem] items-center border-b border-line px-4">
            <div className="h-4 w-32 rounded bg-subtle" />
          </div>
          <div className="animate-pulse space-y-3 p-4">
            {indents.map((indent, index) => (
              <div key={index} className="flex items-center gap-3" style={{ paddingInlineStart: `${indent * 1.5}rem` }}>
                <div className="h-4 rounded bg-subtle" style={{ width: `${9 + ((index * 5) % 7)}rem` }} />
                <div className="h-4 w-12 rounded bg-subtle" />
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

function LoadFailed({ message, onRetry, retrying }: { message: string; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-5 py-6">
      <h2 className="font-semibold text-danger-text">Could not load the asset hierarchy</h2>
      <p className="mt-1 text-sm text-fg">{message}</p>
      <Button variant="secondary" className="mt-4" onClick={onRetry} disabled={retrying}>
        {retrying ? "Trying again…" : "Try again"}
      </Button>
    </div>
  );
}

/** A refresh failed but the last good data is still on screen; say so rather than hide it. */
function RefreshFailed({ message, onRetry, retrying }: { message: string; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-danger-line bg-danger-soft px-4 py-2.5 text-sm">
      <p className="flex-1 text-danger-text">Could not refresh the assets: {message} Showing the last loaded data.</p>
      <Button variant="secondary" onClick={onRetry} disabled={retrying}>
        {retrying ? "Trying again…" : "Try again"}
      </Button>
    </div>
  );
}

function EmptyState() {
  return (
    <div className="rounded-lg border border-dashed border-line-strong bg-surface px-6 py-12 text-center">
      <h2 className="font-semibold">No assets yet.</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-fg-muted">
        An admin can add them under Admin → Assets, or start the simulator:{" "}
        <code className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs text-fg">npm run simulate</code>
      </p>
    </div>
  );
}
