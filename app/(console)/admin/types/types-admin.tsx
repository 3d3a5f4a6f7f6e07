"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ApiError, fetchJson } from "@/lib/api/fetch-json";
import type { TDeclaration } from "@/lib/asset-types/declaration";
import { queryKeys } from "@/lib/query-keys";
import { checkDraft, draftOf, type TDraft } from "./declaration-draft";
import { DeclarationEditor } from "./declaration-editor";
import { VersionHistory } from "./version-history";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

export type TVersionSummary = { id: string; version: number; createdAt: string; assetCount: number };
export type TTypeSummary = { id: string; key: string; name: string; description: string | null; versions: TVersionSummary[] };
export type TVersionDetail = TVersionSummary & TDeclaration & { assets: { id: string; name: string; path: string }[] };
export type TTypeDetail = Omit<TTypeSummary, "versions"> & { createdAt: string; versions: TVersionDetail[] };

/** The server's problems by field path, for inline messages; the first one without a path as "form". */
export function serverErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.path || "form"] ??= issue.message;
  if (!issues.length) byField.form = error.message;
  return byField;
}

const emptyDraft = (): TDraft => ({ metrics: [], states: [], commands: [] });

export function TypesAdmin() {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const types = useQuery({
    queryKey: queryKeys.assetTypes.list(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TTypeSummary[] }>("/api/v1/asset-types", { signal })).data,
  });
  const selected = types.data?.find((type) => type.id === selectedId) ?? null;

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader title="Asset types" actions={!creating ? <Button onClick={() => { setCreating(true); setSelectedId(null); }}>New type</Button> : null}>
        Templates for machines of one kind: their metrics, states and commands. Saving an edit creates the next version; assets stay on
        theirs until you move them, and data recorded under an old version keeps its units. Every change is in the audit log.
      </PageHeader>

      {types.isError ? <p role="alert" className="text-sm text-danger-text">Could not load the asset types: {types.error.message}</p> : null}
      {types.isPending ? <p className="text-sm text-fg-muted">Loading asset types…</p> : null}

      {creating ? (
        <CreateTypeForm
          onCancel={() => setCreating(false)}
          onCreated={(id) => { setCreating(false); setSelectedId(id); }}
        />
      ) : null}

      {types.data && !types.data.length && !creating ? (
        <div className="rounded-lg border border-dashed border-line-strong bg-surface px-4 py-6 text-sm">
          <p className="font-medium">No asset types yet.</p>
          <p className="mt-1 text-fg-muted">Create one for each kind of machine (a stamping press, a CNC mill…) with the metrics it publishes, then give your assets that type.</p>
          <Button className="mt-3" onClick={() => setCreating(true)}>Create the first type</Button>
        </div>
      ) : null}

      {types.data?.length ? (
        <DataTable testId="types-table" headings={["Type", "Key", "Latest version", "Assets", ""]}>
              {types.data.map((type) => {
                const latest = type.versions.at(-1);
                const total = type.versions.reduce((sum, version) => sum + version.assetCount, 0);
                const onOlder = total - (latest?.assetCount ?? 0);
                return (
                  <tr key={type.id} data-key={type.key} className={`border-t border-line ${type.id === selectedId ? "bg-accent-soft" : ""}`}>
                    <td className="px-3 py-2">
                      <div className="font-medium">{type.name}</div>
                      {type.description ? <div className="text-xs text-fg-muted">{type.description}</div> : null}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{type.key}</td>
                    <td className="px-3 py-2">{latest ? `v${latest.version}` : "–"}</td>
                    <td className="px-3 py-2">
                      {total}
                      {onOlder ? <span className="ml-2 text-xs text-fg-muted">({onOlder} on older versions)</span> : null}
                    </td>
                    <td className="px-3 py-2 text-right">
                      <Button variant="secondary" aria-pressed={type.id === selectedId} aria-label={`Open ${type.name}`} onClick={() => { setSelectedId(type.id); setCreating(false); }}>Open</Button>
                    </td>
                  </tr>
                );
              })}
        </DataTable>
      ) : null}

      {selected ? <TypeDetail key={selected.id} typeId={selected.id} /> : null}
    </div>
  );
}

function CreateTypeForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (id: string) => void }) {
  const queryClient = useQueryClient();
  const ids = { title: useId(), key: useId(), name: useId(), description: useId() };
  const [fields, setFields] = useState({ key: "", name: "", description: "" });
  const [draft, setDraft] = useState<TDraft>(emptyDraft);
  const [tried, setTried] = useState(false);
  const checked = checkDraft(draft);
  const create = useMutation({
    mutationFn: () => fetchJson<{ data: TTypeDetail }>("/api/v1/asset-types", {
      method: "POST",
      body: { key: fields.key.trim(), name: fields.name.trim(), description: fields.description.trim() || null, ...(checked.body as object) },
    }),
    onSuccess: async ({ data }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.assetTypes.all() });
      onCreated(data.id);
    },
  });
  const fromServer = serverErrors(create.error);
  if (create.error instanceof ApiError && create.error.status === 409) {
    // A taken key: said once, under the key field.
    fromServer.key = create.error.message;
    delete fromServer.form;
  }
  const localFieldErrors: Record<string, string> = {};
  if (tried && !fields.key.trim()) localFieldErrors.key = "key must not be empty";
  if (tried && !fields.name.trim()) localFieldErrors.name = "name must not be empty";
  const errors = { ...(tried ? checked.errors : {}), ...localFieldErrors, ...fromServer };
  const field = (key: keyof typeof fields) => ({ value: fields[key], onChange: (event: { target: { value: string } }) => setFields({ ...fields, [key]: event.target.value }) });

  return (
    <form aria-labelledby={ids.title} noValidate className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" onSubmit={(event) => {
      event.preventDefault();
      setTried(true);
      if (Object.keys(checked.errors).length || !fields.key.trim() || !fields.name.trim()) return;
      create.mutate();
    }}>
      <h2 id={ids.title} className="text-base font-semibold">New asset type</h2>
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor={ids.key} className="mb-1 block text-sm font-medium">Key</label>
          <Input id={ids.key} autoComplete="off" spellCheck={false} placeholder="e.g. curing-oven" invalid={!!errors.key} aria-describedby={`${ids.key}-hint`} {...field("key")} />
          <p id={`${ids.key}-hint`} className={`mt-1 text-xs ${errors.key ? "text-danger-text" : "text-fg-muted"}`}>{errors.key ?? "Lower-case letters, digits and hyphens; cannot change later."}</p>
        </div>
        <div>
          <label htmlFor={ids.name} className="mb-1 block text-sm font-medium">Name</label>
          <Input id={ids.name} autoComplete="off" invalid={!!errors.name} aria-describedby={errors.name ? `${ids.name}-error` : undefined} {...field("name")} />
          {errors.name ? <p id={`${ids.name}-error`} className="mt-1 text-xs text-danger-text">{errors.name}</p> : null}
        </div>
        <div>
          <label htmlFor={ids.description} className="mb-1 block text-sm font-medium">Description (optional)</label>
          <Input id={ids.description} autoComplete="off" invalid={!!errors.description} {...field("description")} />
          {errors.description ? <p className="mt-1 text-xs text-danger-text">{errors.description}</p> : null}
        </div>
      </div>
      <DeclarationEditor idPrefix="new" draft={draft} onChange={setDraft} errors={errors} disabled={create.isPending} />
      {errors.form ? <p role="alert" className="text-sm text-danger-text">{errors.form}</p> : null}
      {tried && Object.keys(errors).length && !errors.form ? <p role="alert" className="text-sm text-danger-text">Fix the highlighted fields, then create the type.</p> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create type (version 1)"}</Button>
        <Button variant="ghost" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function TypeDetail({ typeId }: { typeId: string }) {
  const type = useQuery({
    queryKey: queryKeys.assetTypes.detail(typeId),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TTypeDetail }>(`/api/v1/asset-types/${typeId}`, { signal })).data,
  });
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  if (type.isError) return <p role="alert" className="text-sm text-danger-text">Could not load the type: {type.error.message}</p>;
  if (!type.data) return <p className="text-sm text-fg-muted">Loading the type…</p>;
  const latest = type.data.versions.at(-1);

  return (
    <section aria-labelledby={`type-${typeId}-title`} className="space-y-6">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={`type-${typeId}-title`} className="text-xl font-semibold">{type.data.name}</h2>
        <Badge>{type.data.key}</Badge>
        {latest ? <Badge tone="accent">latest v{latest.version}</Badge> : null}
      </div>
      {savedVersion !== null ? (
        <p role="status" className="rounded-lg border border-line bg-accent-soft px-4 py-2 text-sm text-accent-text">
          Saved as version {savedVersion}. Assets stay on their version until you move them (see the version history below).
        </p>
      ) : null}
      {latest ? (
        <TypeEditor
          // A fresh editor for every new latest version, so it always starts from what is saved.
          key={latest.version}
          typeId={typeId}
          latest={latest}
          onSaved={setSavedVersion}
        />
      ) : null}
      <VersionHistory type={type.data} />
    </section>
  );
}

function TypeEditor({ typeId, latest, onSaved }: { typeId: string; latest: TVersionDetail; onSaved: (version: number) => void }) {
  const queryClient = useQueryClient();
  const titleId = useId();
  const [draft, setDraft] = useState<TDraft>(() => draftOf(latest));
  const [tried, setTried] = useState(false);
  const checked = checkDraft(draft);
  const save = useMutation({
    mutationFn: () => fetchJson<{ data: TVersionDetail }>(`/api/v1/asset-types/${typeId}/versions`, {
      method: "POST", body: { baseVersion: latest.version, ...(checked.body as object) },
    }),
    onSuccess: async ({ data }) => {
      onSaved(data.version);
      await queryClient.invalidateQueries({ queryKey: queryKeys.assetTypes.all() });
    },
  });
  const fromServer = serverErrors(save.error);
  const errors = { ...(tried ? checked.errors : {}), ...fromServer };

  return (
    <form aria-labelledby={titleId} noValidate className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" onSubmit={(event) => {
      event.preventDefault();
      setTried(true);
      if (Object.keys(checked.errors).length) return;
      save.mutate();
    }}>
      <div>
        <h3 id={titleId} className="text-base font-semibold">Edit (saves version {latest.version + 1})</h3>
        <p className="text-xs text-fg-muted">Starts from version {latest.version}. Version {latest.version} itself never changes.</p>
      </div>
      <DeclarationEditor idPrefix={`edit-${typeId}`} draft={draft} onChange={setDraft} errors={errors} disabled={save.isPending} />
      {errors.form ? <p role="alert" className="text-sm text-danger-text">{errors.form}</p> : null}
      {tried && Object.keys(errors).length && !errors.form ? <p role="alert" className="text-sm text-danger-text">Fix the highlighted fields, then save.</p> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : `Save as version ${latest.version + 1}`}</Button>
        <Button variant="ghost" disabled={save.isPending} onClick={() => { setDraft(draftOf(latest)); setTried(false); save.reset(); }}>Discard changes</Button>
      </div>
    </form>
  );
}
