import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { isPathInScope, type TSiteScope } from "../auth/site-scope";
import { getDb } from "../db";
import { AppError } from "../errors";

/**
 * Product types with their ideal cycle time (domain.md §3): declared over MQTT
 * (`_analytics/product-type/create`) or by an admin here; the ideal cycle time in force is that of
 * the running work order's product. A type belongs to the asset whose topic declared it.
 */

// Control characters would end up in CSV exports and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;
const dayMs = 86_400_000;

export const ZSaveProductType = z.strictObject({
  asset: z.string({ error: "asset is required: the path of the line or machine the product is made on" }).min(1).max(512),
  externalId: z.string({ error: "externalId is required, e.g. W-100" }).trim().min(1, { error: "externalId must not be empty" }).max(100, { error: "externalId must be at most 100 characters" })
    .refine((id) => !controlCharacters.test(id), { error: "externalId must not contain control characters" }),
  cycleTimeMs: z.number({ error: "cycleTimeMs must be a number of milliseconds" }).positive({ error: "cycleTimeMs must be greater than 0" })
    .max(dayMs, { error: "cycleTimeMs must be at most one day (86400000)" }),
});
export type TSaveProductType = z.infer<typeof ZSaveProductType>;

export const ZProductTypesQuery = z.object({ asset: z.string().min(1).max(512).optional() });

export type TProductType = { id: string; asset: string; externalId: string; cycleTimeMs: number | null; workOrders: number; createdAt: string };

/** Product types at or below `asset` (every one without it) that the caller's sites include, by asset and id. */
export async function findProductTypes(query: z.infer<typeof ZProductTypesQuery>, siteScope: TSiteScope): Promise<TProductType[]> {
  const rows = await getDb().productType.findMany({
    where: query.asset ? { asset: { OR: [{ path: query.asset }, { path: { startsWith: `${query.asset}/` } }] } } : {},
    select: { id: true, externalId: true, cycleTimeMs: true, createdAt: true, asset: { select: { path: true } }, _count: { select: { workOrders: true } } },
    orderBy: [{ asset: { path: "asc" } }, { externalId: "asc" }],
  });
  return rows
    .filter((row) => isPathInScope(siteScope, row.asset.path))
    .map((row) => ({ id: row.id, asset: row.asset.path, externalId: row.externalId, cycleTimeMs: row.cycleTimeMs, workOrders: row._count.workOrders, createdAt: row.createdAt.toISOString() }));
}

/**
 * Creates a product type or sets its ideal cycle time, audited in the same transaction. OEE recomputes from
 * it at once: every part counted on one of its work orders is weighed with the new time.
 */
export async function saveProductType(input: TSaveProductType, caller: TCaller): Promise<{ created: boolean; productType: TProductType }> {
  return getDb().$transaction(async (tx) => {
    const asset = await tx.asset.findFirst({ where: { path: input.asset, retiredAt: null }, select: { id: true, path: true } });
    if (!asset) throw new AppError("not_found", `No active asset with path "${input.asset}".`);
    const key = { assetId_externalId: { assetId: asset.id, externalId: input.externalId } };
    const before = await tx.productType.findUnique({ where: key, select: { cycleTimeMs: true } });
    const saved = await tx.productType.upsert({
      where: key,
      create: { assetId: asset.id, externalId: input.externalId, cycleTimeMs: input.cycleTimeMs },
      update: { cycleTimeMs: input.cycleTimeMs },
      select: { id: true, externalId: true, cycleTimeMs: true, createdAt: true, _count: { select: { workOrders: true } } },
    });
    await recordAudit(tx, caller, {
      action: before ? "product_type.update" : "product_type.create",
      entity: "product_type",
      entityId: saved.id,
      before: before ? { asset: asset.path, externalId: input.externalId, cycleTimeMs: before.cycleTimeMs } : null,
      after: { asset: asset.path, externalId: input.externalId, cycleTimeMs: input.cycleTimeMs },
    });
    return {
      created: !before,
      productType: { id: saved.id, asset: asset.path, externalId: saved.externalId, cycleTimeMs: saved.cycleTimeMs, workOrders: saved._count.workOrders, createdAt: saved.createdAt.toISOString() },
    };
  });
}
