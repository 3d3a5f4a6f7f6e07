import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { auditedDeclaration, declarationCreate, declarationSelect, normalizedDeclaration, toDeclaration, type TCreateTypeVersion } from "./asset-type-fields";
import { canonicalJson } from "./diff-declarations";
import { getAssetType, type TAssetTypeVersionDetail } from "./find-asset-types";

/**
 * Editing a type: saves the full new declaration as version N+1 (versions are immutable, so what
 * was recorded under N keeps its meaning). Assets stay on their version until moved explicitly.
 * Audited as asset_type.version with the previous and the new declaration.
 */
export async function createTypeVersion(typeId: string, input: TCreateTypeVersion, caller: TCaller): Promise<TAssetTypeVersionDetail> {
  const { baseVersion, ...declaration } = input;
  const created = await getDb().$transaction(async (tx) => {
    // Two admins saving at once get N+1 and a clear 409, never a unique-violation 500.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "asset_types" WHERE "id" = ${typeId}::uuid FOR UPDATE`;
    if (!locked.length) throw new AppError("not_found", "No such asset type.");
    const latest = await tx.assetTypeVersion.findFirstOrThrow({ where: { typeId }, orderBy: { version: "desc" }, select: { version: true, ...declarationSelect } });
    if (baseVersion !== undefined && baseVersion !== latest.version) {
      throw new AppError("conflict", `Version ${latest.version} was saved after version ${baseVersion}, which this edit started from. Reload the type and edit again.`);
    }
    const before = toDeclaration(latest);
    if (canonicalJson(normalizedDeclaration(before)) === canonicalJson(normalizedDeclaration(declaration))) throw new AppError("conflict", `Nothing changed: this is what version ${latest.version} declares.`);
    const version = latest.version + 1;
    await tx.assetTypeVersion.create({ data: { typeId, version, ...declarationCreate(declaration) } });
    await tx.assetType.update({ where: { id: typeId }, data: { updatedAt: new Date() } });
    await recordAudit(tx, caller, {
      action: "asset_type.version", entity: "asset_type", entityId: typeId,
      before: { version: latest.version, ...auditedDeclaration(before) }, after: { version, ...auditedDeclaration(declaration) },
    });
    return version;
  });
  const type = await getAssetType(typeId);
  const saved = type.versions.find((version) => version.version === created);
  if (!saved) throw new AppError("internal", "The new version was saved but could not be read back.");
  return saved;
}
