import { isPathAboveScope, isPathInScope, type TSiteScope } from "../auth/site-scope";
import { z } from "zod";
import { getDb } from "../db";
import { AppError } from "../errors";

export const ZLatestValuesQuery = z.object({
  path: z
    .string()
    .max(512)
    .transform((path) => path.replace(/\/+$/, ""))
    .pipe(z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "must be an asset path such as acme/detroit/press-shop")),
});

export type TLatestValuesQuery = z.infer<typeof ZLatestValuesQuery>;

export type TLatestValue = {
  metric: string;
  time: string;
  value: number | boolean | string;
  /** The source died (Sparkplug death) and nothing newer has arrived. */
  stale: boolean;
  /** From the asset type's metric declaration, when it has one. */
  unit: string | null;
  precision: number | null;
};

export type TLatestAsset = {
  assetId: string;
  path: string;
  state: { code: number; since: string } | null;
  values: TLatestValue[];
};

export type TLatestRow = {
  asset_id: string;
  path: string;
  state: number | null;
  state_since: Date | null;
  metric: string | null;
  stale_since: Date | null;
  time: Date | null;
  value_num: number | null;
  value_bool: boolean | null;
  value_text: string | null;
  unit: string | null;
  display_precision: number | null;
};

/**
 * Current state and latest value of every metric, for each active asset at or under a path.
 * One statement: each series' newest sample is one backward step on the (series_id, time) key.
 */
export async function findLatestValues(query: TLatestValuesQuery, siteScope: TSiteScope): Promise<TLatestAsset[]> {
  const notFound = () => new AppError("not_found", `No active asset with path "${query.path}".`);
  // Above the caller's sites (the enterprise) it sees only what is in them; beside them, nothing at all.
  if (!isPathInScope(siteScope, query.path) && !isPathAboveScope(siteScope, query.path)) throw notFound();
  const rows = await getDb().$queryRaw<TLatestRow[]>`
    WITH scope AS (
      SELECT id, path, type_version_id FROM assets
      WHERE retired_at IS NULL AND (path = ${query.path} OR starts_with(path, ${`${query.path}/`}))
    )
    SELECT a.id::text AS asset_id, a.path, st.state, st.time AS state_since,
           s.metric, s.stale_since,
           v.time, v.value_num, v.value_bool, v.value_text, md.unit, md.display_precision
    FROM scope a
    LEFT JOIN LATERAL (
      SELECT e.state, e.time FROM state_events e WHERE e.asset_id = a.id ORDER BY e.time DESC LIMIT 1
    ) st ON true
    LEFT JOIN series s ON s.asset_id = a.id
    LEFT JOIN LATERAL (
      SELECT x.time, x.value_num, x.value_bool, x.value_text FROM samples x WHERE x.series_id = s.id ORDER BY x.time DESC LIMIT 1
    ) v ON true
    LEFT JOIN metric_definitions md ON md.type_version_id = a.type_version_id AND md.name = s.metric
    ORDER BY a.path, md.id IS NULL, s.metric`;
  const visible = rows.filter((row) => isPathInScope(siteScope, row.path) || row.path === query.path);
  if (visible.length === 0) throw notFound();
  return groupLatestRows(visible);
}

/** Pure: one entry per asset, in row order (the SQL puts the metrics the type declares first, then by name). */
export function groupLatestRows(rows: TLatestRow[]): TLatestAsset[] {
  const assets = new Map<string, TLatestAsset>();
  for (const row of rows) {
    let asset = assets.get(row.asset_id);
    if (!asset) {
      asset = {
        assetId: row.asset_id,
        path: row.path,
        state: row.state !== null && row.state_since ? { code: row.state, since: row.state_since.toISOString() } : null,
        values: [],
      };
      assets.set(row.asset_id, asset);
    }
    const value = row.value_num ?? row.value_bool ?? row.value_text;
    // A series without a sample yet has nothing to show.
    if (row.metric === null || row.time === null || value === null) continue;
    asset.values.push({
      metric: row.metric,
      time: row.time.toISOString(),
      value,
      stale: row.stale_since !== null,
      unit: row.unit,
      precision: row.display_precision,
    });
  }
  return [...assets.values()];
}
