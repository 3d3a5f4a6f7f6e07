"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import { childLevelOf, slugFromName, ZAssetSlug, ZIdealCycleTimeMs, ZTimeZone } from "@/lib/assets/asset-fields";
import type { AssetLevel } from "@/lib/generated/prisma/enums";
import { queryKeys } from "@/lib/query-keys";
import { levelLabels } from "../../asset-tree-model";
import { countActiveBelow, countRetiredTogether, moveTargets, pathUnder, type TAdminNode } from "./asset-admin-model";
import type { TNotice } from "./assets-admin";
import { useAssetMutation, type TAssetAnswer } from "./use-asset-mutation";

type TAssetType = { id: string; key: string; name: string; versions: { id: string; version: number; createdAt: string }[] };

const panel = "space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs";

/** The first problem a zod schema finds with a value, for inline messages before anything is sent. */
function problem(schema: { safeParse: (value: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error?.issues[0]?.message;
}

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">{label}</label>
      {children}
      {error ? <p id={`${id}-error`} className="mt-1 text-xs text-danger-text">{error}</p> : hint ? <p id={`${id}-hint`} className="mt-1 text-xs text-fg-muted">{hint}</p> : null}
    </div>
  );
}

const describedBy = (id: string, error?: string, hint?: ReactNode) => (error ? `${id}-error` : hint ? `${id}-hint` : undefined);

