import { getDb } from "../db";
import { splitIntoSegments, type TStatePiece } from "./condense-timeline";
import { PackedReader, unpackRows } from "./packed-rows";
import { refreshStateHours } from "./refresh-state-hours";
import { cachedStatePieces, rememberStatePieces, type TStoredPiece } from "./state-hours-cache";
import { iso } from "./sql-parameters";
import { withoutJit } from "./without-jit";

const hourMs = 3_600_000;

export type TStateRequest = {
  machineIds: string[];
  /** Per machine: from, every instant that changes how a moment of state counts (bucket and shift edges), until, to. */
  boundaries: ReadonlyMap<string, readonly number[]>;
  from: number;
  /** Nothing after this is known (min(to, now)). */
  until: number;
  /** Read stored pieces of hours from state_hours instead of every event. */
  useHourlyTotals: boolean;
  /** From loadStateFacts, with the same useHourlyTotals. */
  facts: readonly TStateFact[];
};

export type TWindow = { assetId: string; start: number; end: number };
export type TPieceRow = { assetId: string; segment: number; code: number; ms: number };

/**
 * Time per (machine, segment, effective code) over [from, until). Sources: stored pieces of hours
 * (state_hours, long ranges) that no boundary cuts, every other stretch from the events themselves, time
 * before a machine's first event as unknown (code null), and supervisors' classifications moved from the
 * raw code to theirs.
 */
export async function loadStatePieces(request: TStateRequest): Promise<Map<string, TStatePiece[]>> {
  const { machineIds, boundaries, from, until, facts } = request;
  const pieces = new Map<string, TStatePiece[]>(machineIds.map((id) => [id, []]));
  if (!machineIds.length || until <= from) return pieces;

  // state_hours is complete up to each machine's coverage; from that hour on events are read.
  const tailWindows: TWindow[] = [];
  const hourlyEnds = new Map<string, number>();
  for (const fact of facts) {
    const covered = request.useHourlyTotals && fact.coveredUntil !== null ? Math.floor(fact.coveredUntil / hourMs) * hourMs : from;
    const hourlyEnd = Math.min(until, Math.max(from, covered));
    hourlyEnds.set(fact.assetId, hourlyEnd);
    if (hourlyEnd < until) tailWindows.push({ assetId: fact.assetId, start: hourlyEnd, end: until });
  }

  const hourly = machineIds.map((id) => hourlyEnds.get(id) ?? from);
  const versions = new Map(facts.map((fact) => [fact.assetId, fact.version]));
  const storedThenCut = async (): Promise<TPieceRow[]> => {
    if (!hourly.some((end) => end > from)) return [];
    const stored = sumStoredPieces(machineIds, boundaries, hourly, from, await loadStoredPieces(machineIds, hourly, from, versions));
    // Pieces a boundary cuts (a shift or bucket edge the calendar did not know, the range's own ends) read their events.
    return stored.cut.length ? [...stored.pieces, ...(await loadRawPieces(machineIds, boundaries, stored.cut))] : stored.pieces;
  };
  const [storedPieces, tailPieces, classified] = await Promise.all([
    storedThenCut(),
    tailWindows.length ? loadRawPieces(machineIds, boundaries, tailWindows) : Promise.resolve([]),
    loadClassifiedIntervals(machineIds, from, until),
  ]);

  // A piece row is a TStatePiece with its machine: pushed as it is, not copied (a month of a site is tens of thousands).
  for (const source of [storedPieces, tailPieces]) for (const piece of source) pieces.get(piece.assetId)?.push(piece);
  for (const fact of facts) {
    const own = pieces.get(fact.assetId);
    const segments = boundaries.get(fact.assetId) ?? [];
    // Before a machine's first state event nothing is known about it.
    const knownFrom = Math.min(fact.firstEvent ?? until, until);
    if (own && knownFrom > from) for (const part of splitIntoSegments(segments, from, knownFrom)) own.push({ segment: part.segment, code: null, ms: part.ms });
  }
  for (const interval of classified) {
    const own = pieces.get(interval.assetId);
    if (!own) continue;
    for (const part of splitIntoSegments(boundaries.get(interval.assetId) ?? [], Math.max(interval.start, from), Math.min(interval.end ?? until, until))) {
      own.push({ segment: part.segment, code: interval.stateCode, ms: -part.ms }, { segment: part.segment, code: interval.reasonCode, ms: part.ms });
    }
  }
  return pieces;
}

export type TStateFact = { assetId: string; firstEvent: number | null; coveredUntil: number | null; version: string | null; stale: boolean };

/**
 * Per machine: its first state event and how far state_hours covers it. With `useHourlyTotals`,
 * state_hours is first brought up to date with every change logged for these machines.
 */
