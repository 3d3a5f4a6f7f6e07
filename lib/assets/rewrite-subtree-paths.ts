import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import type { Prisma } from "../generated/prisma/client";

/**
 * Gives the asset at `oldPath` and everything below it the prefix `newPath`, in the caller's
 * transaction. Each descendant's new path is audited (asset.path); the asset's own row is audited
 * by the caller with the rest of its change. Returns how many descendants moved.
 */
export async function rewriteSubtreePaths(tx: Prisma.TransactionClient, caller: TCaller, oldPath: string, newPath: string): Promise<number> {
  if (oldPath === newPath) return 0;
  // starts_with, not LIKE: "_" is a LIKE wildcard and slugs may contain it.
  const moved = await tx.$queryRaw<{ id: string; path: string }[]>`
    UPDATE assets SET path = ${newPath} || substr(path, ${oldPath.length + 1}), updated_at = now()
    WHERE path = ${oldPath} OR starts_with(path, ${`${oldPath}/`})
    RETURNING id, path`;
  const descendants = moved.filter((row) => row.path !== newPath).sort((a, b) => a.path.localeCompare(b.path));
  for (const row of descendants) {
    await recordAudit(tx, caller, {
      action: "asset.path", entity: "asset", entityId: row.id,
      before: { path: oldPath + row.path.slice(newPath.length) }, after: { path: row.path, because: `${oldPath} → ${newPath}` },
    });
  }
  return descendants.length;
}
