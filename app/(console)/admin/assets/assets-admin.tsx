"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/query-keys";
import { filterTree, levelLabels, normalizeFilter } from "../../asset-tree-model";
import { AdminAssetTree } from "./admin-asset-tree";
import { ancestorsOf, indexNodes, pathUnder, type TAdminNode, withoutRetired } from "./asset-admin-model";
import { AddAssetForm, DetailsForm, MoveForm, RetirePanel, SegmentForm } from "./asset-forms";
import { type TAssetRequest, useAssetMutation } from "./use-asset-mutation";
import { PageHeader } from "@/components/ui/page-header";

/** What the page tells after a change; `undo` is the request that reverses it (the forms that made it may be gone by then). */
export type TNotice = { text: string; undo?: { label: string; request: TAssetRequest } };

export function AssetsAdmin() {
  const treeHeadingId = useId();
  const searchId = useId();
  const retiredToggleId = useId();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [showRetired, setShowRetired] = useState(false);
  const [notice, setNotice] = useState<TNotice | null>(null);

  const assets = useQuery({
    queryKey: queryKeys.assets.admin(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TAdminNode[] }>("/api/v1/assets?retired=include", { signal })).data,
  });
  const byId = useMemo(() => indexNodes(assets.data ?? []), [assets.data]);
  const forest = useMemo(() => (showRetired ? (assets.data ?? []) : withoutRetired(assets.data ?? [])), [assets.data, showRetired]);
  const filter = normalizeFilter(search);
  const filterResult = useMemo(() => filterTree(forest, filter), [forest, filter]);
  const selected = selectedId ? byId.get(selectedId) : undefined;

  const undo = useAssetMutation(
    (request: TAssetRequest) => request,
    (asset) => {
      setSelectedId(asset.id);
      setNotice({ text: `Undone: ${asset.name} is ${asset.retiredAt ? "retired" : "active"} at ${asset.path}.` });
    },
  );
  // Drag and drop and the "Move to…" picker both end here: confirm, move, offer to undo.
  const move = useAssetMutation(
    ({ asset, parentId }: { asset: TAdminNode; parentId: string }) => ({ url: `/api/v1/assets/${asset.id}/move`, method: "POST", body: { parentId } }),
    (moved, { asset }) => {
      setSelectedId(moved.id);
      setNotice({
        text: `Moved ${moved.name} to ${moved.path}${moved.descendantsMoved ? ` with ${moved.descendantsMoved} asset${moved.descendantsMoved === 1 ? "" : "s"} below it` : ""}.`,
        undo: { label: "Undo move", request: { url: `/api/v1/assets/${asset.id}/move`, method: "POST", body: { parentId: asset.parentId } } },
      });
    },
  );
  function requestMove(asset: TAdminNode, parent: TAdminNode) {
    const newPath = pathUnder(parent.path, asset.slug);
    const message = `Move ${asset.name} under ${parent.name}?\n\nIts path changes from ${asset.path} to ${newPath}, and so do the paths of everything below it. ` +
      "Data that machines still send to the old path will arrive as a new asset unless the old path is mapped (Admin → Topics).";
    if (!window.confirm(message)) return;
    setNotice(null);
    move.mutate({ asset, parentId: parent.id });
  }

  return (
    <div className="space-y-4">
      <PageHeader title="Assets">
        The plant as ISA-95 levels: enterprise, site, area, line and machine. Each asset&apos;s path is what MQTT topics map to.
        Every change is in the audit log; retired assets keep their history and can be restored.
      </PageHeader>
      {notice ? (
        <div role="status" className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-2 text-sm shadow-xs">
          <span className="min-w-0 flex-1">{notice.text}</span>
          {notice.undo ? <Button variant="secondary" disabled={undo.isPending} onClick={() => notice.undo && undo.mutate(notice.undo.request)}>{notice.undo.label}</Button> : null}
          <Button variant="ghost" onClick={() => setNotice(null)}>Dismiss</Button>
        </div>
      ) : null}
      {move.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">Could not move: {move.error.message}</p> : null}
      {undo.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">Could not undo: {undo.error.message}</p> : null}

      <div className="grid gap-4 xl:grid-cols-[minmax(20rem,2fr)_minmax(0,3fr)] xl:items-start">
        <section aria-labelledby={treeHeadingId} className="rounded-lg border border-line bg-surface shadow-xs">
          <div className="space-y-3 border-b border-line p-3">
            <div className="flex items-center justify-between gap-2">
              <h2 id={treeHeadingId} className="text-base font-semibold">Hierarchy</h2>
              <Button variant="secondary" onClick={() => setSelectedId(null)}>Add enterprise</Button>
            </div>
            <div>
              <label htmlFor={searchId} className="sr-only">Search assets by name or path</label>
              <Input id={searchId} type="search" placeholder="Search by name or path" value={search} onChange={(event) => setSearch(event.target.value)} />
            </div>
            <label htmlFor={retiredToggleId} className="flex min-h-11 cursor-pointer items-center gap-2 text-sm lg:min-h-9">
              <input id={retiredToggleId} type="checkbox" className="size-5" checked={showRetired} onChange={(event) => setShowRetired(event.target.checked)} />
              Show retired assets
            </label>
          </div>
          {assets.isPending ? <p className="p-4 text-sm text-fg-muted">Loading assets…</p> : null}
          {assets.isError ? <p role="alert" className="p-4 text-sm text-danger-text">Could not load assets: {assets.error.message}</p> : null}
          {assets.data && !forest.length ? (
            <p className="p-4 text-sm text-fg-muted">{assets.data.length ? "Every asset is retired. Tick “Show retired assets” to restore one." : "No assets yet. Add your enterprise on the right, then its sites, areas, lines and machines."}</p>
          ) : null}
          {filterResult && !filterResult.matched.size ? <p className="p-4 text-sm text-fg-muted">No asset matches “{search.trim()}”.{showRetired ? "" : " Retired assets are hidden; tick “Show retired assets” to search them too."}</p> : null}
          {forest.length ? (
            <div className="max-h-[70vh] overflow-y-auto">
              <AdminAssetTree
                forest={forest} byId={byId} filter={filter} filterResult={filterResult} selectedId={selectedId} labelledBy={treeHeadingId}
                onSelect={(id) => { setSelectedId(id); setNotice(null); }} onDropMove={requestMove}
              />
            </div>
          ) : null}
          <p className="border-t border-line px-3 py-2 text-xs text-fg-muted">Drag an asset onto a parent of the level above to move it, or use “Move to…”.</p>
        </section>

        <div className="space-y-4">
          {selected ? (
            <AssetPanel key={selected.id} asset={selected} byId={byId} onSelect={setSelectedId} onNotice={setNotice} onMove={requestMove} moving={move.isPending} />
          ) : (
            <section className="space-y-3 rounded-lg border border-line bg-surface p-4 shadow-xs">
              <p className="text-sm text-fg-muted">Select an asset in the hierarchy to edit, move or retire it, or to add what belongs under it. Or add a new enterprise here.</p>
              <AddAssetForm parent={null} onCreated={(asset) => { setSelectedId(asset.id); setNotice({ text: `Added ${asset.name} (${asset.path}).` }); }} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

function AssetPanel({ asset, byId, onSelect, onNotice, onMove, moving }: {
  asset: TAdminNode;
  byId: Map<string, TAdminNode>;
  onSelect: (id: string | null) => void;
  onNotice: (notice: TNotice | null) => void;
  onMove: (asset: TAdminNode, parent: TAdminNode) => void;
  moving: boolean;
}) {
  const headingId = useId();
  const ancestors = ancestorsOf(byId, asset);
  return (
    <>
      <section aria-labelledby={headingId} className="space-y-2 rounded-lg border border-line bg-surface p-4 shadow-xs">
        {ancestors.length ? (
          <nav aria-label="Ancestors" className="flex flex-wrap items-center gap-1 text-xs text-fg-muted">
            {ancestors.map((ancestor) => (
              <span key={ancestor.id} className="flex items-center gap-1">
                <button type="button" className="min-h-11 rounded px-1 underline-offset-2 hover:underline lg:min-h-7" onClick={() => onSelect(ancestor.id)}>{ancestor.name}</button>
                <span aria-hidden="true">/</span>
              </span>
            ))}
          </nav>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={headingId} className="min-w-0 text-xl font-semibold break-words">{asset.name}</h2>
          <Badge>{levelLabels[asset.level]}</Badge>
          {asset.retiredAt ? <Badge tone="accent">Retired {new Date(asset.retiredAt).toLocaleDateString()}</Badge> : null}
        </div>
        <p className="text-sm"><span className="text-fg-muted">Path </span><code className="break-all">{asset.path}</code></p>
        {asset.type ? <p className="text-sm"><span className="text-fg-muted">Type </span>{asset.type.name} v{asset.type.version}</p> : null}
      </section>
      {asset.retiredAt ? (
        <RetirePanel asset={asset} onNotice={onNotice} />
      ) : (
        <>
          <DetailsForm key={asset.updatedAt} asset={asset} onNotice={onNotice} />
          {/* The parent stays selected, so several machines can be added in a row. */}
          <AddAssetForm parent={asset} onCreated={(created) => onNotice({ text: `Added ${created.name} (${created.path}).` })} />
          <MoveForm asset={asset} byId={byId} onMove={onMove} moving={moving} />
          <SegmentForm key={`segment-${asset.slug}`} asset={asset} onNotice={onNotice} />
          <RetirePanel asset={asset} onNotice={onNotice} />
        </>
      )}
    </>
  );
}
