import type { TCommandDefinition, TDeclaration, TMetricDefinition, TStateDefinition } from "./declaration";

/** What changed from one version's declaration to the next. Pure; the types page shows it. */

export type TFieldChange = { field: string; before: unknown; after: unknown };
export type TEntryChange<T> = { key: string; before: T; after: T; changes: TFieldChange[] };
export type TListDiff<T> = { added: T[]; removed: T[]; changed: TEntryChange<T>[] };
export type TDeclarationDiff = {
  metrics: TListDiff<TMetricDefinition>;
  states: TListDiff<TStateDefinition>;
  commands: TListDiff<TCommandDefinition>;
};

/** JSON with object keys sorted, so that equal values (e.g. a payload schema read back from jsonb) compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function diffList<T extends object>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string): TListDiff<T> {
  const beforeByKey = new Map(before.map((item) => [keyOf(item), item]));
  const afterByKey = new Map(after.map((item) => [keyOf(item), item]));
  const changed: TEntryChange<T>[] = [];
  for (const [key, next] of afterByKey) {
    const previous = beforeByKey.get(key);
    if (!previous) continue;
    const fields = [...new Set([...Object.keys(previous), ...Object.keys(next)])];
    const changes = fields
      .map((field) => ({ field, before: (previous as Record<string, unknown>)[field] ?? null, after: (next as Record<string, unknown>)[field] ?? null }))
      .filter((change) => canonicalJson(change.before) !== canonicalJson(change.after));
    if (changes.length) changed.push({ key, before: previous, after: next, changes });
  }
  return {
    added: after.filter((item) => !beforeByKey.has(keyOf(item))),
    removed: before.filter((item) => !afterByKey.has(keyOf(item))),
    changed,
  };
}

export function diffDeclarations(before: TDeclaration, after: TDeclaration): TDeclarationDiff {
  return {
    metrics: diffList(before.metrics, after.metrics, (metric) => metric.name),
    states: diffList(before.states, after.states, (state) => String(state.code)),
    commands: diffList(before.commands, after.commands, (command) => command.name),
  };
}

export function isEmptyDiff(diff: TDeclarationDiff): boolean {
  return Object.values(diff).every((list) => !list.added.length && !list.removed.length && !list.changed.length);
}
