"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import { describeState } from "@/lib/assets/state-category";
import type { TLayeredReasonCode } from "@/lib/oee/find-reason-codes";
import type { TStateCategory } from "@/lib/oee/state-classification";
import { queryKeys } from "@/lib/query-keys";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TSite = { path: string; name: string };
type TReason = TLayeredReasonCode;
type TSaved = { code: number; name: string; category: TStateCategory; source: "plant" | "site"; site: string | null };
type TRemoved = { removed: TSaved; reverted: { name: string; category: TStateCategory; source: "default" | "plant" } | null };

const categories: { value: TStateCategory; label: string }[] = [
  { value: "running", label: "Running" },
  { value: "plannedStop", label: "Planned stop" },
  { value: "unplannedStop", label: "Unplanned stop" },
];
const categoryLabel = (category: TStateCategory) => categories.find((option) => option.value === category)?.label ?? category;
const sourceLabels = { default: "Standard", plant: "Plant-wide", site: "This site" } as const;
const codeRange = { min: 10_000, max: 999_999 };
const nameMaxLength = 80;

/** Same rules as the API (lib/oee/save-reason-code.ts), checked while typing. */
function validateCode(text: string): string | null {
  if (!text.trim()) return "Enter a code, e.g. 180001.";
  if (!/^\d+$/.test(text.trim())) return "Whole numbers only.";
  const code = Number(text);
  if (code < codeRange.min || code > codeRange.max) return `Between ${codeRange.min} and ${codeRange.max}.`;
  return null;
}
function validateName(text: string): string | null {
  if (!text.trim()) return "Enter a name operators will recognise.";
  if (text.trim().length > nameMaxLength) return `At most ${nameMaxLength} characters (now ${text.trim().length}).`;
  return null;
}

function collectSites(forest: readonly TAssetNode[]): TSite[] {
  const sites: TSite[] = [];
  const visit = (node: TAssetNode) => {
    if (node.level === "SITE") sites.push({ path: node.path, name: node.name });
    node.children.forEach(visit);
  };
  forest.forEach(visit);
  return sites;
}

