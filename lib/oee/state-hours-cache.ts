/**
 * state_hours as last read, per machine, for as long as its coverage version stays the same: a
 * refresh (the only writer) bumps the version in the same transaction, so a matching version means
 * the rows are unchanged. Saves a dashboard that asks for the same month again and again most of the
 * work. Per process, bounded.
 */

/** One stored piece of an hour, [start, end), with its time per code: [code, ms, code, ms, …]. */
export type TStoredPiece = { start: number; end: number; spans: number[] };

type TEntry = { version: string; from: number; to: number; pieces: TStoredPiece[] };

const entries = new Map<string, TEntry>();
const maxEntries = 1_000;

/** The machine's pieces (start-sorted) starting in [from, to) if they were read at this version (the entry may hold more). */
export function cachedStatePieces(assetId: string, version: string, from: number, to: number): TStoredPiece[] | undefined {
  const entry = entries.get(assetId);
  return entry && entry.version === version && entry.from <= from && entry.to >= to ? entry.pieces : undefined;
}

export function rememberStatePieces(assetId: string, version: string, from: number, to: number, pieces: TStoredPiece[]): void {
  entries.delete(assetId);
  // Oldest first out: a Map iterates in insertion order.
  if (entries.size >= maxEntries) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.set(assetId, { version, from, to, pieces });
}
