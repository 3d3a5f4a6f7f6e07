import { getDb } from "../db";

/** One advisory lock for every refresh: a refresh is short, and one at a time cannot deadlock. */
const refreshLockKey = 0x0ee5_7a7e;

/**
 * Brings state_hours up to date for these machines before a long-range OEE reads it. A machine never
 * refreshed is built from its first state event; otherwise its hours are rebuilt from the earliest
 * event logged since (by the state_events trigger) or from its coverage, whichever is earlier — a live
 * machine costs the last hour or so, a back-filled week costs that week. Idempotent; a machine with
 * nothing to do costs nothing.
 */
export async function refreshStateHours(machineIds: readonly string[]): Promise<void> {
  if (!machineIds.length) return;
  const ids = [...machineIds];
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL jit = off`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${refreshLockKey}::bigint)`;
    // Claimed changes are deleted with the rebuild, atomically: a failed refresh leaves them for the next.
    const targets = await tx.$queryRaw<{ assetId: string; since: string }[]>`
      WITH claimed AS (
        DELETE FROM state_event_changes WHERE asset_id = ANY(${ids}::uuid[]) RETURNING asset_id, time
      ), earliest AS (
        SELECT asset_id, min(time) AS time FROM claimed GROUP BY asset_id
      )
      SELECT m.id AS "assetId",
             CASE WHEN v.asset_id IS NULL THEN '-infinity'
                  ELSE to_char(date_bin('1 hour', LEAST(c.time, v.covered_until), TIMESTAMPTZ '2000-01-01 00:00:00+00') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
             END AS since
      FROM unnest(${ids}::uuid[]) AS m(id)
      LEFT JOIN earliest c ON c.asset_id = m.id
      LEFT JOIN state_hour_coverage v ON v.asset_id = m.id
      WHERE v.asset_id IS NULL OR c.asset_id IS NOT NULL`;
    if (!targets.length) return;
    const targetIds = targets.map((target) => target.assetId);
    const since = targets.map((target) => target.since);

    await tx.$executeRaw`
      DELETE FROM state_hours h USING unnest(${targetIds}::uuid[], ${since}::timestamptz[]) AS t(asset_id, since)
      WHERE h.asset_id = t.asset_id AND h.bucket >= t.since`;
    // One statement, so the hours and the coverage come from one snapshot: an event committed meanwhile is
    // in neither, and its logged change brings it in next time.
    await tx.$executeRaw`
      WITH target AS (
        SELECT * FROM unnest(${targetIds}::uuid[], ${since}::timestamptz[]) AS t(asset_id, since)
      ), event AS (
        SELECT t.asset_id, t.since, e.time, e.state FROM target t CROSS JOIN LATERAL (
          (SELECT time, state FROM state_events WHERE asset_id = t.asset_id AND time <= t.since ORDER BY time DESC LIMIT 1)
          UNION ALL
          (SELECT time, state FROM state_events WHERE asset_id = t.asset_id AND time > t.since)
        ) e
      ), span AS (
        SELECT asset_id, GREATEST(time, since) AS start_time, lead(time) OVER (PARTITION BY asset_id ORDER BY time) AS end_time, state FROM event
      ), per_code AS (
        SELECT s.asset_id, h.bucket, s.state,
               sum(round(date_part('epoch', LEAST(s.end_time, h.bucket + interval '1 hour') - GREATEST(s.start_time, h.bucket)) * 1000))::bigint AS ms
        FROM span s CROSS JOIN LATERAL generate_series(
          date_bin('1 hour', s.start_time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), s.end_time - interval '1 millisecond', interval '1 hour'
        ) AS h(bucket)
        WHERE s.end_time IS NOT NULL
        GROUP BY 1, 2, 3
      ), hours AS (
        INSERT INTO state_hours (asset_id, bucket, spans)
        SELECT asset_id, bucket, string_agg(state || ':' || ms, ' ' ORDER BY state) FROM per_code GROUP BY 1, 2
      )
      INSERT INTO state_hour_coverage AS v (asset_id, covered_until, refreshed_at)
      SELECT t.asset_id, (SELECT max(e.time) FROM event e WHERE e.asset_id = t.asset_id), now() FROM target t
      ON CONFLICT (asset_id) DO UPDATE SET covered_until = EXCLUDED.covered_until, refreshed_at = EXCLUDED.refreshed_at, version = v.version + 1`;
    // Changes of assets never refreshed are of no use (their first refresh reads everything). Safe under
    // the lock: no first build can be running in another transaction.
    await tx.$executeRaw`
      DELETE FROM state_event_changes c WHERE NOT EXISTS (SELECT 1 FROM state_hour_coverage v WHERE v.asset_id = c.asset_id)`;
  }, { timeout: 120_000, maxWait: 30_000 });
}
