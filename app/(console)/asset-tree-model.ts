import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import type { AssetLevel } from "@/lib/generated/prisma/enums";

export const levelLabels: Record<AssetLevel, string> = {
  ENTERPRISE: "Enterprise",
  SITE: "Site",
  AREA: "Area",
  LINE: "Line",
  WORK_CELL: "Machine",
};

export type TAssetCounts = { sites: number; lines: number; machines: number };

export function countAssets(forest: TAssetNode[]): TAssetCounts {
  const counts: TAssetCounts = { sites: 0, lines: 0, machines: 0 };
  const visit = (node: TAssetNode) => {
    if (node.level === "SITE") counts.sites += 1;
    else if (node.level === "LINE") counts.lines += 1;
    else if (node.level === "WORK_CELL") counts.machines += 1;
    node.children.forEach(visit);
  };
  forest.forEach(visit);
  return counts;
}

export function normalizeFilter(text: string): string {
  return text.trim().toLowerCase();
}

export type TFilterResult = {
  /** Assets whose name or path contains the filter text. */
  matched: Set<string>;
  /** The matches plus their ancestors (to place them) and descendants (a matched line shows its machines). */
  shown: Set<string>;
};

/** null when there is no filter text: everything is shown. */
export function filterTree(forest: TAssetNode[], filter: string): TFilterResult | null {
  if (!filter) return null;
  const matched = new Set<string>();
  const shown = new Set<string>();
  const showAll = (node: TAssetNode) => {
    shown.add(node.id);
    node.children.forEach(showAll);
  };
  // Returns whether anything at or below the node is shown, so ancestors know to show themselves.
  const visit = (node: TAssetNode): boolean => {
    if (node.name.toLowerCase().includes(filter) || node.path.toLowerCase().includes(filter)) {
      matched.add(node.id);
      showAll(node);
      node.children.forEach(visit);
      return true;
    }
    let below = false;
    for (const child of node.children) below = visit(child) || below;
    if (below) shown.add(node.id);
    return below;
  };
  forest.forEach(visit);
  return { matched, shown };
}

export type TTreeRow = {
  node: TAssetNode;
  /** 1-based, as aria-level wants. */
  level: number;
  parentId: string | null;
  posInSet: number;
  setSize: number;
  expandable: boolean;
  expanded: boolean;
};

/** The rows a person can see, in order: what the tree renders and what arrow keys walk. */
export function visibleRows(forest: TAssetNode[], shown: Set<string> | null, isExpanded: (node: TAssetNode) => boolean): TTreeRow[] {
  const rows: TTreeRow[] = [];
  const visit = (siblings: TAssetNode[], level: number, parentId: string | null) => {
    const visible = shown ? siblings.filter((node) => shown.has(node.id)) : siblings;
    visible.forEach((node, index) => {
      const expandable = shown ? node.children.some((child) => shown.has(child.id)) : node.children.length > 0;
      const expanded = expandable && isExpanded(node);
      rows.push({ node, level, parentId, posInSet: index + 1, setSize: visible.length, expandable, expanded });
      if (expanded) visit(node.children, level + 1, node.id);
    });
  };
  visit(forest, 1, null);
  return rows;
}

/** Open down to lines, so lines show their machines; anything below a machine starts closed. */
export function isExpandedByDefault(node: TAssetNode): boolean {
  return node.level !== "WORK_CELL";
}

/** Splits text around each case-insensitive occurrence of the filter, for highlighting. */
export function splitOnMatch(text: string, filter: string): { text: string; match: boolean }[] {
  const lower = text.toLowerCase();
  // Some letters change length when lower-cased; positions would no longer line up.
  if (!filter || lower.length !== text.length) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  let from = 0;
  for (let at = lower.indexOf(filter); at !== -1; at = lower.indexOf(filter, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + filter.length), match: true });
    from = at + filter.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}