export function ReasonCodesAdmin() {
  const scopeId = useId();
  const queryClient = useQueryClient();
  const [site, setSite] = useState("");
  const [notice, setNotice] = useState<{ text: string; undo?: TSaved } | null>(null);
  const tree = useQuery({
    queryKey: queryKeys.assets.tree(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TAssetNode[] }>("/api/v1/assets", { signal })).data,
  });
  const sites = collectSites(tree.data ?? []);
  const reasons = useQuery({
    queryKey: queryKeys.reasonCodeLayers(site),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TReason[] }>(`/api/v1/reason-codes?${new URLSearchParams({ inherited: "true", ...(site ? { site } : {}) })}`, { signal })).data,
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: queryKeys.reasonCodesAll() });
  const remove = useMutation({
    mutationFn: (reason: TReason) => fetchJson<{ data: TRemoved }>(`/api/v1/reason-codes/${reason.code}${site ? `?${new URLSearchParams({ site })}` : ""}`, { method: "DELETE" }),
    onSuccess: ({ data }) => setNotice({
      text: `Removed ${data.removed.code} “${data.removed.name}”. ${data.reverted ? `It is now “${data.reverted.name}” (${categoryLabel(data.reverted.category)}, ${sourceLabels[data.reverted.source].toLowerCase()}).` : "It is no longer offered for stops."}`,
      undo: data.removed,
    }),
    onSettled: invalidate,
  });
  const undo = useMutation({
    mutationFn: (row: TSaved) => fetchJson<{ data: TSaved }>("/api/v1/reason-codes", { method: "POST", body: { code: row.code, name: row.name, category: row.category, ...(row.site ? { site: row.site } : {}) } }),
    onSuccess: ({ data }) => setNotice({ text: `Restored ${data.code} “${data.name}”.` }),
    onSettled: invalidate,
  });
  const scopeName = site ? (sites.find((candidate) => candidate.path === site)?.name ?? site) : "the whole plant";

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader title="Reason codes" actions={
        <div>
          <label htmlFor={scopeId} className="mb-1 block text-sm font-medium">Scope</label>
          <Select id={scopeId} value={site} onChange={(event) => {
            setSite(event.target.value);
            setNotice(null);
          }}>
            <option value="">Plant-wide (every site)</option>
            {sites.map((candidate) => <option key={candidate.path} value={candidate.path}>{candidate.name} ({candidate.path})</option>)}
          </Select>
        </div>
      }>
        The reasons supervisors pick for stops. The standard machine states come first; add your own sub-reasons in a state&apos;s block
        (180001–189999 are kinds of 180000 “Equipment failure”) and decide what counts as a planned stop. A site&apos;s own row wins over the
        plant-wide one. OEE reads the categories; every change is in the audit log.
      </PageHeader>

      <AddReasonForm key={site} site={site} scopeName={scopeName} reasons={reasons.data ?? []} onSaved={(saved, created) => {
        setNotice({ text: `${created ? "Added" : "Updated"} ${saved.code} “${saved.name}” for ${scopeName}.` });
        void invalidate();
      }} />

      {notice ? (
        <div role="status" className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-2 text-sm">
          <span className="[overflow-wrap:anywhere]">{notice.text}</span>
          {notice.undo ? <Button variant="secondary" disabled={undo.isPending} onClick={() => notice.undo && undo.mutate(notice.undo)}>Undo</Button> : null}
        </div>
      ) : null}
      {remove.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">{remove.error.message}</p> : null}
      {undo.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">Could not undo: {undo.error.message}</p> : null}
      {reasons.isPending ? <p className="text-sm text-fg-muted">Loading reason codes…</p> : null}
      {reasons.isError ? <p role="alert" className="text-sm text-danger-text">Could not load reason codes: {reasons.error.message}</p> : null}
      {reasons.data ? (
        <DataTable testId="reason-codes-table" caption={`Reason codes in effect for ${scopeName}`} headings={["Code", "Name", "Category", "Source", "Without this row", <span key="actions" className="sr-only">Actions</span>]}>
          {reasons.data.map((reason) => (
            <ReasonRow key={reason.code} reason={reason} site={site} busy={remove.isPending} onSaved={(saved) => {
              setNotice({ text: `Saved ${saved.code} “${saved.name}” (${categoryLabel(saved.category)}) for ${scopeName}.` });
              void invalidate();
            }} onRemove={() => {
              const ownSource = site ? "site" : "plant";
              if (reason.source !== ownSource) return;
              const after = reason.inherited
                ? `It reverts to “${reason.inherited.name}” (${categoryLabel(reason.inherited.category)}, ${sourceLabels[reason.inherited.source].toLowerCase()}).`
                : "Nothing lies beneath it: the code is no longer offered for stops.";
              if (window.confirm(`Remove the ${site ? "site's" : "plant-wide"} row ${reason.code} “${reason.name}”?\n\n${after}\nYou can undo right after.`)) {
                setNotice(null);
                remove.mutate(reason);
              }
            }} />
          ))}
        </DataTable>
      ) : null}
      {reasons.data && !reasons.data.some((reason) => reason.source !== "default") ? (
        <p className="text-sm text-fg-muted">{scopeName === "the whole plant" ? "The plant" : scopeName} uses the standard codes only. Add a sub-reason above, or edit a standard code to rename or reclassify it.</p>
      ) : null}
    </div>
  );
}