export async function loadStateFacts(machineIds: string[], useHourlyTotals: boolean): Promise<TStateFact[]> {
  const facts = await loadFacts(machineIds);
  if (!useHourlyTotals || !facts.some((fact) => fact.stale)) return facts;
  await refreshStateHours(machineIds);
  return loadFacts(machineIds);
}

function loadFacts(machineIds: string[]) {
  return getDb().$queryRaw<TStateFact[]>`
    SELECT m.id AS "assetId",
           (SELECT (EXTRACT(EPOCH FROM e.time) * 1000)::float8 FROM state_events e WHERE e.asset_id = m.id ORDER BY e.time LIMIT 1) AS "firstEvent",
           (EXTRACT(EPOCH FROM v.covered_until) * 1000)::float8 AS "coveredUntil",
           v.version::text AS version,
           v.asset_id IS NULL OR EXISTS (SELECT 1 FROM state_event_changes c WHERE c.asset_id = m.id) AS stale
    FROM unnest(${machineIds}::uuid[]) AS m(id) LEFT JOIN state_hour_coverage v ON v.asset_id = m.id`;
}

/**
 * Each machine's stored pieces that start in [the hour of from, hourlyEnd), start-sorted; a piece ends
 * where the next one of its hour starts, or at the hour's end (after a machine's first event every stretch
 * of an hour has a row). From the cache while the machine's coverage version is unchanged, else as packed
 * "machine number,piece start in epoch ms,code:ms code:ms …" rows.
 */
async function loadStoredPieces(
  machineIds: string[], hourlyEnds: number[], from: number, versions: ReadonlyMap<string, string | null>,
): Promise<TStoredPiece[][]> {
  const firstHour = Math.floor(from / hourMs) * hourMs;
  const piecesOf = machineIds.map((id, index) => {
    const version = versions.get(id);
    return version ? cachedStatePieces(id, version, firstHour, hourlyEnds[index] ?? from) : undefined;
  });
  const missing = machineIds.map((_id, index) => index).filter((index) => !piecesOf[index] && (hourlyEnds[index] ?? from) > from);
  if (!missing.length) return piecesOf.map((pieces) => pieces ?? []);

  const [row] = await getDb().$queryRaw<{ packed: string | null }[]>`
    SELECT string_agg(m.n || ',' || (date_part('epoch', h.bucket) * 1000)::bigint || ',' || h.spans, ';' ORDER BY m.n, h.bucket) AS packed
    FROM unnest(${missing.map((index) => machineIds[index])}::uuid[], ${missing.map((index) => iso(hourlyEnds[index] ?? from))}::timestamptz[], ${missing.map((index) => index + 1)}::int[])
      AS m(asset_id, hourly_end, n)
    JOIN state_hours h ON h.asset_id = m.asset_id AND h.bucket >= ${iso(firstHour)}::timestamptz AND h.bucket < m.hourly_end`;
  for (const index of missing) piecesOf[index] = [];
  const reader = new PackedReader(row?.packed ?? "");
  while (!reader.done) {
    const pieces = piecesOf[reader.int() - 1];
    const start = reader.int();
    const spans: number[] = [];
    do spans.push(reader.int(), reader.int()); while (reader.inList);
    const previous = pieces?.at(-1);
    if (previous && Math.floor(previous.start / hourMs) === Math.floor(start / hourMs)) previous.end = start;
    pieces?.push({ start, end: Math.floor(start / hourMs) * hourMs + hourMs, spans });
  }
  for (const index of missing) {
    const id = machineIds[index];
    const version = id === undefined ? undefined : versions.get(id);
    const pieces = piecesOf[index];
    if (id !== undefined && version && pieces) rememberStatePieces(id, version, firstHour, hourlyEnds[index] ?? from, pieces);
  }
  return piecesOf.map((pieces) => pieces ?? []);
}

/**
 * Stored pieces summed per (machine, segment, code) where no boundary cuts them (a segment holds many), and
 * the windows of [from, hourlyEnd) under the pieces a boundary does cut, whose events must be read.
 */
