"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import { assetTreeQuery, flattenTree } from "@/lib/assets/asset-tree-query";
import type { TProductType } from "@/lib/product-types/product-types";
import { queryKeys } from "@/lib/query-keys";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TSave = { asset: string; externalId: string; cycleTimeMs: number };

/** Products and their ideal cycle time: the figure OEE performance is measured against (per product, not per machine). */
export function ProductTypesAdmin() {
  const queryClient = useQueryClient();
  const productTypes = useQuery({
    queryKey: queryKeys.productTypes(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TProductType[] }>("/api/v1/product-types", { signal })).data,
  });
  // Every OEE figure weighed with a changed cycle time moves: refresh them too.
  const invalidate = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.productTypes() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
  ]);
  const save = useMutation({
    mutationFn: (body: TSave) => fetchJson<{ data: TProductType }>("/api/v1/product-types", { method: "POST", body }),
    onSettled: invalidate,
  });

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader title="Product types">
        The ideal cycle time of each product: OEE performance compares the parts made with it. Products also arrive over MQTT
        (<code>_analytics/product-type/create</code>); a work order names the product it makes. Every change is audited.
      </PageHeader>
      <AddProductTypeForm onSaved={invalidate} />
      {productTypes.isError ? <p role="alert" className="text-sm text-danger-text">Could not load product types: {productTypes.error.message}</p> : null}
      {save.isError ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
      {productTypes.data && productTypes.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line-strong p-6 text-sm text-fg-muted">
          No product types yet. Add one above, or let the MES send <code>product-type/create</code> messages.
        </p>
      ) : null}
      {productTypes.data && productTypes.data.length > 0 ? (
        <DataTable testId="product-types-table" headings={["Product", "Made on", "Ideal cycle time (ms)", "Work orders"]}>
              {productTypes.data.map((productType) => (
                <tr key={productType.id} className="border-t border-line" data-product={productType.externalId}>
                  <td className="px-3 py-2 font-medium">{productType.externalId}</td>
                  <td className="px-3 py-2 text-fg-muted">{productType.asset}</td>
                  <td className="px-3 py-2">
                    <CycleTimeEditor productType={productType} pending={save.isPending} onSave={(cycleTimeMs) => save.mutate({ asset: productType.asset, externalId: productType.externalId, cycleTimeMs })} />
                  </td>
                  <td className="px-3 py-2">{productType.workOrders}</td>
                </tr>
              ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function CycleTimeEditor({ productType, pending, onSave }: { productType: TProductType; pending: boolean; onSave: (cycleTimeMs: number) => void }) {
  const [value, setValue] = useState(productType.cycleTimeMs === null ? "" : String(productType.cycleTimeMs));
  const number = Number(value);
  const valid = value.trim() !== "" && Number.isFinite(number) && number > 0;
  const changed = valid && number !== productType.cycleTimeMs;
  return (
    <form className="flex items-center gap-2" aria-label={`Ideal cycle time of ${productType.externalId}`} onSubmit={(event) => {
      event.preventDefault();
      if (changed) onSave(number);
    }}>
      <label className="sr-only" htmlFor={`cycle-${productType.id}`}>Ideal cycle time of {productType.externalId} in ms</label>
      <Input id={`cycle-${productType.id}`} inputMode="decimal" className="w-32" value={value} invalid={value !== "" && !valid} placeholder="unknown" onChange={(event) => setValue(event.target.value)} />
      <Button type="submit" variant="secondary" disabled={!changed || pending}>Save</Button>
    </form>
  );
}

function AddProductTypeForm({ onSaved }: { onSaved: () => Promise<unknown> }) {
  const ids = { title: useId(), asset: useId(), externalId: useId(), cycle: useId() };
  const tree = useQuery(assetTreeQuery);
  const assets = flattenTree(tree.data ?? []).filter((node) => node.level === "LINE" || node.level === "WORK_CELL");
  const [form, setForm] = useState({ asset: "", externalId: "", cycleTimeMs: "" });
  const [saved, setSaved] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => fetchJson<{ data: TProductType }>("/api/v1/product-types", {
      method: "POST", body: { asset: form.asset, externalId: form.externalId.trim(), cycleTimeMs: Number(form.cycleTimeMs) },
    }),
    onSuccess: async ({ data }) => {
      setSaved(`Saved ${data.externalId} on ${data.asset}: ${data.cycleTimeMs} ms per part.`);
      setForm({ ...form, externalId: "", cycleTimeMs: "" });
      await onSaved();
    },
  });
  const errors = fieldErrors(create.error);
  const cycle = Number(form.cycleTimeMs);
  const cycleProblem = form.cycleTimeMs !== "" && !(Number.isFinite(cycle) && cycle > 0) ? "a number of milliseconds greater than 0" : undefined;

  return (
    <form aria-labelledby={ids.title} noValidate className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" onSubmit={(event) => {
      event.preventDefault();
      setSaved(null);
      create.mutate();
    }}>
      <h2 id={ids.title} className="text-base font-semibold">Add a product type</h2>
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor={ids.asset} className="mb-1 block text-sm font-medium">Made on</label>
          <Select id={ids.asset} className="w-full" value={form.asset} onChange={(event) => setForm({ ...form, asset: event.target.value })}>
            <option value="">Choose a line or machine…</option>
            {assets.map((asset) => <option key={asset.id} value={asset.path}>{asset.name} ({asset.path})</option>)}
          </Select>
          {errors.asset ? <p className="mt-1 text-xs text-danger-text">{errors.asset}</p> : null}
        </div>
        <div>
          <label htmlFor={ids.externalId} className="mb-1 block text-sm font-medium">Product id</label>
          <Input id={ids.externalId} value={form.externalId} invalid={!!errors.externalId} placeholder="W-100" onChange={(event) => setForm({ ...form, externalId: event.target.value })} />
          {errors.externalId ? <p className="mt-1 text-xs text-danger-text">{errors.externalId}</p> : null}
        </div>
        <div>
          <label htmlFor={ids.cycle} className="mb-1 block text-sm font-medium">Ideal cycle time (ms)</label>
          <Input id={ids.cycle} inputMode="decimal" value={form.cycleTimeMs} invalid={!!(cycleProblem ?? errors.cycleTimeMs)} onChange={(event) => setForm({ ...form, cycleTimeMs: event.target.value })} />
          {cycleProblem ?? errors.cycleTimeMs ? <p className="mt-1 text-xs text-danger-text">{cycleProblem ?? errors.cycleTimeMs}</p> : null}
        </div>
      </div>
      {create.isError && !Object.keys(errors).length ? <p role="alert" className="text-sm text-danger-text">{create.error.message}</p> : null}
      {saved ? <p role="status" className="text-sm">{saved}</p> : null}
      <Button type="submit" disabled={create.isPending || !form.asset || !form.externalId.trim() || !form.cycleTimeMs || !!cycleProblem}>{create.isPending ? "Saving…" : "Add product type"}</Button>
    </form>
  );
}
