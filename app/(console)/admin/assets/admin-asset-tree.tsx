"use client";

import { useMemo, useState, type CSSProperties } from "react";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { levelLabels, splitOnMatch, visibleRows, type TFilterResult } from "../../asset-tree-model";
import { useTreeKeyboard } from "../../use-tree-keyboard";
import { canDropOn, type TAdminNode } from "./asset-admin-model";

/**
 * The hierarchy as a WAI-ARIA tree with one selected asset: one tab stop, arrow keys to move,
 * Right/Left to open and close, Enter/Space to select, type-ahead on names. On a desktop a row can be dragged onto a
 * parent of the right level to move it; the "Move to…" picker does the same by keyboard and touch.
 */
export function AdminAssetTree({
  forest, byId, filter, filterResult, selectedId, labelledBy, onSelect, onDropMove,
}: {
  forest: TAdminNode[];
  byId: Map<string, TAdminNode>;
  filter: string;
  filterResult: TFilterResult | null;
  selectedId: string | null;
  labelledBy: string;
  onSelect: (id: string) => void;
  onDropMove: (asset: TAdminNode, parent: TAdminNode) => void;
}) {
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const [dragging, setDragging] = useState<TAdminNode | null>(null);
  const [dropTargetId, setDropTargetId] = useState<string | null>(null);

  // Searching opens everything that is shown, so every match is in view with its ancestors.
  const rows = useMemo(
    () => visibleRows(forest, filterResult?.shown ?? null, (node) => (filter ? true : !collapsed[node.id])),
    [forest, filterResult, filter, collapsed],
  );

  const { tabStopId, onKeyDown, rowRef, setFocusedId } = useTreeKeyboard({
    rows,
    preferredId: selectedId,
    // While searching, everything shown stays open so every match is in view.
    locked: Boolean(filter),
    setExpanded: (id, expanded) => setCollapsed((current) => ({ ...current, [id]: !expanded })),
    activate: (row) => onSelect(row.node.id),
  });

  return (
    <ul role="tree" aria-labelledby={labelledBy} onKeyDown={onKeyDown} className="py-1.5" data-testid="asset-admin-tree">
      {rows.map((row) => {
        const node = byId.get(row.node.id);
        if (!node) return null;
        const selected = node.id === selectedId;
        const droppable = dragging ? canDropOn(dragging, node) : false;
        return (
          <li
            key={node.id}
            ref={rowRef(node.id)}
            role="treeitem"
            aria-level={row.level}
            aria-setsize={row.setSize}
            aria-posinset={row.posInSet}
            aria-expanded={row.expandable ? row.expanded : undefined}
            aria-selected={selected}
            aria-label={[node.name, levelLabels[node.level], node.retiredAt ? "retired" : null].filter(Boolean).join(", ")}
            tabIndex={node.id === tabStopId ? 0 : -1}
            title={node.path}
            data-path={node.path}
            draggable={!node.retiredAt && node.level !== "ENTERPRISE"}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = "move";
              event.dataTransfer.setData("text/plain", node.path);
              setDragging(node);
            }}
            onDragEnd={() => {
              setDragging(null);
              setDropTargetId(null);
            }}
            onDragOver={(event) => {
              if (!droppable) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = "move";
              setDropTargetId(node.id);
            }}
            onDragLeave={() => setDropTargetId((current) => (current === node.id ? null : current))}
            onDrop={(event) => {
              event.preventDefault();
              const asset = dragging;
              setDragging(null);
              setDropTargetId(null);
              if (asset && canDropOn(asset, node)) onDropMove(asset, node);
            }}
            onClick={() => {
              setFocusedId(node.id);
              onSelect(node.id);
            }}
            onFocus={() => setFocusedId(node.id)}
            style={{ "--depth": row.level - 1 } as CSSProperties}
            className={cx(
              "mx-1.5 flex min-h-11 cursor-pointer items-center gap-2 rounded-md pr-2 pl-[calc(var(--depth)*1.25rem+0.25rem)] lg:min-h-9",
              "hover:bg-subtle focus-visible:outline-offset-[-2px]",
              selected && "bg-accent-soft text-accent-text hover:bg-accent-soft",
              droppable && "outline-1 outline-dashed outline-accent",
              dropTargetId === node.id && "bg-accent-soft",
            )}
          >
            {/* Keyboard users open and close with the arrow keys; this is the pointer's way. */}
            <span
              aria-hidden="true"
              className={cx("flex size-8 shrink-0 items-center justify-center rounded text-fg-muted hover:bg-subtle", !row.expandable && "invisible")}
              onClick={(event) => {
                // Opening and closing is not selecting.
                event.stopPropagation();
                if (!filter) setCollapsed((current) => ({ ...current, [node.id]: row.expanded }));
              }}
            >
              <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" className={cx("size-4 transition-transform", row.expanded && "rotate-90")}>
                <path d="M6 4l4 4-4 4" />
              </svg>
            </span>
            <span className={cx("min-w-0 flex-1 truncate text-sm", node.level !== "WORK_CELL" && "font-medium", node.retiredAt && "text-fg-muted line-through")}>
              <Highlighted text={node.name} filter={filter} active={filterResult?.matched.has(node.id) ?? false} />
            </span>
            {node.retiredAt ? <Badge>Retired</Badge> : null}
            <Badge>{levelLabels[node.level]}</Badge>
          </li>
        );
      })}
    </ul>
  );
}

/** Asset names are text, never HTML: React escapes them, including the highlighted parts. */
function Highlighted({ text, filter, active }: { text: string; filter: string; active: boolean }) {
  if (!active) return text;
  return splitOnMatch(text, filter).map((part, index) =>
    part.match ? <mark key={index} className="rounded-sm bg-accent-soft text-accent-text">{part.text}</mark> : part.text,
  );
}