function ReasonRow({ reason, site, busy, onSaved, onRemove }: { reason: TReason; site: string; busy: boolean; onSaved: (saved: TSaved) => void; onRemove: () => void }) {
  const ids = { name: useId(), category: useId() };
  const [draft, setDraft] = useState<{ name: string; category: TStateCategory } | null>(null);
  const save = useMutation({
    mutationFn: (change: { name: string; category: TStateCategory }) =>
      fetchJson<{ data: TSaved }>("/api/v1/reason-codes", { method: "POST", body: { code: reason.code, name: change.name.trim(), category: change.category, ...(site ? { site } : {}) } }),
    onSuccess: ({ data }) => {
      setDraft(null);
      onSaved(data);
    },
  });
  const ownSource = site ? "site" : "plant";
  const nameError = draft ? (validateName(draft.name) ?? fieldErrors(save.error).name ?? null) : null;

  const inherited = reason.inherited === undefined ? null : reason.inherited
    ? `${sourceLabels[reason.inherited.source]}: “${reason.inherited.name}” · ${categoryLabel(reason.inherited.category)}`
    : "Nothing: the code would no longer be offered";

  if (draft) {
    return (
      <tr className="border-t border-line bg-subtle/50" data-code={reason.code}>
        <td className="px-3 py-2 font-mono">{reason.code}</td>
        <td className="px-3 py-2" colSpan={4}>
          <div className="grid gap-2 sm:grid-cols-[minmax(12rem,1fr)_auto]">
            <div>
              <label htmlFor={ids.name} className="sr-only">Name of {reason.code}</label>
              <Input id={ids.name} autoFocus value={draft.name} invalid={!!nameError} aria-describedby={`${ids.name}-hint`}
                onChange={(event) => setDraft({ ...draft, name: event.target.value })}
                onKeyDown={(event) => { if (event.key === "Escape") setDraft(null); }} />
            </div>
            <div>
              <label htmlFor={ids.category} className="sr-only">Category of {reason.code}</label>
              <Select id={ids.category} className="w-full" value={draft.category} onChange={(event) => setDraft({ ...draft, category: event.target.value as TStateCategory })}>
                {categories.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
              </Select>
            </div>
          </div>
          <p id={`${ids.name}-hint`} className={`mt-1 text-xs ${nameError ? "text-danger-text" : "text-fg-muted"}`}>
            {nameError ?? (reason.source === ownSource ? "Changes this row." : `Saving adds a ${site ? "row for this site" : "plant-wide row"} over the ${sourceLabels[reason.source].toLowerCase()} one.`)}
          </p>
          {save.isError && !nameError ? <p role="alert" className="mt-1 text-xs text-danger-text">{save.error.message}</p> : null}
        </td>
        <td className="px-3 py-2">
          <div className="flex justify-end gap-2">
            <Button disabled={!!validateName(draft.name) || save.isPending} onClick={() => save.mutate(draft)}>{save.isPending ? "Saving…" : "Save"}</Button>
            <Button variant="secondary" onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </td>
      </tr>
    );
  }

  return (
    <tr className="border-t border-line" data-code={reason.code}>
      <td className="px-3 py-2 font-mono">{reason.code}</td>
      <td className="min-w-40 break-words px-3 py-2">{reason.name}</td>
      <td className="whitespace-nowrap px-3 py-2">{categoryLabel(reason.category)}</td>
      <td className="px-3 py-2">
        <Badge tone={reason.source === "default" ? "neutral" : "accent"}>{sourceLabels[reason.source]}</Badge>
        {reason.source === "site" && reason.inherited?.source === "plant" ? <span className="ml-2 text-xs text-fg-muted">overrides plant-wide</span> : null}
      </td>
      <td className="min-w-32 break-words px-3 py-2 text-xs text-fg-muted">{inherited ?? ""}</td>
      <td className="px-3 py-2">
        <div className="flex justify-end gap-2">
          <Button variant="secondary" aria-label={`Edit ${reason.code} ${reason.name}`} onClick={() => setDraft({ name: reason.name, category: reason.category })}>Edit</Button>
          {reason.source === ownSource ? (
            <Button variant="secondary" disabled={busy} aria-label={`Remove ${reason.code} ${reason.name}`} onClick={onRemove}>Remove</Button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function AddReasonForm({ site, scopeName, reasons, onSaved }: { site: string; scopeName: string; reasons: readonly TReason[]; onSaved: (saved: TSaved, created: boolean) => void }) {
  const ids = { title: useId(), code: useId(), name: useId(), category: useId() };
  const [form, setForm] = useState<{ code: string; name: string; category: TStateCategory | "" }>({ code: "", name: "", category: "" });
  const [touched, setTouched] = useState({ code: false, name: false });
  const save = useMutation({
    mutationFn: async () => {
      const body = { code: Number(form.code), name: form.name.trim(), category: effectiveCategory, ...(site ? { site } : {}) };
      // A row of this scope's own is updated; anything else (a new code, a standard or plant-wide one seen from a site) is added.
      const created = existing?.source !== (site ? "site" : "plant");
      return { created, data: (await fetchJson<{ data: TSaved }>("/api/v1/reason-codes", { method: "POST", body })).data };
    },
    onSuccess: ({ created, data }) => {
      setForm({ code: "", name: "", category: "" });
      setTouched({ code: false, name: false });
      onSaved(data, created);
    },
  });

  const code = Number(form.code);
  const codeError = validateCode(form.code);
  const nameError = validateName(form.name);
  const block = codeError ? null : describeState(code);
  const parent = block?.baseCode && block.baseCode !== code ? reasons.find((reason) => reason.code === block.baseCode) : undefined;
  const existing = codeError ? undefined : reasons.find((reason) => reason.code === code);
  // Until the admin picks one, a sub-reason takes its block's category.
  const effectiveCategory: TStateCategory = form.category || parent?.category || "unplannedStop";
  const serverErrors = fieldErrors(save.error);
  const shownCodeError = (touched.code && codeError) || serverErrors.code;
  const shownNameError = (touched.name && nameError) || serverErrors.name;
  const codeHint = existing
    ? `${code} is already “${existing.name}” (${sourceLabels[existing.source].toLowerCase()}): saving renames or reclassifies it for ${scopeName}.`
    : parent ? `A kind of ${parent.code} “${parent.name}”.` : block && !block.baseCode ? `Outside the standard blocks (${block.label}).` : "10000–999999; sub-reasons extend a standard block, e.g. 180001.";

  return (
    <form className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" aria-labelledby={ids.title} noValidate onSubmit={(event) => {
      event.preventDefault();
      setTouched({ code: true, name: true });
      if (!codeError && !nameError) save.mutate();
    }}>
      <h2 id={ids.title} className="text-base font-semibold">Add a reason for {scopeName}</h2>
      <div className="grid gap-4 sm:grid-cols-[10rem_1fr_12rem]">
        <div>
          <label htmlFor={ids.code} className="mb-1 block text-sm font-medium">Code</label>
          <Input id={ids.code} inputMode="numeric" autoComplete="off" placeholder="180001" invalid={!!shownCodeError} aria-describedby={`${ids.code}-hint`}
            value={form.code} onChange={(event) => setForm({ ...form, code: event.target.value })} onBlur={() => setTouched({ ...touched, code: true })} />
        </div>
        <div>
          <label htmlFor={ids.name} className="mb-1 block text-sm font-medium">Name</label>
          <Input id={ids.name} autoComplete="off" placeholder="Hydraulic leak" invalid={!!shownNameError} aria-describedby={`${ids.name}-hint`}
            value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} onBlur={() => setTouched({ ...touched, name: true })} />
        </div>
        <div>
          <label htmlFor={ids.category} className="mb-1 block text-sm font-medium">Category</label>
          <Select id={ids.category} className="w-full" value={effectiveCategory} onChange={(event) => setForm({ ...form, category: event.target.value as TStateCategory })}>
            {categories.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
          </Select>
        </div>
      </div>
      <div className="space-y-1 text-xs">
        <p id={`${ids.code}-hint`} className={shownCodeError ? "text-danger-text" : "text-fg-muted"}>{shownCodeError ? `Code: ${shownCodeError}` : codeHint}</p>
        <p id={`${ids.name}-hint`} className={shownNameError ? "text-danger-text" : "text-fg-muted"}>{shownNameError ? `Name: ${shownNameError}` : `Up to ${nameMaxLength} characters, as operators say it.`}</p>
      </div>
      {save.isError && !Object.keys(serverErrors).length ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
      <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : existing ? "Save" : "Add reason"}</Button>
    </form>
  );
}
