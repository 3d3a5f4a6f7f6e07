import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import {
  adminAssetSelect, assertAdmin, assertFieldsFitLevel, auditedAsset, toAdminAsset,
  type TAdminAsset, ZAssetName, ZAssetNotes, ZAssetSlug, ZIdealCycleTimeMs, ZTimeZone, ZTypeVersionId,
} from "./asset-fields";
import { assertActive, assertPathFree, assertTypeVersionExists, isUniqueViolation, loadAsset, lockAssetTree } from "./asset-guards";
import { rewriteSubtreePaths } from "./rewrite-subtree-paths";

export const ZUpdateAsset = z
  .strictObject({
    name: ZAssetName.optional(),
    slug: ZAssetSlug.optional().meta({
      description: "Changes the topic level, so the path of the asset and of everything below it: data sent to the old path arrives as a new asset unless that path is mapped.",
    }),
    timeZone: ZTimeZone.nullable().optional(),
    notes: ZAssetNotes.nullable().optional(),
    idealCycleTimeMs: ZIdealCycleTimeMs.nullable().optional(),
    typeVersionId: ZTypeVersionId.nullable().optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    error: "send at least one of name, slug, timeZone, notes, idealCycleTimeMs, typeVersionId",
  });
export type TUpdateAsset = z.infer<typeof ZUpdateAsset>;

export type TAssetChangeResult = TAdminAsset & { descendantsMoved: number };

/**
 * Changes an asset's name, fields or type version; a new slug also recomputes the paths of its
 * subtree. Audited as asset.update (before/after) in the same transaction; an unchanged asset is left alone.
 */
export async function updateAsset(id: string, input: TUpdateAsset, caller: TCaller): Promise<TAssetChangeResult> {
  assertAdmin(caller);
  try {
    return await getDb().$transaction(async (tx) => {
      if (input.slug !== undefined) await lockAssetTree(tx);
      const before = await loadAsset(tx, id);
      assertActive(before, "changing it");
      assertFieldsFitLevel(before.level, input);
      if (input.typeVersionId && input.typeVersionId !== before.typeVersionId) await assertTypeVersionExists(tx, input.typeVersionId);

      const data = {
        name: input.name, timeZone: input.timeZone, notes: input.notes, idealCycleTimeMs: input.idealCycleTimeMs, typeVersionId: input.typeVersionId,
        slug: input.slug,
      };
      const changed = Object.entries(data).some(([key, value]) => value !== undefined && value !== before[key as keyof typeof data]);
      if (!changed) return { ...toAdminAsset(before), descendantsMoved: 0 };

      let descendantsMoved = 0;
      if (input.slug !== undefined && input.slug !== before.slug) {
        const parentPath = before.path.slice(0, before.path.lastIndexOf("/") + 1);
        const newPath = parentPath + input.slug;
        await assertPathFree(tx, newPath, input.slug, id);
        descendantsMoved = await rewriteSubtreePaths(tx, caller, before.path, newPath);
      }
      const after = await tx.asset.update({ where: { id }, data, select: adminAssetSelect });
      await recordAudit(tx, caller, {
        action: "asset.update", entity: "asset", entityId: id,
        before: auditedAsset(before), after: { ...auditedAsset(after), ...(descendantsMoved ? { descendantsMoved } : {}) },
      });
      return { ...toAdminAsset(after), descendantsMoved };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `The slug "${input.slug}" is already used here: choose another slug.`, { issues: [{ path: "slug", message: `"${input.slug}" is already used here` }] });
    throw error;
  }
}
