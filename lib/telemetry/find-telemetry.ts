import { assertPathInScope, type TSiteScope } from "../auth/site-scope";
import { z } from "zod";
import { getDb } from "../db";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";

const isoDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T06:00:00Z" });

export const ZTelemetryQuery = z
  .object({
    asset: z.string().min(1).max(512),
    metric: z.string().min(1).max(200),
    from: isoDateTime,
    to: isoDateTime,
    bucket: z.enum(["raw", "1m", "1h", "1d"]).default("raw"),
    /** IANA zone for 1d buckets; defaults to the asset's site zone, else UTC. */
    tz: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  })
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), { message: "from must be before to", path: ["from"] });

export type TTelemetryQuery = z.infer<typeof ZTelemetryQuery>;
export type TRawPoint = { time: string; value: number | boolean | string | null };
export type TBucketPoint = { time: string; avg: number; min: number; max: number; count: number; last: number };

/** Time-ordered values of one metric; buckets read the roll-ups, never the raw table. */
export async function findTelemetry(query: TTelemetryQuery, siteScope: TSiteScope): Promise<{ data: TRawPoint[] | TBucketPoint[]; meta: { truncated: boolean } }> {
  assertPathInScope(siteScope, query.asset);
  const db = getDb();
  const series = await db.$queryRaw<{ id: number; site_zone: string | null }[]>`
    SELECT s.id, site.time_zone AS site_zone
    FROM series s JOIN assets a ON a.id = s.asset_id
    LEFT JOIN assets site ON site.path = split_part(a.path, '/', 1) || '/' || split_part(a.path, '/', 2) AND site.level = 'SITE'
    WHERE a.path = ${query.asset} AND s.metric = ${query.metric}`;
  if (!series[0]) {
    const asset = await db.asset.findUnique({ where: { path: query.asset }, select: { id: true } });
    if (!asset) throw new AppError("not_found", `No asset with path "${query.asset}".`);
    return { data: [], meta: { truncated: false } };
  }
  const seriesId = series[0].id;
  const from = new Date(query.from);
  const to = new Date(query.to);
  const take = query.limit + 1;

  if (query.bucket === "raw") {
    const rows = await db.$queryRaw<{ time: Date; value_num: number | null; value_bool: boolean | null; value_text: string | null }[]>`
      SELECT time, value_num, value_bool, value_text FROM samples
      WHERE series_id = ${seriesId} AND time >= ${from} AND time < ${to}
      ORDER BY time LIMIT ${take}`;
    return {
      data: rows.slice(0, query.limit).map((row) => ({ time: row.time.toISOString(), value: row.value_num ?? row.value_bool ?? row.value_text })),
      meta: { truncated: rows.length > query.limit },
    };
  }

  type TRow = { time: Date; count: bigint | number; sum: number; min: number; max: number; last: number };
  let rows: TRow[];
  if (query.bucket === "1m" || query.bucket === "1h") {
    const table = query.bucket === "1m" ? Prisma.sql`sample_minutes` : Prisma.sql`sample_hours`;
    rows = await db.$queryRaw<TRow[]>`
      SELECT bucket AS time, count, sum, min, max, last_value AS last FROM ${table}
      WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to}
      ORDER BY bucket LIMIT ${take}`;
  } else {
    const zone = query.tz ?? series[0].site_zone ?? "UTC";
    await assertTimeZone(zone);
    rows = await db.$queryRaw<TRow[]>`
      SELECT (date_trunc('day', bucket AT TIME ZONE ${zone}) AT TIME ZONE ${zone}) AS time,
             sum(count) AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
             (array_agg(last_value ORDER BY last_time DESC))[1] AS last
      FROM sample_hours
      WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to}
      GROUP BY 1 ORDER BY 1 LIMIT ${take}`;
  }
  return {
    data: rows.slice(0, query.limit).map((row) => {
      const count = Number(row.count);
      return { time: row.time.toISOString(), avg: row.sum / count, min: row.min, max: row.max, count, last: row.last };
    }),
    meta: { truncated: rows.length > query.limit },
  };
}

async function assertTimeZone(zone: string) {
  const known = await getDb().$queryRaw<{ ok: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${zone}) AS ok`;
  if (!known[0]?.ok) throw new AppError("validation", `Unknown time zone "${zone}".`);
}