/** Whole milliseconds or seconds typed by a person, as the API's number; "" is no value. */
function parseMs(text: string): number | null | typeof Number.NaN {
  if (!text.trim()) return null;
  const value = Number(text.replace(",", "."));
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * Picks an asset type version from GET /api/v1/asset-types. While types cannot be loaded the
 * picker says so and offers only "no type": the asset can be saved and typed later.
 */
function TypePicker({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  const types = useQuery({
    queryKey: queryKeys.assetTypes.list(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TAssetType[] }>("/api/v1/asset-types", { signal })).data,
    retry: false,
  });
  const hint = types.isPending
    ? "Loading asset types…"
    : types.isError
      ? `Asset types could not be loaded (${types.error.message}). Save without a type and set it later.`
      : !types.data.length
        ? "No asset types yet: define them under Asset types, then pick one here."
        : "The type declares the machine's metrics, states and commands.";
  const known = types.data?.some((type) => type.versions.some((version) => version.id === value)) ?? false;
  return (
    <Field id={id} label="Type" hint={hint}>
      <Select id={id} className="w-full" value={value} aria-describedby={`${id}-hint`} onChange={(event) => onChange(event.target.value)}>
        <option value="">No type</option>
        {/* A version set elsewhere stays selectable while the list is missing or loading. */}
        {value && !known ? <option value={value}>Current type</option> : null}
        {types.data?.map((type) => (
          <optgroup key={type.id} label={type.name}>
            {[...type.versions].sort((a, b) => b.version - a.version).map((version) => <option key={version.id} value={version.id}>{type.name} v{version.version}</option>)}
          </optgroup>
        ))}
      </Select>
    </Field>
  );
}

/** Adds a child of `parent` (or an enterprise): the level follows from the parent; the slug follows the name until edited. */
type TLevelForm = { timeZone: string; cycle: string; typeVersionId: string; notes: string };
type TLevelIds = { timeZone: string; cycle: string; type: string; notes: string };

/** Inline errors of the fields both forms share: the client's check first, else what the server said. */
function levelFieldErrors(form: TLevelForm, server: Record<string, string>) {
  const cycle = parseMs(form.cycle);
  return {
    timeZone: form.timeZone.trim() ? (problem(ZTimeZone, form.timeZone.trim()) ?? server.timeZone) : server.timeZone,
    cycle: cycle === null ? server.idealCycleTimeMs : (problem(ZIdealCycleTimeMs, cycle) ?? server.idealCycleTimeMs),
    typeVersionId: server.typeVersionId,
    notes: server.notes,
  };
}

/** The fields a level has besides name and slug (a site's zone, a machine's cycle time and type) and the notes. */
function LevelFields<TForm extends TLevelForm>({ level, ids, form, setForm, errors, notesLabel }: {
  level: AssetLevel; ids: TLevelIds; form: TForm; setForm: (form: TForm) => void;
  errors: ReturnType<typeof levelFieldErrors>; notesLabel: string;
}) {
  return (
    <>
      {level === "SITE" ? (
        <Field id={ids.timeZone} label="Time zone" error={errors.timeZone} hint="IANA name, e.g. Europe/Berlin: shifts, days and charts use it.">
          <Input id={ids.timeZone} autoComplete="off" list={`${ids.timeZone}-zones`} invalid={!!errors.timeZone} aria-describedby={describedBy(ids.timeZone, errors.timeZone, true)}
            value={form.timeZone} onChange={(event) => setForm({ ...form, timeZone: event.target.value })} />
          <TimeZoneOptions id={`${ids.timeZone}-zones`} />
        </Field>
      ) : null}
      {level === "WORK_CELL" ? (
        <>
          <Field id={ids.cycle} label="Ideal cycle time (ms, optional)" error={errors.cycle} hint="Used for OEE performance when no work order gives one.">
            <Input id={ids.cycle} inputMode="decimal" autoComplete="off" invalid={!!errors.cycle} aria-describedby={describedBy(ids.cycle, errors.cycle, true)}
              value={form.cycle} onChange={(event) => setForm({ ...form, cycle: event.target.value })} />
          </Field>
          <TypePicker id={ids.type} value={form.typeVersionId} onChange={(typeVersionId) => setForm({ ...form, typeVersionId })} />
        </>
      ) : null}
      <div className="sm:col-span-2">
        <Field id={ids.notes} label={notesLabel} error={errors.notes}>
          <textarea id={ids.notes} rows={3} className="block w-full rounded-md border border-line-strong bg-surface px-3 py-2 text-base text-fg shadow-xs lg:text-sm" value={form.notes}
            onChange={(event) => setForm({ ...form, notes: event.target.value })} />
        </Field>
      </div>
    </>
  );
}

export function AddAssetForm({ parent, onCreated }: { parent: TAdminNode | null; onCreated: (asset: TAssetAnswer) => void }) {
  const level = parent ? childLevelOf(parent.level) : "ENTERPRISE";
  const ids = { title: useId(), name: useId(), slug: useId(), timeZone: useId(), cycle: useId(), type: useId(), notes: useId() };
  const empty = { name: "", slug: "", slugEdited: false, timeZone: "", cycle: "", typeVersionId: "", notes: "" };
  const [form, setForm] = useState(empty);
  const [touched, setTouched] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const create = useAssetMutation(
    (body: Record<string, unknown>) => ({ url: "/api/v1/assets", method: "POST", body }),
    (asset) => {
      setForm(empty);
      setTouched(false);
      onCreated(asset);
      // Ready for the next sibling: plants add machines in runs.
      nameInput.current?.focus();
    },
  );
  if (!level) return null;
  const label = levelLabels[level].toLowerCase();
  const slug = form.slugEdited ? form.slug : slugFromName(form.name);
  const cycle = parseMs(form.cycle);
  const server = fieldErrors(create.error);
  const errors = {
    name: touched && !form.name.trim() ? "name must not be empty" : server.name,
    slug: (touched || form.slugEdited) && (form.name || form.slugEdited) ? (problem(ZAssetSlug, slug) ?? server.slug) : server.slug,
    ...levelFieldErrors(form, server),
  };
  const formError = create.isError && !Object.values(server).length ? create.error.message : (server.parentId ?? server.form);
  const blocked = Boolean(errors.slug || errors.timeZone || errors.cycle) || create.isPending;

  return (
    <form aria-labelledby={ids.title} className={panel} noValidate onSubmit={(event) => {
      event.preventDefault();
      setTouched(true);
      if (!form.name.trim() || problem(ZAssetSlug, slug) || blocked) return;
      create.mutate({
        parentId: parent?.id ?? null, name: form.name.trim(), slug,
        ...(level === "SITE" && form.timeZone.trim() ? { timeZone: form.timeZone.trim() } : {}),
        ...(level === "WORK_CELL" && cycle !== null ? { idealCycleTimeMs: cycle } : {}),
        ...(level === "WORK_CELL" && form.typeVersionId ? { typeVersionId: form.typeVersionId } : {}),
        ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
      });
    }}>
      <h3 id={ids.title} className="text-base font-semibold">{parent ? `Add ${/^[aeiou]/.test(label) ? "an" : "a"} ${label} under ${parent.name}` : "Add an enterprise"}</h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={ids.name} label="Name" error={errors.name}>
          <Input ref={nameInput} id={ids.name} autoComplete="off" required invalid={!!errors.name} aria-describedby={describedBy(ids.name, errors.name)} value={form.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })} />
        </Field>
        <Field id={ids.slug} label="Topic segment (slug)" error={errors.slug} hint={<>Path: <code className="break-all">{pathUnder(parent?.path ?? null, slug || "…")}</code></>}>
          <Input id={ids.slug} autoComplete="off" spellCheck={false} invalid={!!errors.slug} aria-describedby={describedBy(ids.slug, errors.slug, true)} value={slug}
            onChange={(event) => setForm({ ...form, slug: event.target.value, slugEdited: true })} />
        </Field>
        <LevelFields level={level} ids={ids} form={form} setForm={setForm} errors={errors} notesLabel="Notes (optional)" />
      </div>
      {formError ? <p role="alert" className="text-sm text-danger-text">{formError}</p> : null}
      <Button type="submit" disabled={blocked}>{create.isPending ? "Adding…" : `Add ${label}`}</Button>
    </form>
  );
}

