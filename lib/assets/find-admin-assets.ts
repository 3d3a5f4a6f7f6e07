import { assertPathInScope, isPathAboveScope, isPathInScope, type TSiteScope } from "../auth/site-scope";
import { z } from "zod";
import { getDb } from "../db";
import { AppError } from "../errors";
import { adminAssetSelect, toAdminAsset, type TAdminAsset } from "./asset-fields";
import { findDescendantIds } from "./asset-guards";
import { buildTree, type TTreeNode } from "./find-asset-tree";

// Not strict: the plain tree ignored query parameters before there were any, and still does.
export const ZAssetTreeQuery = z.object({
  retired: z.enum(["exclude", "include"], { error: "retired must be exclude or include" }).optional().meta({
    description: "include: every asset, retired ones too, with the fields the admin page edits (slug, notes, retiredAt, …).",
  }),
});

export type TAdminAssetNode = TTreeNode<TAdminAsset>;

/** Every asset, retired ones included, as a forest sorted by name; what the admin page edits. */
export async function findAdminAssetTree(siteScope: TSiteScope): Promise<TAdminAssetNode[]> {
  const rows = await getDb().asset.findMany({ select: adminAssetSelect, orderBy: [{ name: "asc" }, { path: "asc" }] });
  return buildTree(rows.filter((row) => isPathInScope(siteScope, row.path) || isPathAboveScope(siteScope, row.path)).map(toAdminAsset));
}

export type TAdminAssetDetail = TAdminAsset & { activeDescendants: number };

/** One asset with the admin fields, retired or not; 404 when there is none. */
export async function findAdminAsset(id: string, siteScope: TSiteScope): Promise<TAdminAssetDetail> {
  const db = getDb();
  const row = await db.asset.findUnique({ where: { id }, select: adminAssetSelect });
  if (!row) throw new AppError("not_found", "No such asset.");
  assertPathInScope(siteScope, row.path, "No such asset.");
  const activeDescendants = (await findDescendantIds(db, row.path, null)).length;
  return { ...toAdminAsset(row), activeDescendants };
}
