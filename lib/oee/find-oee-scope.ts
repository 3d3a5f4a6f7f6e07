import { assertPathInScope, type TSiteScope } from "../auth/site-scope";
import { getDb } from "../db";
import { AppError } from "../errors";
import { isTimeZone } from "../time-zone";

export type TScopeAsset = { id: string; path: string; name: string; level: string };

export type TOeeMachine = TScopeAsset & {
  /** The machine and its ancestors: shifts and work orders set on any of them apply to it. */
  ownerIds: string[];
  /** Its SITE ancestor (or itself), whose reason codes classify its states; null above any site. */
  siteId: string | null;
  /** The admin's ideal cycle time for the machine: used for parts counted while no work order gives one. */
  idealCycleTimeMs: number | null;
};

export type TOeeScope = {
  asset: TScopeAsset;
  /** The site's IANA zone for calendar buckets; UTC when the asset is above any site or the zone is unusable. */
  timeZone: string;
  warnings: string[];
  machines: TOeeMachine[];
};

type TAssetRow = TScopeAsset & { parentId: string | null; timeZone: string | null; idealCycleTimeMs: number | null; hasData: boolean; below: boolean };

/**
 * The asset at `path` and the machines its OEE is made of: a work cell is itself; any other level
 * is every asset at or below it that has recorded states or counts. 404 when there is no such asset.
 */
export async function findOeeScope(path: string, siteScope: TSiteScope): Promise<TOeeScope> {
  assertPathInScope(siteScope, path);
  // One round trip: the asset's ancestors (for shifts, work orders and the site) and its subtree.
  const rows = await getDb().$queryRaw<TAssetRow[]>`
    WITH RECURSIVE target AS (
      SELECT id, parent_id FROM assets WHERE path = ${path}
    ), up AS (
      SELECT a.id, a.parent_id FROM assets a JOIN target t ON a.id = t.parent_id
      UNION ALL
      SELECT a.id, a.parent_id FROM assets a JOIN up ON a.id = up.parent_id
    ), down AS (
      SELECT id, parent_id FROM target
      UNION ALL
      SELECT a.id, a.parent_id FROM assets a JOIN down d ON a.parent_id = d.id
    ), scope AS (
      SELECT id, false AS below FROM up UNION ALL SELECT id, true FROM down
    )
    SELECT a.id, a.path, a.name, a.level::text AS level, a.parent_id AS "parentId", a.time_zone AS "timeZone", a.ideal_cycle_time_ms AS "idealCycleTimeMs", s.below,
           -- "ORDER BY time LIMIT 1" rather than EXISTS: it makes the planner take the (asset_id, time) key
           -- instead of scanning the whole table for assets without data.
           s.below AND ((SELECT e.time FROM state_events e WHERE e.asset_id = a.id ORDER BY e.time LIMIT 1) IS NOT NULL
                        OR (SELECT c.time FROM production_counts c WHERE c.asset_id = a.id ORDER BY c.time LIMIT 1) IS NOT NULL) AS "hasData"
    FROM scope s JOIN assets a ON a.id = s.id`;
  const target = rows.find((row) => row.path === path);
  if (!target) throw new AppError("not_found", `No asset with path "${path}".`);

  const byId = new Map(rows.map((row) => [row.id, row]));
  const lineage = (row: TAssetRow): TAssetRow[] => {
    const chain: TAssetRow[] = [];
    for (let current: TAssetRow | undefined = row; current && chain.length < 16; current = current.parentId ? byId.get(current.parentId) : undefined) chain.push(current);
    return chain;
  };
  const siteOf = (row: TAssetRow) => lineage(row).find((candidate) => candidate.level === "SITE") ?? null;

  const machineRows = target.level === "WORK_CELL" ? [target] : rows.filter((row) => row.below && row.hasData);
  const machines = machineRows
    .map((row) => ({ ...pick(row), ownerIds: lineage(row).map((owner) => owner.id), siteId: siteOf(row)?.id ?? null, idealCycleTimeMs: row.idealCycleTimeMs }))
    .sort((a, b) => a.path.localeCompare(b.path));

  const warnings: string[] = [];
  const site = siteOf(target);
  let timeZone = site?.timeZone ?? "UTC";
  if (!isTimeZone(timeZone)) {
    warnings.push(`site time zone "${timeZone}" is unknown: calendar buckets use UTC`);
    timeZone = "UTC";
  }
  return { asset: pick(target), timeZone, warnings, machines };
}

function pick(row: TAssetRow): TScopeAsset {
  return { id: row.id, path: row.path, name: row.name, level: row.level };
}
