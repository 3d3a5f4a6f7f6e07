"use client";

import { useId, useMemo, useState, type CSSProperties } from "react";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import type { TLatestAsset } from "@/lib/assets/find-latest-values";
import { isExpandedByDefault, levelLabels, splitOnMatch, visibleRows, type TFilterResult } from "./asset-tree-model";
import { LatestValues, StatePill } from "./live-status";
import { useTreeKeyboard } from "./use-tree-keyboard";

type TExpandedOverrides = Record<string, boolean>;

/**
 * The asset hierarchy as a WAI-ARIA tree: one tab stop, arrow keys to move, open and close,
 * Home/End, Enter/Space to toggle, and type-ahead on names. Rows are a flat list with
 * aria-level/-setsize/-posinset, which keeps focus styling to one row.
 */
export function AssetTree({
  forest,
  filter,
  filterResult,
  labelledBy,
  latest,
}: {
  forest: TAssetNode[];
  filter: string;
  filterResult: TFilterResult | null;
  labelledBy: string;
  /** Current state and values by asset id; lines and machines show them. */
  latest: ReadonlyMap<string, TLatestAsset>;
}) {
  const idPrefix = useId();
  const [overrides, setOverrides] = useState<TExpandedOverrides>({});
  // Open/closed choices made while filtering belong to that filter; clearing it restores the plain view.
  const [filterOverrides, setFilterOverrides] = useState<{ filter: string; expanded: TExpandedOverrides }>({ filter: "", expanded: {} });

  const rows = useMemo(() => {
    const chosen = filter ? (filterOverrides.filter === filter ? filterOverrides.expanded : {}) : overrides;
    // While filtering, everything shown starts open so every match is in view.
    return visibleRows(forest, filterResult?.shown ?? null, (node) => chosen[node.id] ?? (filter ? true : isExpandedByDefault(node)));
  }, [forest, filterResult, filter, filterOverrides, overrides]);

  function setExpanded(id: string, expanded: boolean) {
    if (filter) setFilterOverrides((current) => ({ filter, expanded: { ...(current.filter === filter ? current.expanded : {}), [id]: expanded } }));
    else setOverrides((current) => ({ ...current, [id]: expanded }));
  }

  const { tabStopId, onKeyDown, rowRef, setFocusedId } = useTreeKeyboard({
    rows, setExpanded, activate: (row) => { if (row.expandable) setExpanded(row.node.id, !row.expanded); },
  });

  return (
    <ul role="tree" aria-labelledby={labelledBy} onKeyDown={onKeyDown} className="py-1.5">
      {rows.map((row) => {
        const live = row.node.level === "LINE" || row.node.level === "WORK_CELL" ? latest.get(row.node.id) : undefined;
        const values = row.node.level === "WORK_CELL" ? (live?.values ?? []) : [];
        const stateId = `${idPrefix}-${row.node.id}-state`;
        const valuesId = `${idPrefix}-${row.node.id}-values`;
        const describedBy = [live?.state ? stateId : null, values.length ? valuesId : null].filter(Boolean).join(" ");
        return (
          <li
            key={row.node.id}
            ref={rowRef(row.node.id)}
            // ARIA 1.2 no longer requires aria-selected on treeitem; nothing here is selectable, and
            // aria-selected="false" on every row would be read out as "not selected".
            // eslint-disable-next-line jsx-a11y/role-has-required-aria-props
            role="treeitem"
            aria-level={row.level}
            aria-setsize={row.setSize}
            aria-posinset={row.posInSet}
            aria-expanded={row.expandable ? row.expanded : undefined}
            tabIndex={row.node.id === tabStopId ? 0 : -1}
            onClick={() => {
              setFocusedId(row.node.id);
              if (row.expandable) setExpanded(row.node.id, !row.expanded);
            }}
            onFocus={() => setFocusedId(row.node.id)}
            aria-label={[row.node.name, levelLabels[row.node.level], row.node.level === "WORK_CELL" ? row.node.type?.name : null].filter(Boolean).join(", ")}
            // State and values are read after the name, rather than folded into it.
            aria-describedby={describedBy || undefined}
            title={row.node.path}
            style={{ "--depth": row.level - 1 } as CSSProperties}
            className={cx(
              "mx-1.5 flex min-h-11 cursor-default items-center gap-2 rounded-md pr-3 pl-[calc(var(--depth)*1rem+0.5rem)] sm:pl-[calc(var(--depth)*1.5rem+0.5rem)] lg:min-h-9",
              "hover:bg-subtle focus-visible:bg-subtle focus-visible:outline-offset-[-2px]",
              row.expandable && "cursor-pointer",
            )}
          >
            <Chevron expandable={row.expandable} expanded={row.expanded} />
            {/* Laid out by the row's own width (indent and sidebar included): narrow, name, state and values
                stack; wider, the state moves beside the name; wide, all three share one line. */}
            <span className="@container min-w-0 flex-1">
              <span className="grid grid-cols-1 items-center gap-x-3 gap-y-1 py-1 @sm:grid-cols-[minmax(0,1fr)_auto] @min-[52rem]:grid-cols-[minmax(10rem,1fr)_auto_15rem]">
                {/* The machine type goes under the name, so neither is cut short by the values beside them. */}
                <span className="flex min-w-0 flex-col">
                  <span className="flex min-w-0 items-center gap-2">
                    <span className={cx("min-w-0 truncate text-sm", row.node.level !== "WORK_CELL" && "font-medium")}>
                      <Highlighted text={row.node.name} filter={filter} active={filterResult?.matched.has(row.node.id) ?? false} />
                    </span>
                    <Badge>{levelLabels[row.node.level]}</Badge>
                  </span>
                  {row.node.level === "WORK_CELL" && row.node.type ? <span className="min-w-0 truncate text-xs text-fg-muted">{row.node.type.name}</span> : null}
                </span>
                {live?.state ? (
                  <StatePill
                    id={stateId}
                    state={live.state}
                    className="justify-self-start @sm:col-start-2 @sm:row-start-1 @sm:justify-self-end @min-[52rem]:col-start-3"
                  />
                ) : null}
                {values.length ? (
                  <LatestValues
                    id={valuesId}
                    values={values}
                    className="@sm:col-span-2 @min-[52rem]:col-span-1 @min-[52rem]:col-start-2 @min-[52rem]:row-start-1 @min-[52rem]:justify-end"
                  />
                ) : null}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function Chevron({ expandable, expanded }: { expandable: boolean; expanded: boolean }) {
  if (!expandable) return <span aria-hidden="true" className="size-4 shrink-0" />;
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
      className={cx("size-4 shrink-0 text-fg-muted transition-transform", expanded && "rotate-90")}
    >
      <path d="M6 4l4 4-4 4" />
    </svg>
  );
}

/** Asset names are text, never HTML: React escapes them, including the highlighted parts. */
function Highlighted({ text, filter, active }: { text: string; filter: string; active: boolean }) {
  if (!active) return text;
  return splitOnMatch(text, filter).map((part, index) =>
    part.match ? (
      <mark key={index} className="rounded-sm bg-accent-soft text-accent-text">
        {part.text}
      </mark>
    ) : (
      part.text
    ),
  );
}
