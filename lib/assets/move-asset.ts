import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { adminAssetSelect, assertAdmin, auditedAsset, levelLabel, parentLevelOf, toAdminAsset, ZAssetId } from "./asset-fields";
import { assertActive, assertPathFree, isUniqueViolation, loadAsset, lockAssetTree } from "./asset-guards";
import { rewriteSubtreePaths } from "./rewrite-subtree-paths";
import type { TAssetChangeResult } from "./update-asset";

export const ZMoveAsset = z.strictObject({
  parentId: ZAssetId.nullable().meta({ description: "The new parent: one level above the asset (a site for an area, a line for a machine); null only for an enterprise." }),
});
export type TMoveAsset = z.infer<typeof ZMoveAsset>;

/**
 * Moves an asset, with everything below it, under another parent of the level above its own.
 * The paths of the whole subtree are recomputed in the same transaction as the move and its audit rows.
 */
export async function moveAsset(id: string, input: TMoveAsset, caller: TCaller): Promise<TAssetChangeResult> {
  assertAdmin(caller);
  try {
    return await getDb().$transaction(async (tx) => {
      await lockAssetTree(tx);
      const before = await loadAsset(tx, id);
      assertActive(before, "moving it");
      if (input.parentId === before.parentId) return { ...toAdminAsset(before), descendantsMoved: 0 };

      const neededLevel = parentLevelOf(before.level);
      let newPath = before.slug;
      if (input.parentId === null) {
        if (neededLevel) throw levelMismatch(`${before.name} is ${article(before.level)} ${levelLabel(before.level).toLowerCase()}: only an enterprise can be at the top; pick ${article(neededLevel)} ${levelLabel(neededLevel).toLowerCase()} as its parent.`);
      } else {
        const parent = await loadAsset(tx, input.parentId, "parent asset");
        // Checked before the level so that the message says what is really wrong.
        if (parent.id === id || parent.path.startsWith(`${before.path}/`)) {
          throw new AppError("validation", `${before.name} cannot be moved under ${parent.id === id ? "itself" : `${parent.name}, which is inside it`}.`, { issues: [{ path: "parentId", message: "an asset cannot be moved into its own subtree" }] });
        }
        if (parent.level !== neededLevel) {
          throw levelMismatch(neededLevel
            ? `${before.name} is ${article(before.level)} ${levelLabel(before.level).toLowerCase()}: its parent must be ${article(neededLevel)} ${levelLabel(neededLevel).toLowerCase()}, and ${parent.name} is ${article(parent.level)} ${levelLabel(parent.level).toLowerCase()}.`
            : `${before.name} is an enterprise: enterprises are at the top and have no parent.`);
        }
        assertActive(parent, "moving assets under it");
        newPath = `${parent.path}/${before.slug}`;
      }
      await assertPathFree(tx, newPath, before.slug, id);

      const descendantsMoved = await rewriteSubtreePaths(tx, caller, before.path, newPath);
      const after = await tx.asset.update({ where: { id }, data: { parentId: input.parentId }, select: adminAssetSelect });
      await recordAudit(tx, caller, {
        action: "asset.move", entity: "asset", entityId: id,
        before: auditedAsset(before), after: { ...auditedAsset(after), ...(descendantsMoved ? { descendantsMoved } : {}) },
      });
      return { ...toAdminAsset(after), descendantsMoved };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "Another asset with the same slug is already there: change its topic segment first.");
    throw error;
  }
}

function levelMismatch(message: string) {
  return new AppError("validation", message, { issues: [{ path: "parentId", message: "the parent must be one level above the asset" }] });
}

function article(level: string) {
  return level === "AREA" || level === "ENTERPRISE" ? "an" : "a";
}
