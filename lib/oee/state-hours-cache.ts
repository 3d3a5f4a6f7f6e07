/**
 * state_hours as last read, per machine, for as long as its coverage version stays the same: a
 * refresh (the only writer) bumps the version in the same transaction, so a matching version means
 * the rows are unchanged. Saves a dashboard that asks for the same month again and again most of the
 * work. Per process, bounded.
 */

/** Hour start (epoch ms) → [code, ms, code, ms, …]. */
export type THourSpans = Map<number, number[]>;

type TEntry = { version: string; from: number; to: number; hours: THourSpans };

const entries = new Map<string, TEntry>();
const maxEntries = 1_000;

/** The machine's hours in [from, to) if they were read at this version (the entry may hold more). */
export function cachedStateHours(assetId: string, version: string, from: number, to: number): THourSpans | undefined {
  const entry = entries.get(assetId);
  return entry && entry.version === version && entry.from <= from && entry.to >= to ? entry.hours : undefined;
}

export function rememberStateHours(assetId: string, version: string, from: number, to: number, hours: THourSpans): void {
  entries.delete(assetId);
  // Oldest first out: a Map iterates in insertion order.
  if (entries.size >= maxEntries) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.set(assetId, { version, from, to, hours });
}
