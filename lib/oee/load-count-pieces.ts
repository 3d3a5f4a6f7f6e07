import { getDb } from "../db";
import { hoursSplitByBoundaries, splitWindow, type TCountPiece } from "./condense-timeline";
import { unpackRows } from "./packed-rows";
import { boundaryParameters, iso } from "./sql-parameters";
import { withoutJit } from "./without-jit";

const hourMs = 3_600_000;

export type TCountRequest = {
  machineIds: string[];
  /** Per machine: from, every instant that changes how a part counts (bucket, shift and cycle-time edges, now), to. */
  boundaries: ReadonlyMap<string, readonly number[]>;
  from: number;
  to: number;
  /** Read hourly totals (production_hours) instead of every count message wherever that is exact. */
  useHourlyTotals: boolean;
};

/** Count messages to sum, within one segment of one machine. */
type TRawWindow = { assetId: string; segment: number; start: number; end: number };

/**
 * Parts per (machine, segment) in [from, to). Over long ranges whole hours come from production_hours,
 * which the ingest writer keeps in the same transaction as production_counts (so they are exact). An
 * hour a boundary cuts reads count messages for all its pieces but the largest, which gets the hour's
 * total minus the others: a work order that starts at 10:50 costs ten minutes of rows, not an hour.
 */
export async function loadCountPieces(request: TCountRequest): Promise<Map<string, TCountPiece[]>> {
  const { machineIds, boundaries, from, to } = request;
  const pieces = new Map<string, TCountPiece[]>(machineIds.map((id) => [id, []]));
  if (!machineIds.length) return pieces;

  const windows: TRawWindow[] = [];
  /** Per machine, the cut hours whose largest piece (this segment) is the hour's total minus the rest. */
  const remainders = new Map<string, Map<number, number>>(machineIds.map((id) => [id, new Map()]));
  for (const assetId of machineIds) {
    const segments = boundaries.get(assetId) ?? [];
    if (!request.useHourlyTotals) {
      windows.push(...splitWindow(segments, from, to).map((part) => ({ assetId, ...part })));
      continue;
    }
    for (const hour of hoursSplitByBoundaries(segments)) {
      const parts = splitWindow(segments, Math.max(hour, from), Math.min(hour + hourMs, to));
      // An hour only partly inside the range has a total that is not all ours: read it whole.
      const whole = hour >= from && hour + hourMs <= to;
      const largest = whole ? parts.reduce((best, part) => (part.end - part.start > best.end - best.start ? part : best)) : undefined;
      if (largest) remainders.get(assetId)?.set(hour, largest.segment);
      for (const part of parts) if (part !== largest) windows.push({ assetId, ...part });
    }
  }

  const numberOf = new Map(machineIds.map((id, index) => [id, index + 1]));
  const bounds = boundaryParameters(machineIds, boundaries);
  const db = getDb();
  const [raw, hourly] = await Promise.all([
    windows.length ? withoutJit(db.$queryRaw<{ packed: string | null }[]>`
      WITH machine AS (
        SELECT * FROM unnest(${machineIds}::uuid[]) WITH ORDINALITY AS m(asset_id, n)
      ), win AS (
        SELECT * FROM unnest(${windows.map((w) => numberOf.get(w.assetId) ?? 0)}::int[], ${windows.map((w) => iso(w.start))}::timestamptz[], ${windows.map((w) => iso(w.end))}::timestamptz[])
          WITH ORDINALITY AS w(n, window_start, window_end, index)
      ), total AS (
        SELECT w.index, sum(c.count) AS count, sum(c.scrap) AS scrap
        FROM win w JOIN machine m ON m.n = w.n
        -- OFFSET 0 keeps this a per-window index range scan; flattened, the planner merge-joins every window with every row.
        CROSS JOIN LATERAL (
          SELECT count, scrap FROM production_counts WHERE asset_id = m.asset_id AND time >= w.window_start AND time < w.window_end OFFSET 0
        ) c
        GROUP BY w.index
      )
      SELECT string_agg(index || ',' || count || ',' || scrap, ';') AS packed FROM total`) : Promise.resolve([{ packed: null }]),
    // Clean hours summed per segment in the database (a shift is eight rows); cut hours come back one by one.
    request.useHourlyTotals ? db.$queryRaw<{ packed: string | null; cut: string | null }[]>`
      WITH machine AS (
        SELECT m.asset_id, m.n, b.b
        FROM unnest(${machineIds}::uuid[]) WITH ORDINALITY AS m(asset_id, n)
        JOIN (SELECT n, array_agg(t ORDER BY t) AS b FROM unnest(${bounds.machineNumbers}::int[], ${bounds.epochMs}::float8[]) AS x(n, t) GROUP BY n) b ON b.n = m.n
      ), hour AS (
        SELECT m.n, h.bucket, h.count, h.scrap, width_bucket(date_part('epoch', h.bucket) * 1000, m.b) AS first, width_bucket(date_part('epoch', h.bucket) * 1000 + ${hourMs - 1}, m.b) AS last
        FROM machine m JOIN production_hours h ON h.asset_id = m.asset_id AND h.bucket >= ${iso(from)}::timestamptz AND h.bucket < ${iso(to)}::timestamptz
      ), clean AS (
        SELECT n, first - 1 AS segment, sum(count) AS count, sum(scrap) AS scrap FROM hour WHERE first = last GROUP BY 1, 2
      )
      SELECT (SELECT string_agg(n || ',' || segment || ',' || count || ',' || scrap, ';') FROM clean) AS packed,
             (SELECT string_agg(n || ',' || (date_part('epoch', bucket) / 3600)::int || ',' || count || ',' || scrap, ';') FROM hour WHERE first <> last) AS cut` : Promise.resolve([{ packed: null, cut: null }]),
  ]);

  // Packed raw rows are [window number (1-based), count, scrap].
  const rawByHour = new Map<string, { count: number; scrap: number }>();
  for (const [windowNumber, count = 0, scrap = 0] of unpackRows(raw[0]?.packed, 3)) {
    const window = windows[(windowNumber ?? 0) - 1];
    if (!window) continue;
    pieces.get(window.assetId)?.push({ segment: window.segment, count, scrap });
    const key = `${window.assetId}@${Math.floor(window.start / hourMs) * hourMs}`;
    const sum = rawByHour.get(key) ?? { count: 0, scrap: 0 };
    sum.count += count;
    sum.scrap += scrap;
    rawByHour.set(key, sum);
  }
  // Packed clean rows are [machine number (1-based), segment, count, scrap].
  for (const [machine, segment = 0, count = 0, scrap = 0] of unpackRows(hourly[0]?.packed, 4)) {
    const assetId = machineIds[(machine ?? 0) - 1];
    if (assetId !== undefined) pieces.get(assetId)?.push({ segment, count, scrap });
  }
  // Packed cut rows are [machine number, hours since the epoch, count, scrap]: the largest piece gets the rest.
  for (const [machine, hourNumber = 0, count = 0, scrap = 0] of unpackRows(hourly[0]?.cut, 4)) {
    const assetId = machineIds[(machine ?? 0) - 1];
    const hour = hourNumber * hourMs;
    const remainderSegment = assetId === undefined ? undefined : remainders.get(assetId)?.get(hour);
    if (assetId === undefined || remainderSegment === undefined) continue;
    const rest = rawByHour.get(`${assetId}@${hour}`) ?? { count: 0, scrap: 0 };
    pieces.get(assetId)?.push({ segment: remainderSegment, count: count - rest.count, scrap: scrap - rest.scrap });
  }
  return pieces;
}