function TimeZoneOptions({ id }: { id: string }) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return <datalist id={id}>{zones.map((zone) => <option key={zone} value={zone} />)}</datalist>;
}

/** Name, notes and the level's own fields; the slug has its own, more careful form. */
export function DetailsForm({ asset, onNotice }: { asset: TAdminNode; onNotice: (notice: TNotice | null) => void }) {
  const ids = { title: useId(), name: useId(), timeZone: useId(), cycle: useId(), type: useId(), notes: useId() };
  const initial = { name: asset.name, timeZone: asset.timeZone ?? "", cycle: asset.idealCycleTimeMs === null ? "" : String(asset.idealCycleTimeMs), typeVersionId: asset.typeVersionId ?? "", notes: asset.notes ?? "" };
  const [form, setForm] = useState(initial);
  const save = useAssetMutation(
    (body: Record<string, unknown>) => ({ url: `/api/v1/assets/${asset.id}`, method: "PATCH", body }),
    (saved) => onNotice({ text: `Saved ${saved.name}.` }),
  );
  const cycle = parseMs(form.cycle);
  const server = fieldErrors(save.error);
  const errors = { name: !form.name.trim() ? "name must not be empty" : server.name, ...levelFieldErrors(form, server) };
  const change: Record<string, unknown> = {};
  if (form.name.trim() !== asset.name) change.name = form.name.trim();
  if ((form.notes.trim() || null) !== asset.notes) change.notes = form.notes.trim() || null;
  if (asset.level === "SITE" && (form.timeZone.trim() || null) !== asset.timeZone) change.timeZone = form.timeZone.trim() || null;
  if (asset.level === "WORK_CELL" && cycle !== asset.idealCycleTimeMs) change.idealCycleTimeMs = cycle;
  if (asset.level === "WORK_CELL" && (form.typeVersionId || null) !== asset.typeVersionId) change.typeVersionId = form.typeVersionId || null;
  const dirty = Object.keys(change).length > 0;
  const blocked = Boolean(errors.name || errors.timeZone || errors.cycle) || !dirty || save.isPending;

  return (
    <form aria-labelledby={ids.title} className={panel} noValidate onSubmit={(event) => {
      event.preventDefault();
      if (!blocked) save.mutate(change);
    }}>
      <h3 id={ids.title} className="text-base font-semibold">Details</h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={ids.name} label="Name" error={errors.name} hint="Renaming keeps the path and the topics.">
          <Input id={ids.name} autoComplete="off" required invalid={!!errors.name} aria-describedby={describedBy(ids.name, errors.name, true)} value={form.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })} />
        </Field>
        <LevelFields level={asset.level} ids={ids} form={form} setForm={setForm} errors={errors} notesLabel="Notes" />
      </div>
      {save.isError && !Object.values(server).length ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={blocked}>{save.isPending ? "Saving…" : "Save changes"}</Button>
        {dirty ? <Button variant="ghost" onClick={() => setForm(initial)}>Discard changes</Button> : null}
      </div>
    </form>
  );
}