export function sumStoredPieces(
  machineIds: readonly string[], boundaries: ReadonlyMap<string, readonly number[]>, hourlyEnds: readonly number[], from: number, piecesOf: readonly (readonly TStoredPiece[])[],
): { pieces: TPieceRow[]; cut: TWindow[] } {
  const pieces: TPieceRow[] = [];
  const cut: TWindow[] = [];
  machineIds.forEach((assetId, index) => {
    const segments = boundaries.get(assetId) ?? [];
    const end = hourlyEnds[index] ?? from;
    // Pieces and boundaries are both time-sorted: one walk through both. A segment's sums (a few codes each)
    // are complete when a piece of a later segment comes.
    let segment = 0;
    let sums: TPieceRow[] = [];
    for (const piece of piecesOf[index] ?? []) {
      // A cached entry may hold more than this range.
      if (piece.end <= from || piece.start >= end) continue;
      while (segment + 1 < segments.length && (segments[segment + 1] ?? 0) <= piece.start) segment++;
      if (piece.start < from || piece.end > end || (segments[segment + 1] ?? Number.POSITIVE_INFINITY) < piece.end) {
        const window = { assetId, start: Math.max(piece.start, from), end: Math.min(piece.end, end) };
        const last = cut.at(-1);
        if (last && last.assetId === assetId && last.end === window.start) last.end = window.end;
        else cut.push(window);
        continue;
      }
      if (sums[0] && sums[0].segment !== segment) {
        pieces.push(...sums);
        sums = [];
      }
      for (let item = 0; item < piece.spans.length; item += 2) {
        const code = piece.spans[item] ?? 0;
        const ms = piece.spans[item + 1] ?? 0;
        const sum = sums.find((candidate) => candidate.code === code);
        if (sum) sum.ms += ms;
        else sums.push({ assetId, segment, code, ms });
      }
    }
    pieces.push(...sums);
  });
  return { pieces, cut };
}

/**
 * Each window's events, the one in force at its start first, as packed [window, time ms, state] rows;
 * the spans are cut into segments here, which is cheaper than window functions in the database.
 */
async function loadRawPieces(machineIds: string[], boundaries: ReadonlyMap<string, readonly number[]>, windows: TWindow[]): Promise<TPieceRow[]> {
  const numberOf = new Map(machineIds.map((id, index) => [id, index + 1]));
  const [row] = await withoutJit(getDb().$queryRaw<{ packed: string | null }[]>`
    WITH machine AS (
      SELECT * FROM unnest(${machineIds}::uuid[]) WITH ORDINALITY AS m(asset_id, n)
    ), win AS (
      SELECT * FROM unnest(${windows.map((w) => numberOf.get(w.assetId) ?? 0)}::int[], ${windows.map((w) => iso(w.start))}::timestamptz[], ${windows.map((w) => iso(w.end))}::timestamptz[])
        WITH ORDINALITY AS w(n, window_start, window_end, index)
    )
    SELECT string_agg(w.index || ',' || (date_part('epoch', e.time) * 1000)::bigint || ',' || e.state, ';' ORDER BY w.index, e.time) AS packed
    FROM win w JOIN machine m ON m.n = w.n
    CROSS JOIN LATERAL (
      (SELECT time, state FROM state_events WHERE asset_id = m.asset_id AND time <= w.window_start ORDER BY time DESC LIMIT 1)
      UNION ALL
      (SELECT time, state FROM state_events WHERE asset_id = m.asset_id AND time > w.window_start AND time < w.window_end)
    ) e`);
  const pieces: TPieceRow[] = [];
  const events = unpackRows(row?.packed, 3);
  events.forEach(([windowNumber, time, state], index) => {
    const window = windows[(windowNumber ?? 0) - 1];
    if (!window || time === undefined || state === undefined) return;
    const next = events[index + 1];
    const end = next && next[0] === windowNumber ? (next[1] ?? window.end) : window.end;
    for (const part of splitIntoSegments(boundaries.get(window.assetId) ?? [], Math.max(time, window.start), end)) {
      pieces.push({ assetId: window.assetId, segment: part.segment, code: state, ms: part.ms });
    }
  });
  return pieces;
}

/** Stops a supervisor classified with another code, overlapping [from, until): few rows, applied on top of raw codes. */
function loadClassifiedIntervals(machineIds: string[], from: number, until: number) {
  return getDb().$queryRaw<{ assetId: string; start: number; end: number | null; stateCode: number; reasonCode: number }[]>`
    SELECT c.asset_id AS "assetId", (EXTRACT(EPOCH FROM c.start_time) * 1000)::float8 AS start,
           (EXTRACT(EPOCH FROM n.time) * 1000)::float8 AS "end", e.state AS "stateCode", c.reason_code AS "reasonCode"
    FROM stop_classifications c
    JOIN state_events e ON e.asset_id = c.asset_id AND e.time = c.start_time
    LEFT JOIN LATERAL (
      SELECT time FROM state_events x WHERE x.asset_id = c.asset_id AND x.time > c.start_time ORDER BY x.time LIMIT 1
    ) n ON true
    WHERE c.asset_id = ANY(${machineIds}::uuid[]) AND c.start_time < ${iso(until)}::timestamptz AND c.reason_code <> e.state
      AND (n.time IS NULL OR n.time > ${iso(from)}::timestamptz)`;
}
