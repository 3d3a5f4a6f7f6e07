import { childLevelOf, parentLevelOf } from "@/lib/assets/asset-fields";
import type { TAdminAssetNode } from "@/lib/assets/find-admin-assets";

/** What the admin page receives: the admin tree as JSON (dates as ISO strings). */
export type TAdminNode = Omit<TAdminAssetNode, "retiredAt" | "createdAt" | "updatedAt" | "children"> & {
  retiredAt: string | null;
  createdAt: string;
  updatedAt: string;
  children: TAdminNode[];
};

/** Every node by id, for looking up what a tree row shows. */
export function indexNodes(forest: TAdminNode[]): Map<string, TAdminNode> {
  const byId = new Map<string, TAdminNode>();
  const visit = (node: TAdminNode) => {
    byId.set(node.id, node);
    node.children.forEach(visit);
  };
  forest.forEach(visit);
  return byId;
}

/** The forest without retired assets (and what is below them), for the default view. */
export function withoutRetired(forest: TAdminNode[]): TAdminNode[] {
  return forest.filter((node) => !node.retiredAt).map((node) => ({ ...node, children: withoutRetired(node.children) }));
}

/** The ancestors of an asset from the top, itself excluded. */
export function ancestorsOf(byId: Map<string, TAdminNode>, node: TAdminNode): TAdminNode[] {
  const chain: TAdminNode[] = [];
  for (let current = node.parentId ? byId.get(node.parentId) : undefined; current && chain.length < 8; current = current.parentId ? byId.get(current.parentId) : undefined) chain.unshift(current);
  return chain;
}

/** Where an asset can be moved: active assets of the level above its own, other than its parent, sorted by path. */
export function moveTargets(byId: Map<string, TAdminNode>, node: TAdminNode): TAdminNode[] {
  const level = parentLevelOf(node.level);
  if (!level) return [];
  return [...byId.values()]
    .filter((candidate) => candidate.level === level && !candidate.retiredAt && candidate.id !== node.parentId)
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether `target` is a parent `dragged` may be dropped on. */
export function canDropOn(dragged: TAdminNode, target: TAdminNode): boolean {
  return !dragged.retiredAt && !target.retiredAt && target.id !== dragged.parentId && childLevelOf(target.level) === dragged.level;
}

/** The active assets below a node, which retiring it on its own would leave without a place. */
export function countActiveBelow(node: TAdminNode): number {
  return node.children.reduce((sum, child) => sum + (child.retiredAt ? 0 : 1 + countActiveBelow(child)), 0);
}

/** The assets below a node retired at the same instant as it: what "restore with its subtree" brings back. */
export function countRetiredTogether(node: TAdminNode): number {
  if (!node.retiredAt) return 0;
  const at = node.retiredAt;
  const visit = (children: TAdminNode[]): number => children.reduce((sum, child) => sum + (child.retiredAt === at ? 1 + visit(child.children) : 0), 0);
  return visit(node.children);
}

/** The path an asset would have under a parent path with a slug. */
export function pathUnder(parentPath: string | null, slug: string): string {
  return parentPath ? `${parentPath}/${slug}` : slug;
}
