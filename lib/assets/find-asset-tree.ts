import { getDb } from "../db";
import type { AssetLevel } from "../generated/prisma/enums";

export type TAssetNode = {
  id: string;
  name: string;
  path: string;
  level: AssetLevel;
  parentId: string | null;
  type: { key: string; name: string; version: number } | null;
  /** IANA zone; set on sites (shift times, days and charts are in the site's zone). */
  timeZone: string | null;
  children: TAssetNode[];
};

type TAssetRow = Omit<TAssetNode, "children">;

/** The active (not retired) asset hierarchy as a forest, children sorted by name. */
export async function findAssetTree(): Promise<TAssetNode[]> {
  const rows = await getDb().asset.findMany({
    where: { retiredAt: null },
    select: {
      id: true, name: true, path: true, level: true, parentId: true, timeZone: true,
      typeVersion: { select: { version: true, type: { select: { key: true, name: true } } } },
    },
    orderBy: { name: "asc" },
  });
  return buildTree(
    rows.map(({ typeVersion, ...row }) => ({
      ...row,
      type: typeVersion ? { key: typeVersion.type.key, name: typeVersion.type.name, version: typeVersion.version } : null,
    })),
  );
}

/** Pure: links rows into a forest; a row whose parent is missing (retired) becomes a root. */
export function buildTree(rows: TAssetRow[]): TAssetNode[] {
  const nodes = new Map(rows.map((row) => [row.id, { ...row, children: [] as TAssetNode[] }]));
  const roots: TAssetNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
