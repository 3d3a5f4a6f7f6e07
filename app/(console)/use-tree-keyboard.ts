"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import type { TTreeRow } from "./asset-tree-model";

/**
 * The WAI-ARIA tree keyboard of both asset trees: one tab stop (the focused row, else `preferredId`,
 * else the first), Up/Down/Home/End to move, Right/Left to open, close or go to the parent,
 * Enter/Space to `activate`, and type-ahead on names.
 */
export function useTreeKeyboard({ rows, preferredId = null, locked = false, setExpanded, activate }: {
  rows: readonly TTreeRow[];
  preferredId?: string | null;
  /** Rows neither open nor close (a search keeps everything open): Left goes to the parent. */
  locked?: boolean;
  setExpanded: (id: string, expanded: boolean) => void;
  activate: (row: TTreeRow) => void;
}) {
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const rowElements = useRef(new Map<string, HTMLLIElement>());
  const tabStopId = [focusedId, preferredId].find((id) => id !== null && rows.some((row) => row.node.id === id)) ?? rows[0]?.node.id ?? null;

  function focusRow(row: TTreeRow | undefined) {
    if (!row) return;
    setFocusedId(row.node.id);
    rowElements.current.get(row.node.id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = rows.findIndex((row) => row.node.id === tabStopId);
    const row = rows[index];
    if (!row) return;
    switch (event.key) {
      case "ArrowDown": focusRow(rows[index + 1]); break;
      case "ArrowUp": focusRow(rows[index - 1]); break;
      case "Home": focusRow(rows[0]); break;
      case "End": focusRow(rows[rows.length - 1]); break;
      case "ArrowRight":
        if (row.expandable && !row.expanded && !locked) setExpanded(row.node.id, true);
        else if (row.expanded) focusRow(rows[index + 1]);
        break;
      case "ArrowLeft":
        if (row.expanded && !locked) setExpanded(row.node.id, false);
        else focusRow(rows.find((candidate) => candidate.node.id === row.parentId));
        break;
      case "Enter":
      case " ":
        activate(row);
        break;
      default: {
        if (event.key.length !== 1) return;
        // Type-ahead: the next row whose name starts with the typed character.
        const char = event.key.toLowerCase();
        const ordered = [...rows.slice(index + 1), ...rows.slice(0, index + 1)];
        const found = ordered.find((candidate) => candidate.node.name.toLowerCase().startsWith(char));
        if (!found) return;
        focusRow(found);
      }
    }
    event.preventDefault();
  }

  /** The ref of a row's element, so that keys can move focus to it. */
  const rowRef = (id: string) => (element: HTMLLIElement | null) => {
    if (element) rowElements.current.set(id, element);
    else rowElements.current.delete(id);
  };

  return { tabStopId, onKeyDown, rowRef, setFocusedId };
}
