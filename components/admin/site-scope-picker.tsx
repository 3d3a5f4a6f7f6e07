"use client";

import { useQuery } from "@tanstack/react-query";
import { assetTreeQuery, flattenTree } from "@/lib/assets/asset-tree-query";

/**
 * Which sites a user is limited to: none ticked means every site. A disclosure with checkboxes, so it
 * works with touch and keyboard alike and takes one line until opened.
 */
export function SiteScopePicker({ label, value, onChange, disabled = false }: {
  label: string;
  value: readonly string[];
  onChange: (siteIds: string[]) => void;
  disabled?: boolean;
}) {
  const tree = useQuery(assetTreeQuery);
  const sites = flattenTree(tree.data ?? []).filter((node) => node.level === "SITE");
  const names = sites.filter((site) => value.includes(site.id)).map((site) => site.name);
  const summary = value.length === 0 ? "All sites" : names.join(", ") || `${value.length} site(s)`;

  return (
    <details>
      <summary aria-label={`${label}: ${summary}`} className="flex min-h-11 cursor-pointer list-none items-center rounded-md border border-line-strong bg-surface px-3 text-sm lg:min-h-9">
        {summary}
      </summary>
      <fieldset disabled={disabled} className="mt-1 min-w-56 space-y-1 rounded-md border border-line bg-surface p-2">
        <legend className="sr-only">{label}</legend>
        {sites.length === 0 ? <p className="px-1 text-xs text-fg-muted">No sites yet.</p> : null}
        {sites.map((site) => (
          <label key={site.id} className="flex min-h-11 items-center gap-2 rounded px-1 text-sm hover:bg-subtle lg:min-h-8">
            <input type="checkbox" checked={value.includes(site.id)}
              onChange={(event) => onChange(event.target.checked ? [...value, site.id] : value.filter((id) => id !== site.id))} />
            {site.name}
          </label>
        ))}
        <p className="px-1 pt-1 text-xs text-fg-muted">None ticked: every site. Admins are always plant-wide.</p>
      </fieldset>
    </details>
  );
}
