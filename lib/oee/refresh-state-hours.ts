import { getDb } from "../db";
import { loadSiteCalendars } from "../shifts/shift-calendars";
import { isTimeZone } from "../time-zone";
import { iso } from "./sql-parameters";
import { statePieceCuts } from "./state-piece-cuts";

const hourMs = 3_600_000;

/** One advisory lock for every refresh: a refresh is short, and one at a time cannot deadlock. */
const refreshLockKey = 0x0ee5_7a7e;

/**
 * Brings state_hours up to date for these machines before a long-range OEE reads it. A machine never
 * refreshed is built from its first state event; otherwise its hours are rebuilt from the earliest
 * event logged since (by the state_events trigger, or by a calendar change) or from its coverage,
 * whichever is earlier — a live machine costs the last hour or so, a back-filled week costs that week.
 * Each hour is stored as pieces split at its site's calendar edges (state-piece-cuts.ts), so a report
 * cut there by a break sums pieces instead of reading the hour's events. Idempotent; a machine with
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
    const targets = await tx.$queryRaw<TTarget[]>`
      WITH claimed AS (
        DELETE FROM state_event_changes WHERE asset_id = ANY(${ids}::uuid[]) RETURNING asset_id, time
      ), earliest AS (
        SELECT asset_id, min(time) AS time FROM claimed GROUP BY asset_id
      )
      SELECT m.id AS "assetId",
             CASE WHEN v.asset_id IS NULL THEN '-infinity'
                  ELSE to_char(date_bin('1 hour', LEAST(c.time, v.covered_until), TIMESTAMPTZ '2000-01-01 00:00:00+00') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
             END AS since,
             (EXTRACT(EPOCH FROM (SELECT e.time FROM state_events e WHERE e.asset_id = m.id ORDER BY e.time LIMIT 1)) * 1000)::float8 AS "firstEvent",
             (EXTRACT(EPOCH FROM (SELECT e.time FROM state_events e WHERE e.asset_id = m.id ORDER BY e.time DESC LIMIT 1)) * 1000)::float8 AS "lastEvent",
             s.id AS "siteId", s.time_zone AS "timeZone"
      FROM unnest(${ids}::uuid[]) AS m(id)
      LEFT JOIN assets a ON a.id = m.id
      LEFT JOIN LATERAL (SELECT s.id, s.time_zone FROM assets s WHERE s.level = 'SITE' AND (s.id = a.id OR starts_with(a.path, s.path || '/')) LIMIT 1) s ON true
      LEFT JOIN earliest c ON c.asset_id = m.id
      LEFT JOIN state_hour_coverage v ON v.asset_id = m.id
      WHERE v.asset_id IS NULL OR c.asset_id IS NOT NULL`;
    if (!targets.length) return;
    const targetIds = targets.map((target) => target.assetId);
    const since = targets.map((target) => target.since);
    // Pieces start on the hour: from `since`, or a first build from its first event's hour.
    const startAt = targets.map((target) => (target.since === "-infinity" ? target.firstEvent === null ? null : Math.floor(target.firstEvent / hourMs) * hourMs : Date.parse(target.since)));
    const cuts = await pieceCutsOfSites(targets, startAt);
    const siteNumbers = targets.map((target) => (target.siteId ? cuts.numbers.get(target.siteId) ?? 0 : 0));

    await tx.$executeRaw`
      DELETE FROM state_hours h USING unnest(${targetIds}::uuid[], ${since}::timestamptz[]) AS t(asset_id, since)
      WHERE h.asset_id = t.asset_id AND h.bucket >= t.since`;
    // One statement, so the pieces and the coverage come from one snapshot: an event committed meanwhile is
    // in neither, and its logged change brings it in next time. Events and piece edges (hours, calendar cuts)
    // are walked as one time-ordered stream per machine: each stretch until the next row lasts in the last
    // event's state and belongs to the last edge's piece.
    await tx.$executeRaw`
      WITH target AS (
        SELECT * FROM unnest(${targetIds}::uuid[], ${startAt.map((instant) => (instant === null ? null : iso(instant)))}::timestamptz[], ${siteNumbers}::int[])
          AS t(asset_id, start_at, site_n)
      ), cut AS (
        SELECT * FROM unnest(${cuts.siteNumbers}::int[], ${cuts.instants.map(iso)}::timestamptz[]) AS c(site_n, at)
      ), event AS (
        SELECT t.asset_id, e.time AS raw_time, GREATEST(e.time, t.start_at) AS time, e.state FROM target t CROSS JOIN LATERAL (
          (SELECT time, state FROM state_events WHERE asset_id = t.asset_id AND time <= t.start_at ORDER BY time DESC LIMIT 1)
          UNION ALL
          (SELECT time, state FROM state_events WHERE asset_id = t.asset_id AND time > t.start_at)
        ) e
      ), reach AS (
        SELECT asset_id, max(time) AS last_time FROM event GROUP BY asset_id
      ), edge AS (
        SELECT t.asset_id, h.at FROM target t JOIN reach r ON r.asset_id = t.asset_id
          CROSS JOIN LATERAL generate_series(t.start_at, r.last_time, interval '1 hour') AS h(at)
        UNION
        SELECT t.asset_id, c.at FROM target t JOIN reach r ON r.asset_id = t.asset_id
          JOIN cut c ON c.site_n = t.site_n AND c.at > t.start_at AND c.at < r.last_time
      ), stream AS (
        SELECT asset_id, time, state, 0 AS kind FROM event
        UNION ALL
        SELECT asset_id, at, NULL::int, 1 FROM edge
      ), walked AS (
        SELECT asset_id, time, state, kind,
               count(state) OVER w AS event_number,
               max(time) FILTER (WHERE kind = 1) OVER w AS bucket,
               lead(time) OVER w - time AS length
        FROM stream WINDOW w AS (PARTITION BY asset_id ORDER BY time, kind)
      ), carried AS (
        SELECT asset_id, bucket, length, first_value(state) OVER (PARTITION BY asset_id, event_number ORDER BY time, kind) AS state FROM walked
      ), per_code AS (
        SELECT asset_id, bucket, state, sum(round(date_part('epoch', length) * 1000))::bigint AS ms
        FROM carried WHERE state IS NOT NULL AND bucket IS NOT NULL AND length > interval '0'
        GROUP BY 1, 2, 3
      ), hours AS (
        INSERT INTO state_hours (asset_id, bucket, spans)
        SELECT asset_id, bucket, string_agg(state || ':' || ms, ' ' ORDER BY state) FROM per_code GROUP BY 1, 2
      )
      INSERT INTO state_hour_coverage AS v (asset_id, covered_until, refreshed_at)
      SELECT t.asset_id, (SELECT max(e.raw_time) FROM event e WHERE e.asset_id = t.asset_id), now() FROM target t
      ON CONFLICT (asset_id) DO UPDATE SET covered_until = EXCLUDED.covered_until, refreshed_at = EXCLUDED.refreshed_at, version = v.version + 1`;
    // Changes of assets never refreshed are of no use (their first refresh reads everything). Safe under
    // the lock: no first build can be running in another transaction.
    await tx.$executeRaw`
      DELETE FROM state_event_changes c WHERE NOT EXISTS (SELECT 1 FROM state_hour_coverage v WHERE v.asset_id = c.asset_id)`;
  }, { timeout: 120_000, maxWait: 30_000 });
}

type TTarget = { assetId: string; since: string; firstEvent: number | null; lastEvent: number | null; siteId: string | null; timeZone: string | null };

/** Every target site's cut instants over the span its machines are rebuilt for, as flat (site number, instant) arrays. */
async function pieceCutsOfSites(targets: readonly TTarget[], startAt: readonly (number | null)[]) {
  const spans = new Map<string, { from: number; to: number; timeZone: string }>();
  targets.forEach((target, index) => {
    const from = startAt[index];
    if (!target.siteId || from === null || from === undefined || target.lastEvent === null) return;
    const span = spans.get(target.siteId);
    const timeZone = target.timeZone !== null && isTimeZone(target.timeZone) ? target.timeZone : "UTC";
    spans.set(target.siteId, { from: Math.min(span?.from ?? from, from), to: Math.max(span?.to ?? target.lastEvent, target.lastEvent), timeZone });
  });
  const numbers = new Map<string, number>();
  const siteNumbers: number[] = [];
  const instants: number[] = [];
  if (!spans.size) return { numbers, siteNumbers, instants };
  const from = Math.min(...[...spans.values()].map((span) => span.from));
  const to = Math.max(...[...spans.values()].map((span) => span.to));
  const calendars = await loadSiteCalendars([...spans.keys()], from, to);
  for (const [siteId, span] of spans) {
    const number = numbers.size + 1;
    numbers.set(siteId, number);
    for (const instant of statePieceCuts(calendars.get(siteId), span.timeZone, span.from, span.to)) {
      siteNumbers.push(number);
      instants.push(instant);
    }
  }
  return { numbers, siteNumbers, instants };
}
