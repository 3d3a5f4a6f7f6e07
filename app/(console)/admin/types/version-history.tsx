"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TDeclaration } from "@/lib/asset-types/declaration";
import { diffDeclarations, isEmptyDiff, type TFieldChange } from "@/lib/asset-types/diff-declarations";
import { queryKeys } from "@/lib/query-keys";
import type { TTypeDetail, TVersionDetail } from "./types-admin";

type TMoveResult = { version: number; moved: { id: string; path: string; fromVersion: number | null }[]; unchanged: { id: string; path: string }[] };

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const shown = (value: unknown) => (value === null || value === undefined || value === "" ? "none" : typeof value === "object" ? JSON.stringify(value) : String(value));

/** Every version, newest first, each with a read-only view, its changes and a way to move assets onto it. */
export function VersionHistory({ type }: { type: TTypeDetail }) {
  const [openVersion, setOpenVersion] = useState<number | null>(null);
  const newestFirst = [...type.versions].reverse();
  return (
    <section aria-labelledby={`history-${type.id}`} className="space-y-2">
      <h3 id={`history-${type.id}`} className="text-base font-semibold">Version history</h3>
      <ol className="space-y-2" data-testid="version-history">
        {newestFirst.map((version) => {
          const open = openVersion === version.version;
          const previous = type.versions.find((candidate) => candidate.version === version.version - 1) ?? null;
          const panelId = `version-${type.id}-${version.version}`;
          return (
            <li key={version.id} className="rounded-lg border border-line bg-surface shadow-xs" data-version={version.version}>
              <div className="flex flex-wrap items-center gap-3 px-4 py-2">
                <span className="font-medium">Version {version.version}</span>
                {version === newestFirst[0] ? <Badge tone="accent">latest</Badge> : null}
                <span className="text-sm text-fg-muted">{dateTime.format(new Date(version.createdAt))}</span>
                <span className="text-sm">{plural(version.assetCount, "asset")}</span>
                <Button variant="secondary" className="ml-auto" aria-expanded={open} aria-controls={panelId} onClick={() => setOpenVersion(open ? null : version.version)}>
                  {open ? `Hide version ${version.version}` : `Show version ${version.version}`}
                </Button>
              </div>
              {open ? (
                <div id={panelId} className="space-y-5 border-t border-line px-4 py-4">
                  <DeclarationView declaration={version} />
                  <ChangesFrom previous={previous} version={version} />
                  <MoveAssets type={type} version={version} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function DeclarationView({ declaration }: { declaration: TDeclaration }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="lg:col-span-2">
        <h4 className="mb-1 text-sm font-semibold">Metrics</h4>
        {declaration.metrics.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-xs text-fg-muted">
                <tr>{["Name", "Unit", "Data type", "Min", "Max", "Precision"].map((heading) => <th key={heading} scope="col" className="px-2 py-1 text-left font-medium">{heading}</th>)}</tr>
              </thead>
              <tbody>
                {declaration.metrics.map((metric) => (
                  <tr key={metric.name} className="border-t border-line">
                    <td className="px-2 py-1 font-mono text-xs">{metric.name}</td>
                    <td className="px-2 py-1">{metric.unit ?? "–"}</td>
                    <td className="px-2 py-1">{metric.dataType}</td>
                    <td className="px-2 py-1">{metric.min ?? "–"}</td>
                    <td className="px-2 py-1">{metric.max ?? "–"}</td>
                    <td className="px-2 py-1">{metric.displayPrecision ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p className="text-sm text-fg-muted">No metrics.</p>}
      </div>
      <div>
        <h4 className="mb-1 text-sm font-semibold">States</h4>
        {declaration.states.length ? (
          <ul className="text-sm">{declaration.states.map((state) => <li key={state.code}><span className="font-mono text-xs">{state.code}</span> {state.name}</li>)}</ul>
        ) : <p className="text-sm text-fg-muted">No states.</p>}
      </div>
      <div>
        <h4 className="mb-1 text-sm font-semibold">Commands</h4>
        {declaration.commands.length ? (
          <ul className="space-y-1 text-sm">
            {declaration.commands.map((command) => (
              <li key={command.name}>
                <span className="font-mono text-xs">{command.name}</span>
                {command.description ? ` – ${command.description}` : ""}
                {command.payloadSchema ? <pre className="mt-1 overflow-x-auto rounded bg-subtle p-2 text-xs">{JSON.stringify(command.payloadSchema, null, 2)}</pre> : null}
              </li>
            ))}
          </ul>
        ) : <p className="text-sm text-fg-muted">No commands.</p>}
      </div>
    </div>
  );
}

function describeChanges(changes: TFieldChange[]): string {
  return changes.map((change) => `${change.field} ${shown(change.before)} → ${shown(change.after)}`).join(", ");
}

function ChangesFrom({ previous, version }: { previous: TVersionDetail | null; version: TVersionDetail }) {
  if (!previous) return <p className="text-sm text-fg-muted">The first version: nothing to compare with.</p>;
  const diff = diffDeclarations(previous, version);
  const lines: string[] = [];
  const sections = [
    ["metric", diff.metrics, (metric: { name: string }) => metric.name],
    ["state", diff.states, (state: { code: number; name: string }) => `${state.code} ${state.name}`],
    ["command", diff.commands, (command: { name: string }) => command.name],
  ] as const;
  for (const [label, list, name] of sections) {
    for (const added of list.added) lines.push(`Added ${label} ${(name as (item: typeof added) => string)(added)}`);
    for (const removed of list.removed) lines.push(`Removed ${label} ${(name as (item: typeof removed) => string)(removed)}`);
    for (const changed of list.changed) lines.push(`Changed ${label} ${changed.key}: ${describeChanges(changed.changes)}`);
  }
  return (
    <div>
      <h4 className="mb-1 text-sm font-semibold">Changes from version {previous.version}</h4>
      {isEmptyDiff(diff) ? <p className="text-sm text-fg-muted">No changes.</p> : (
        <ul className="list-disc space-y-0.5 pl-5 text-sm" data-testid="version-diff">{lines.map((line) => <li key={line}>{line}</li>)}</ul>
      )}
    </div>
  );
}

function MoveAssets({ type, version }: { type: TTypeDetail; version: TVersionDetail }) {
  const queryClient = useQueryClient();
  const candidates = type.versions
    .filter((other) => other.version !== version.version)
    // Older versions first: moving forward is the usual case; moving back undoes a move.
    .sort((a, b) => a.version - b.version)
    .flatMap((other) => other.assets.map((asset) => ({ ...asset, version: other.version })));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<{ text: string; undo: TMoveResult["moved"] } | null>(null);
  const invalidate = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.assetTypes.all() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.assets.all() }),
  ]);
  const move = useMutation({
    mutationFn: (assetIds: string[]) => fetchJson<{ data: TMoveResult }>(`/api/v1/asset-types/${type.id}/versions/${version.version}/assets`, { method: "POST", body: { assetIds } }),
    onSuccess: async ({ data }) => {
      setChosen(new Set());
      setDone({ text: `Moved ${plural(data.moved.length, "asset")} to version ${data.version}.`, undo: data.moved });
      await invalidate();
    },
  });
  // Undo moves each asset back to the version it came from (assets that had no type stay on this one).
  const undo = useMutation({
    mutationFn: async (moved: TMoveResult["moved"]) => {
      const byVersion = new Map<number, string[]>();
      for (const asset of moved) if (asset.fromVersion !== null) byVersion.set(asset.fromVersion, [...(byVersion.get(asset.fromVersion) ?? []), asset.id]);
      for (const [target, assetIds] of byVersion) await fetchJson(`/api/v1/asset-types/${type.id}/versions/${target}/assets`, { method: "POST", body: { assetIds } });
      return byVersion.size;
    },
    onSuccess: async () => {
      setDone({ text: "Move undone: the assets are back on their previous versions.", undo: [] });
      await invalidate();
    },
  });
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const headingId = `move-${type.id}-${version.version}`;

  return (
    <div role="group" aria-labelledby={headingId} className="space-y-2">
      <h4 id={headingId} className="text-sm font-semibold">Move assets to this version</h4>
      {done ? (
        <div role="status" className="flex flex-wrap items-center gap-3 text-sm">
          <span>{done.text}</span>
          {done.undo.some((asset) => asset.fromVersion !== null) ? <Button variant="ghost" disabled={undo.isPending} onClick={() => undo.mutate(done.undo)}>Undo</Button> : null}
        </div>
      ) : null}
      {move.isError ? <p role="alert" className="text-sm text-danger-text">{move.error.message}</p> : null}
      {undo.isError ? <p role="alert" className="text-sm text-danger-text">Could not undo: {undo.error.message}</p> : null}
      {candidates.length ? (
        <>
          <p className="text-xs text-fg-muted">Data they recorded so far keeps reading with the version they were on.</p>
          <ul className="divide-y divide-line rounded-lg border border-line">
            {candidates.map((asset) => (
              <li key={asset.id}>
                <label className="flex min-h-11 cursor-pointer items-center gap-3 px-3 py-2 text-sm">
                  <input type="checkbox" className="size-5 shrink-0" checked={chosen.has(asset.id)} onChange={() => toggle(asset.id)} />
                  <span className="min-w-0 flex-1">
                    <span className="font-medium">{asset.name}</span> <span className="text-xs text-fg-muted">{asset.path}</span>
                  </span>
                  <span className="shrink-0 text-xs text-fg-muted">on version {asset.version}</span>
                </label>
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <Button disabled={!chosen.size || move.isPending} onClick={() => { setDone(null); move.mutate([...chosen]); }}>
              {move.isPending ? "Moving…" : `Move ${chosen.size ? plural(chosen.size, "asset") : "assets"} to version ${version.version}`}
            </Button>
            <Button variant="ghost" disabled={chosen.size === candidates.length} onClick={() => setChosen(new Set(candidates.map((asset) => asset.id)))}>Select all</Button>
          </div>
        </>
      ) : (
        <p className="text-sm text-fg-muted">No asset of this type is on another version. Give an asset this type in Assets to have it follow this template.</p>
      )}
    </div>
  );
}
