import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { auditedDeclaration, declarationCreate, isUniqueViolation, type TCreateAssetType } from "./asset-type-fields";
import { getAssetType, type TAssetTypeDetail } from "./find-asset-types";

/** Creates a type with its version 1; audited as asset_type.create in the same transaction. */
export async function createAssetType(input: TCreateAssetType, caller: TCaller): Promise<TAssetTypeDetail> {
  const { key, name, description, ...declaration } = input;
  let typeId: string;
  try {
    typeId = await getDb().$transaction(async (tx) => {
      const type = await tx.assetType.create({
        data: { key, name, description, versions: { create: { version: 1, ...declarationCreate(declaration) } } },
        select: { id: true },
      });
      await recordAudit(tx, caller, {
        action: "asset_type.create", entity: "asset_type", entityId: type.id,
        after: { key, name, description, version: 1, ...auditedDeclaration(declaration) },
      });
      return type.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `An asset type with the key ${key} already exists.`);
    throw error;
  }
  return getAssetType(typeId);
}
