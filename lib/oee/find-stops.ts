import type { TSiteScope } from "../auth/site-scope";
import { z } from "zod";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { findOeeScope, type TScopeAsset } from "./find-oee-scope";
import { refineRange, ZAssetRange } from "./range-query";
import { loadReasonCodeRows, siteReasons, type TSiteReasons } from "./reason-codes";
import { baseCode, classifyState, type TStateCategory } from "./state-classification";
import { toCsv, type TCsvColumn } from "../csv/to-csv";
import { withoutJit } from "./without-jit";

export const ZStopsQuery = refineRange(ZAssetRange.extend({
  format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json"),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
}));
export type TStopsQuery = z.infer<typeof ZStopsQuery>;

export type TStop = {
  assetPath: string;
  assetName: string;
  /** The state event that starts the stop (its identity for reclassification). */
  start: string;
  /** The next state event; null while the stop goes on. */
  end: string | null;
  /** The part of the stop inside the queried range and before now. */
  durationMs: number;
  /** The code the machine reported. */
  stateCode: number;
  /** The classification's code if a supervisor gave one, else the reported code. */
  reasonCode: number;
  reasonName: string;
  category: TStateCategory;
  comment: string | null;
  classifiedBy: string | null;
  classifiedAt: string | null;
};

export type TStopRow = {
  assetId: string;
  start: Date;
  end: Date | null;
  stateCode: number;
  classifiedCode: number | null;
  comment: string | null;
  classifiedBy: string | null;
  classifiedAt: Date | null;
};

/**
 * Stops (state intervals that are not running, after classification) of an asset's machines that
 * overlap [from, to), newest first.
 */
export async function findStops(query: TStopsQuery, siteScope: TSiteScope, now = Date.now()): Promise<{ stops: TStop[]; truncated: boolean }> {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const scope = await findOeeScope(query.asset, siteScope);
  if (!scope.machines.length) return { stops: [], truncated: false };
  const reasonRows = await loadReasonCodeRows(scope.machines.map((machine) => machine.siteId));
  const machines = scope.machines.map((machine) => ({ machine, reasons: siteReasons(reasonRows, machine.siteId) }));
  const rows = await loadStopRows(machines.map(({ machine, reasons }) => ({ id: machine.id, ...surelyRunning(reasons) })), from, to, query.limit + 1);
  const byId = new Map(machines.map((entry) => [entry.machine.id, entry]));
  const stops: TStop[] = [];
  for (const row of rows.slice(0, query.limit)) {
    const owner = byId.get(row.assetId);
    if (!owner) continue;
    const stop = toStop(row, owner.machine, owner.reasons, { start: from, end: Math.min(to, now) });
    // The database left out what is surely running; this is the one place that decides.
    if (stop.category !== "running") stops.push(stop);
  }
  return { stops, truncated: rows.length > query.limit };
}

/**
 * Codes the database may skip because they are running under the site's classification: whole blocks
 * (10000, 20000, 50000 by default) unless some code in the block is overridden to a stop, and single
 * codes overridden to running. Anything else comes back and is classified in findStops.
 */
function surelyRunning(reasons: TSiteReasons): { runningBlocks: number[]; runningCodes: number[] } {
  const overrides = [...reasons.classification];
  const runningBlocks: number[] = [];
  for (let block = 0; block < 1_000_000; block += blockSize) {
    const blockRunning = classifyState(block, reasons.classification).category === "running";
    const stopInside = overrides.some(([code, category]) => baseCode(code) === block && category !== "running");
    if (blockRunning && !stopInside) runningBlocks.push(block);
  }
  const runningCodes = overrides.filter(([, category]) => category === "running").map(([code]) => code);
  return { runningBlocks, runningCodes };
}

const blockSize = 10_000;

/**
 * The state intervals of the machines overlapping [from, to) that may be stops, with their
 * classification, newest first, at most `limit`. Ends are looked up for the returned rows only.
 */
