import { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";
import { adminAssetSelect, type TAdminAssetRow } from "./asset-fields";

/**
 * Serialises changes to the hierarchy: two moves checked at once could each pass the cycle and
 * sibling checks and together break the tree. Held until the transaction ends.
 */
export async function lockAssetTree(tx: Prisma.TransactionClient) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopfloor:asset-tree'))`;
}

/** The asset as it is now, inside the transaction; 404 when there is none. */
export async function loadAsset(tx: Prisma.TransactionClient, id: string, what = "asset"): Promise<TAdminAssetRow> {
  const asset = await tx.asset.findUnique({ where: { id }, select: adminAssetSelect });
  if (!asset) throw new AppError("not_found", `No such ${what}.`);
  return asset;
}

/** Changes to a retired asset would be invisible in the console; restoring it is the one change allowed. */
export function assertActive(asset: { name: string; path: string; retiredAt: Date | null }, what: string) {
  if (asset.retiredAt) throw new AppError("conflict", `${asset.name} (${asset.path}) is retired: restore it before ${what}.`);
}

/** 409 naming the sibling that already has the path, retired or not, so the admin knows what to do. */
export async function assertPathFree(tx: Prisma.TransactionClient, path: string, slug: string, exceptId?: string) {
  const holder = await tx.asset.findUnique({ where: { path }, select: { id: true, name: true, retiredAt: true } });
  if (!holder || holder.id === exceptId) return;
  throw new AppError(
    "conflict",
    holder.retiredAt
      ? `The slug "${slug}" is taken here by the retired asset ${holder.name} (${path}): restore it, or choose another slug.`
      : `The slug "${slug}" is already used here by ${holder.name} (${path}): choose another slug.`,
    { issues: [{ path: "slug", message: holder.retiredAt ? `"${slug}" is taken by the retired asset ${holder.name}: restore it, or choose another slug` : `"${slug}" is already used by ${holder.name}: choose another slug` }] },
  );
}

/** A type version given by id must exist: 404 naming it, rather than a foreign-key error. */
export async function assertTypeVersionExists(tx: Prisma.TransactionClient, typeVersionId: string) {
  const found = await tx.assetTypeVersion.findUnique({ where: { id: typeVersionId }, select: { id: true } });
  if (!found) throw new AppError("not_found", `No asset type version ${typeVersionId}: pick one from the asset types.`, { issues: [{ path: "typeVersionId", message: "no such asset type version" }] });
}

/**
 * The ids of the assets below `path`, active ones or those retired at one instant. starts_with rather
 * than LIKE: "_" is a LIKE wildcard and slugs may contain it.
 */
export async function findDescendantIds(tx: Prisma.TransactionClient, path: string, retiredAt: Date | null): Promise<string[]> {
  const rows = retiredAt
    ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM assets WHERE starts_with(path, ${`${path}/`}) AND retired_at = ${retiredAt}`
    : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM assets WHERE starts_with(path, ${`${path}/`}) AND retired_at IS NULL`;
  return rows.map((row) => row.id);
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
