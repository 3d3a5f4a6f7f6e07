import { isPathAboveScope, isPathInScope, type TSiteScope } from "../auth/site-scope";
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

/**
 * The active (not retired) asset hierarchy as a forest, children sorted by name. A caller limited to some
 * sites gets those sites' subtrees under their enterprise, and nothing of the other sites.
 */
export async function findAssetTree(siteScope: TSiteScope): Promise<TAssetNode[]> {
  const rows = await getDb().asset.findMany({
    where: { retiredAt: null },
    select: {
      id: true, name: true, path: true, level: true, parentId: true, timeZone: true,
      typeVersion: { select: { version: true, type: { select: { key: true, name: true } } } },
    },
    orderBy: { name: "asc" },
  });
  return buildTree<TAssetRow>(
    rows.filter((row) => isPathInScope(siteScope, row.path) || isPathAboveScope(siteScope, row.path)).map(({ typeVersion, ...row }) => ({
      ...row,
      type: typeVersion ? { key: typeVersion.type.key, name: typeVersion.type.name, version: typeVersion.version } : null,
    })),
  );
}

/** A row with its children, as buildTree links them. */
export type TTreeNode<TRow> = TRow & { children: TTreeNode<TRow>[] };

/** Pure: links rows into a forest; a row whose parent is missing (retired) becomes a root. */
export function buildTree<TRow extends { id: string; parentId: string | null }>(rows: TRow[]): TTreeNode<TRow>[] {
  const nodes = new Map(rows.map((row) => [row.id, { ...row, children: [] as TTreeNode<TRow>[] }]));
  const roots: TTreeNode<TRow>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
