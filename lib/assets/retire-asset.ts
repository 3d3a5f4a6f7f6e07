import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { adminAssetSelect, assertAdmin, auditedAsset, toAdminAsset, type TAdminAsset } from "./asset-fields";
import { findDescendantIds, loadAsset, lockAssetTree } from "./asset-guards";

export const ZRetireAsset = z.strictObject({
  subtree: z.boolean({ error: "subtree must be true or false" }).optional().meta({
    description: "true retires the active assets below it too. Without it, an asset with active children is refused (409), so nothing is retired silently.",
  }),
});
export type TRetireAsset = z.infer<typeof ZRetireAsset>;

export const ZRestoreAsset = z.strictObject({
  subtree: z.boolean({ error: "subtree must be true or false" }).optional().meta({
    description: "true also restores the assets below it that were retired together with it (the undo of a subtree retirement).",
  }),
});
export type TRestoreAsset = z.infer<typeof ZRestoreAsset>;

export type TRetireResult = TAdminAsset & { affected: number };

/**
 * Retires an asset: hidden from the console by default, its history kept and queryable, restorable.
 * An asset with active children is refused unless the subtree is retired explicitly; a subtree
 * shares one retiredAt, which is how restoring it finds exactly what went with it.
 */
export async function retireAsset(id: string, input: TRetireAsset, caller: TCaller): Promise<TRetireResult> {
  assertAdmin(caller);
  return getDb().$transaction(async (tx) => {
    await lockAssetTree(tx);
    const before = await loadAsset(tx, id);
    if (before.retiredAt) return { ...toAdminAsset(before), affected: 0 };
    const activeBelow = await tx.asset.findMany({
      where: { id: { in: await findDescendantIds(tx, before.path, null) } }, select: adminAssetSelect, orderBy: { path: "asc" },
    });
    if (activeBelow.length && !input.subtree) {
      throw new AppError(
        "conflict",
        `${before.name} has ${activeBelow.length} active asset${activeBelow.length === 1 ? "" : "s"} below it: retire them first, move them elsewhere, or retire the whole subtree.`,
        { activeDescendants: activeBelow.length },
      );
    }
    const retiredAt = new Date();
    for (const asset of [before, ...activeBelow]) {
      const after = await tx.asset.update({ where: { id: asset.id }, data: { retiredAt }, select: adminAssetSelect });
      await recordAudit(tx, caller, {
        action: "asset.retire", entity: "asset", entityId: asset.id,
        before: auditedAsset(asset), after: { ...auditedAsset(after), ...(asset.id === id ? {} : { with: before.path }) },
      });
    }
    const after = await loadAsset(tx, id);
    return { ...toAdminAsset(after), affected: 1 + activeBelow.length };
  });
}

/**
 * Restores a retired asset (the undo of retiring). Its parent must be active, so the restored
 * asset has a place in the tree; with subtree, what was retired together with it comes back too.
 */
export async function restoreAsset(id: string, input: TRestoreAsset, caller: TCaller): Promise<TRetireResult> {
  assertAdmin(caller);
  return getDb().$transaction(async (tx) => {
    await lockAssetTree(tx);
    const before = await loadAsset(tx, id);
    if (!before.retiredAt) return { ...toAdminAsset(before), affected: 0 };
    if (before.parentId) {
      const parent = await loadAsset(tx, before.parentId, "parent asset");
      if (parent.retiredAt) throw new AppError("conflict", `${before.name} is inside ${parent.name} (${parent.path}), which is retired: restore ${parent.name} first.`);
    }
    const together = input.subtree
      ? await tx.asset.findMany({ where: { id: { in: await findDescendantIds(tx, before.path, before.retiredAt) } }, select: adminAssetSelect, orderBy: { path: "asc" } })
      : [];
    for (const asset of [before, ...together]) {
      const after = await tx.asset.update({ where: { id: asset.id }, data: { retiredAt: null }, select: adminAssetSelect });
      await recordAudit(tx, caller, {
        action: "asset.restore", entity: "asset", entityId: asset.id,
        before: auditedAsset(asset), after: { ...auditedAsset(after), ...(asset.id === id ? {} : { with: before.path }) },
      });
    }
    const after = await loadAsset(tx, id);
    return { ...toAdminAsset(after), affected: 1 + together.length };
  });
}