/** "Move to…": the keyboard and touch way to move, listing only parents of the right level. */
export function MoveForm({ asset, byId, onMove, moving }: { asset: TAdminNode; byId: Map<string, TAdminNode>; onMove: (asset: TAdminNode, parent: TAdminNode) => void; moving: boolean }) {
  const ids = { title: useId(), target: useId() };
  const [targetId, setTargetId] = useState("");
  if (asset.level === "ENTERPRISE") return null;
  const targets = moveTargets(byId, asset);
  const target = targetId ? byId.get(targetId) : undefined;
  const parentLabel = levelLabels[targets[0]?.level ?? "LINE"].toLowerCase();
  return (
    <form aria-labelledby={ids.title} className={panel} onSubmit={(event) => {
      event.preventDefault();
      if (target) onMove(asset, target);
    }}>
      <h3 id={ids.title} className="text-base font-semibold">Move to…</h3>
      {targets.length ? (
        <>
          <Field id={ids.target} label="New parent" hint={target ? <>New path: <code className="break-all">{pathUnder(target.path, asset.slug)}</code>. Data sent to the old path arrives as a new asset unless it is mapped.</> : `Any other active ${parentLabel}; everything below ${asset.name} moves with it.`}>
            <Select id={ids.target} className="w-full" value={targetId} aria-describedby={`${ids.target}-hint`} onChange={(event) => setTargetId(event.target.value)}>
              <option value="">Choose…</option>
              {targets.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name} ({candidate.path})</option>)}
            </Select>
          </Field>
          <Button type="submit" disabled={!target || moving}>{moving ? "Moving…" : "Move"}</Button>
        </>
      ) : (
        <p className="text-sm text-fg-muted">There is no other active place for it: add another {parentLabel} first.</p>
      )}
    </form>
  );
}

/** The slug is the asset's MQTT topic level, so changing it is its own, explained and confirmed step. */
export function SegmentForm({ asset, onNotice }: { asset: TAdminNode; onNotice: (notice: TNotice | null) => void }) {
  const ids = { title: useId(), slug: useId() };
  const [slug, setSlug] = useState(asset.slug);
  const change = useAssetMutation(
    (next: string) => ({ url: `/api/v1/assets/${asset.id}`, method: "PATCH", body: { slug: next } }),
    (saved) => onNotice({
      text: `${saved.name} is now at ${saved.path}${saved.descendantsMoved ? ` with ${saved.descendantsMoved} asset${saved.descendantsMoved === 1 ? "" : "s"} below it` : ""}.`,
      undo: { label: "Undo segment change", request: { url: `/api/v1/assets/${asset.id}`, method: "PATCH", body: { slug: asset.slug } } },
    }),
  );
  const parentPath = asset.path.includes("/") ? asset.path.slice(0, asset.path.lastIndexOf("/")) : null;
  const error = problem(ZAssetSlug, slug) ?? fieldErrors(change.error).slug;
  const newPath = pathUnder(parentPath, slug);
  return (
    <form aria-labelledby={ids.title} className={panel} noValidate onSubmit={(event) => {
      event.preventDefault();
      if (error || slug === asset.slug) return;
      const ok = window.confirm(`Change the topic segment of ${asset.name} from "${asset.slug}" to "${slug}"?\n\nIts path becomes ${newPath}, and the paths below it change too. ` +
        "Machines still publishing to the old path will show up as a new asset unless the old path is mapped (Admin → Topics).");
      if (ok) change.mutate(slug);
    }}>
      <h3 id={ids.title} className="text-base font-semibold">Change topic segment</h3>
      <p className="text-sm text-fg-muted">The segment is this asset&apos;s level in MQTT topics. Change it only when the machines&apos; topics change too: data for the old path will arrive as a new asset unless it is remapped.</p>
      <Field id={ids.slug} label="Topic segment (slug)" error={error} hint={<>Path: <code className="break-all">{newPath}</code></>}>
        <Input id={ids.slug} autoComplete="off" spellCheck={false} invalid={!!error} aria-describedby={describedBy(ids.slug, error, true)} value={slug} onChange={(event) => setSlug(event.target.value)} />
      </Field>
      {change.isError && !error ? <p role="alert" className="text-sm text-danger-text">{change.error.message}</p> : null}
      <Button type="submit" variant="secondary" disabled={!!error || slug === asset.slug || change.isPending}>{change.isPending ? "Changing…" : "Change topic segment"}</Button>
    </form>
  );
}

