import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { AssetLevel } from "../generated/prisma/enums";
import {
  adminAssetSelect, assertAdmin, assertFieldsFitLevel, auditedAsset, childLevelOf, slugFromName, toAdminAsset,
  type TAdminAsset, ZAssetId, ZAssetName, ZAssetNotes, ZAssetSlug, ZIdealCycleTimeMs, ZTimeZone, ZTypeVersionId,
} from "./asset-fields";
import { assertActive, assertPathFree, assertTypeVersionExists, isUniqueViolation, loadAsset, lockAssetTree } from "./asset-guards";

export const ZCreateAsset = z.strictObject({
  parentId: ZAssetId.nullable().meta({ description: "The parent asset; null for a new enterprise. The new asset's level is the one below its parent's." }),
  name: ZAssetName,
  slug: ZAssetSlug.optional().meta({ description: "Derived from the name when left out." }),
  timeZone: ZTimeZone.nullish(),
  notes: ZAssetNotes.nullish(),
  idealCycleTimeMs: ZIdealCycleTimeMs.nullish(),
  typeVersionId: ZTypeVersionId.nullish(),
});
export type TCreateAsset = z.infer<typeof ZCreateAsset>;

/** Creates an asset under its parent (or an enterprise at the top); audited as asset.create in the same transaction. */
export async function createAsset(input: TCreateAsset, caller: TCaller): Promise<TAdminAsset> {
  assertAdmin(caller);
  const slug = input.slug ?? slugFromName(input.name);
  if (!slug) throw new AppError("validation", "slug: the name has no letters or digits to make a slug from; give a slug.", { issues: [{ path: "slug", message: "give a slug (a-z A-Z 0-9 - _)" }] });
  try {
    return await getDb().$transaction(async (tx) => {
      await lockAssetTree(tx);
      let level: AssetLevel = "ENTERPRISE";
      let path = slug;
      if (input.parentId) {
        const parent = await loadAsset(tx, input.parentId, "parent asset");
        assertActive(parent, "adding assets under it");
        const below = childLevelOf(parent.level);
        if (!below) throw new AppError("validation", `${parent.name} is a machine (work cell), the lowest level: machines have no children.`, { issues: [{ path: "parentId", message: "machines have no children" }] });
        level = below;
        path = `${parent.path}/${slug}`;
      }
      assertFieldsFitLevel(level, input);
      if (input.typeVersionId) await assertTypeVersionExists(tx, input.typeVersionId);
      await assertPathFree(tx, path, slug);

      const created = await tx.asset.create({
        data: {
          name: input.name, slug, path, level, parentId: input.parentId ?? null,
          timeZone: input.timeZone ?? null, notes: input.notes ?? null, idealCycleTimeMs: input.idealCycleTimeMs ?? null,
          typeVersionId: input.typeVersionId ?? null,
        },
        select: adminAssetSelect,
      });
      await recordAudit(tx, caller, { action: "asset.create", entity: "asset", entityId: created.id, after: auditedAsset(created) });
      return toAdminAsset(created);
    });
  } catch (error) {
    // The ingest worker registers paths on its own; it may have taken this one since the check.
    if (isUniqueViolation(error)) throw new AppError("conflict", `The slug "${slug}" is already used here: choose another slug.`, { issues: [{ path: "slug", message: `"${slug}" is already used here` }] });
    throw error;
  }
}