export async function loadStopRows(
  machines: { id: string; runningBlocks: number[]; runningCodes: number[] }[], from: number, to: number, limit: number,
): Promise<TStopRow[]> {
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  const ids = machines.map((machine) => machine.id);
  const skips = machines.flatMap((machine, index) => [
    ...machine.runningBlocks.map((block) => ({ n: index + 1, value: block, block: true })),
    ...machine.runningCodes.map((code) => ({ n: index + 1, value: code, block: false })),
  ]);
  return withoutJit(getDb().$queryRaw<TStopRow[]>`
    WITH machine AS (
      SELECT * FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS m(asset_id, n)
    ), skip AS (
      SELECT * FROM unnest(${skips.map((skip) => skip.n)}::int[], ${skips.map((skip) => skip.value)}::int[], ${skips.map((skip) => skip.block)}::bool[]) AS k(n, value, block)
    ), event AS (
      SELECT m.n, e.asset_id, e.time, e.state FROM machine m JOIN state_events e ON e.asset_id = m.asset_id
      WHERE e.time > ${fromIso}::timestamptz AND e.time < ${toIso}::timestamptz
      UNION ALL
      SELECT m.n, m.asset_id, p.time, p.state FROM machine m CROSS JOIN LATERAL (
        SELECT e.time, e.state FROM state_events e WHERE e.asset_id = m.asset_id AND e.time <= ${fromIso}::timestamptz ORDER BY e.time DESC LIMIT 1
      ) p
    ), candidate AS (
      SELECT e.asset_id, e.time, e.state, c.reason_code, c.comment, c.classified_by, c.classified_at
      FROM event e LEFT JOIN stop_classifications c ON c.asset_id = e.asset_id AND c.start_time = e.time
      WHERE NOT EXISTS (
        SELECT 1 FROM skip k WHERE k.n = e.n AND k.value = CASE WHEN k.block THEN COALESCE(c.reason_code, e.state) / ${blockSize} * ${blockSize} ELSE COALESCE(c.reason_code, e.state) END
      )
    ), newest AS (
      SELECT * FROM candidate ORDER BY time DESC, asset_id LIMIT ${limit}
    ), stop AS (
      SELECT s.*, (SELECT x.time FROM state_events x WHERE x.asset_id = s.asset_id AND x.time > s.time ORDER BY x.time LIMIT 1) AS next_time
      FROM newest s
    )
    SELECT asset_id AS "assetId", time AS start, next_time AS "end", state AS "stateCode",
           reason_code AS "classifiedCode", comment, classified_by AS "classifiedBy", classified_at AS "classifiedAt"
    FROM stop
    -- Only the interval in force at "from" can have ended before the range.
    WHERE next_time IS NULL OR next_time > ${fromIso}::timestamptz
    ORDER BY time DESC, asset_id`);
}

/** The interval that starts with the machine's state event at `start`, with its classification. */
export async function findStopRow(reader: Pick<Prisma.TransactionClient, "$queryRaw">, assetId: string, start: Date): Promise<TStopRow | null> {
  const rows = await reader.$queryRaw<TStopRow[]>`
    SELECT e.asset_id AS "assetId", e.time AS start,
           (SELECT n.time FROM state_events n WHERE n.asset_id = e.asset_id AND n.time > e.time ORDER BY n.time LIMIT 1) AS "end",
           e.state AS "stateCode", c.reason_code AS "classifiedCode", c.comment, c.classified_by AS "classifiedBy", c.classified_at AS "classifiedAt"
    FROM state_events e LEFT JOIN stop_classifications c ON c.asset_id = e.asset_id AND c.start_time = e.time
    WHERE e.asset_id = ${assetId}::uuid AND e.time = ${start.toISOString()}::timestamptz`;
  return rows[0] ?? null;
}

/** `window`: the part of the stop to measure (the queried range up to now). */
export function toStop(row: TStopRow, machine: TScopeAsset, reasons: TSiteReasons, window: { start: number; end: number }): TStop {
  const reasonCode = row.classifiedCode ?? row.stateCode;
  const start = row.start.getTime();
  const end = row.end?.getTime() ?? null;
  return {
    assetPath: machine.path,
    assetName: machine.name,
    start: row.start.toISOString(),
    end: row.end?.toISOString() ?? null,
    durationMs: Math.max(0, Math.min(end ?? window.end, window.end) - Math.max(start, window.start)),
    stateCode: row.stateCode,
    reasonCode,
    reasonName: reasons.nameOf(reasonCode),
    category: classifyState(reasonCode, reasons.classification).category,
    comment: row.comment,
    classifiedBy: row.classifiedBy,
    classifiedAt: row.classifiedAt?.toISOString() ?? null,
  };
}

const stopColumns: TCsvColumn<TStop>[] = [
  { header: "assetPath", value: (stop) => stop.assetPath },
  { header: "assetName", value: (stop) => stop.assetName },
  { header: "start", value: (stop) => stop.start },
  { header: "end", value: (stop) => stop.end },
  { header: "durationMs", value: (stop) => stop.durationMs },
  { header: "stateCode", value: (stop) => stop.stateCode },
  { header: "reasonCode", value: (stop) => stop.reasonCode },
  { header: "reasonName", value: (stop) => stop.reasonName },
  { header: "category", value: (stop) => stop.category },
  { header: "comment", value: (stop) => stop.comment },
  { header: "classifiedBy", value: (stop) => stop.classifiedBy },
  { header: "classifiedAt", value: (stop) => stop.classifiedAt },
];

export function stopsToCsv(stops: readonly TStop[]): string {
  return toCsv(stops, stopColumns);
}