/**
 * Retire and restore. Retiring an asset with active children is never silent: the panel says how
 * many and offers to retire the whole subtree, which a restore with its subtree undoes.
 */
export function RetirePanel({ asset, onNotice }: { asset: TAdminNode; onNotice: (notice: TNotice | null) => void }) {
  const titleId = useId();
  const activeBelow = countActiveBelow(asset);
  const retiredTogether = countRetiredTogether(asset);
  const restore = useAssetMutation(
    ({ subtree }: { subtree: boolean }) => ({ url: `/api/v1/assets/${asset.id}/restore`, method: "POST", body: { subtree } }),
    (restored) => onNotice({ text: `Restored ${restored.name}${(restored.affected ?? 1) > 1 ? ` and ${(restored.affected ?? 1) - 1} asset${(restored.affected ?? 1) === 2 ? "" : "s"} below it` : ""}.` }),
  );
  const retire = useAssetMutation(
    ({ subtree }: { subtree: boolean }) => ({ url: `/api/v1/assets/${asset.id}/retire`, method: "POST", body: { subtree } }),
    (retired, { subtree }) => onNotice({
      text: `Retired ${retired.name}${(retired.affected ?? 1) > 1 ? ` and ${(retired.affected ?? 1) - 1} asset${(retired.affected ?? 1) === 2 ? "" : "s"} below it` : ""}. Its history stays; it is hidden unless retired assets are shown.`,
      undo: { label: "Undo retire", request: { url: `/api/v1/assets/${asset.id}/restore`, method: "POST", body: { subtree } } },
    }),
  );
  const error = retire.error ?? restore.error;

  if (asset.retiredAt) {
    return (
      <section aria-labelledby={titleId} className={panel}>
        <h3 id={titleId} className="text-base font-semibold">Retired</h3>
        <p className="text-sm text-fg-muted">Retired on {new Date(asset.retiredAt).toLocaleString()}. Its history is kept. Restore it to change it or to add to it.</p>
        {error ? <p role="alert" className="text-sm text-danger-text">{error.message}</p> : null}
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => restore.mutate({ subtree: false })} disabled={restore.isPending}>Restore</Button>
          {retiredTogether ? <Button variant="secondary" onClick={() => restore.mutate({ subtree: true })} disabled={restore.isPending}>Restore with the {retiredTogether} asset{retiredTogether === 1 ? "" : "s"} retired with it</Button> : null}
        </div>
      </section>
    );
  }
  return (
    <section aria-labelledby={titleId} className={panel}>
      <h3 id={titleId} className="text-base font-semibold">Retire</h3>
      {activeBelow ? (
        <p className="text-sm text-fg-muted">{asset.name} has {activeBelow} active asset{activeBelow === 1 ? "" : "s"} below it. Move them elsewhere first, or retire the whole subtree: all of it is hidden, its history stays, and it can be restored in one step.</p>
      ) : (
        <p className="text-sm text-fg-muted">A retired asset is hidden from the console; its history stays and it can be restored.</p>
      )}
      {error ? <p role="alert" className="text-sm text-danger-text">{error.message}</p> : null}
      <Button variant="secondary" disabled={retire.isPending} onClick={() => {
        const subtree = activeBelow > 0;
        const question = subtree ? `Retire ${asset.name} and the ${activeBelow} active asset${activeBelow === 1 ? "" : "s"} below it?` : `Retire ${asset.name}?`;
        if (window.confirm(`${question}\n\nHistory is kept, and you can restore it.`)) retire.mutate({ subtree });
      }}>{activeBelow ? `Retire with its ${activeBelow} asset${activeBelow === 1 ? "" : "s"}` : "Retire"}</Button>
    </section>
  );
}
