import { fetchJson } from "../api/fetch-json";
import { queryKeys } from "../query-keys";
import type { TAssetNode } from "./find-asset-tree";

/** The console's one query of the asset tree (GET /api/v1/assets), shared so every view reads the same cache entry. */
export const assetTreeQuery = {
  queryKey: queryKeys.assets.tree(),
  queryFn: async ({ signal }: { signal: AbortSignal }) => (await fetchJson<{ data: TAssetNode[] }>("/api/v1/assets", { signal })).data,
};

/** Every node of the forest, depth first, in tree order. */
export function flattenTree(forest: readonly TAssetNode[]): TAssetNode[] {
  const nodes: TAssetNode[] = [];
  const visit = (node: TAssetNode) => {
    nodes.push(node);
    node.children.forEach(visit);
  };
  forest.forEach(visit);
  return nodes;
}
