import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { TMoveAssets } from "./asset-type-fields";

export type TMoveResult = {
  version: number;
  /** Assets that changed version; fromVersion null for an asset that had no type. */
  moved: { id: string; path: string; fromVersion: number | null }[];
  /** Assets that were already on this version (nothing written). */
  unchanged: { id: string; path: string }[];
};

/**
 * Moves assets to a version of their type, explicitly (saving a version never moves anyone).
 * Only assets of this type or without a type; an asset of another type is a 409, and then
 * nothing moves. The trigger on assets records the assignment history that old data reads by;
 * every moved asset gets its own asset_type.move_asset audit row, in the same transaction.
 */
export async function moveAssetsToVersion(typeId: string, versionNumber: number, input: TMoveAssets, caller: TCaller): Promise<TMoveResult> {
  return getDb().$transaction(async (tx) => {
    const target = await tx.assetTypeVersion.findUnique({
      where: { typeId_version: { typeId, version: versionNumber } },
      select: { id: true, type: { select: { key: true } } },
    });
    if (!target) {
      const typeExists = await tx.assetType.count({ where: { id: typeId } });
      throw new AppError("not_found", typeExists ? `This asset type has no version ${versionNumber}.` : "No such asset type.");
    }
    // Locked, so a concurrent move or retype of the same assets waits instead of interleaving.
    const ids = input.assetIds.map((id) => id.toLowerCase());
    await tx.$queryRaw`SELECT "id" FROM "assets" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
    const assets = await tx.asset.findMany({
      where: { id: { in: ids } },
      select: { id: true, path: true, retiredAt: true, typeVersionId: true, typeVersion: { select: { typeId: true, version: true, type: { select: { key: true } } } } },
    });
    const byId = new Map(assets.map((asset) => [asset.id, asset]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new AppError("not_found", `No such asset: ${missing.join(", ")}.`);

    const result: TMoveResult = { version: versionNumber, moved: [], unchanged: [] };
    for (const id of ids) {
      const asset = byId.get(id);
      if (!asset) continue;
      if (asset.retiredAt) throw new AppError("conflict", `${asset.path} is retired; a retired asset keeps its last version.`);
      if (asset.typeVersion && asset.typeVersion.typeId !== typeId) {
        throw new AppError("conflict", `${asset.path} is a ${asset.typeVersion.type.key}, not a ${target.type.key}; only assets of this type or without a type can move to it.`);
      }
      if (asset.typeVersionId === target.id) {
        result.unchanged.push({ id, path: asset.path });
        continue;
      }
      const fromVersion = asset.typeVersion?.version ?? null;
      await tx.asset.update({ where: { id }, data: { typeVersionId: target.id } });
      await recordAudit(tx, caller, {
        action: "asset_type.move_asset", entity: "asset_type", entityId: typeId,
        before: { assetId: id, path: asset.path, version: fromVersion },
        after: { assetId: id, path: asset.path, version: versionNumber },
      });
      result.moved.push({ id, path: asset.path, fromVersion });
    }
    return result;
  });
}
