import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { TIngestRecord, TSampleRecord } from "./records";

/** One MQTT message after parsing: its records, or the reason it must be quarantined. */
export type TBatchMessage = {
  topic: string;
  payload: Buffer;
  receivedAt: number;
  outcome: { records: TIngestRecord[]; stale?: TStaleMark[] } | { quarantine: string };
  /**
   * The quarantined_messages id when an admin retries a stored message: written, that row is
   * deleted in the same transaction; quarantined again, the row keeps its place with the new reason.
   */
  replayOf?: string;
};

/** Every metric of this asset path went STALE at this time (its Sparkplug source died). */
export type TStaleMark = { path: string; at: number };

export type TBatchResult = {
  samplesInserted: number;
  countsInserted: number;
  statesInserted: number;
  quarantined: number;
  unmapped: number;
  /** messages on asset paths an admin chose to ignore: dropped, counted in unmapped_topics */
  ignored: number;
  /** assets whose data changed, for the live views' notification */
  assetIds: string[];
};

export type TWriterOptions = {
  /** register unknown asset paths as assets; when false they wait in unmapped_topics */
  autoRegister: boolean;
  /** bytes of a rejected payload kept in quarantine */
  quarantinePayloadCap: number;
  /** Runs last inside the batch's transaction (an admin's retry writes its audit row here). */
  beforeCommit?: (client: pg.ClientBase, result: TBatchResult) => Promise<void>;
};

const levels = ["ENTERPRISE", "SITE", "AREA", "LINE", "WORK_CELL"] as const;
const uniqueViolation = "23505";
// Roll-up buckets are aligned to UTC with date_bin (origin 2000-01-01Z), so they do not depend
// on the session's time zone (date_trunc would, for zones with half-hour offsets).

/** Ids cached for the life of the worker: assets and series are only ever added. */
export class IngestCaches {
  readonly assetIdByPath = new Map<string, string>();
  readonly seriesIdByKey = new Map<string, number>();
  /** assets with stale series, so fresh values clear the mark without a query per batch */
  readonly staleAssetIds = new Set<string>();
}

/** A retried quarantine row was retried or deleted by someone else meanwhile; the batch is rolled back. */
export class QuarantineRowGoneError extends Error {
  constructor(readonly ids: string[]) {
    super(`quarantined message ${ids.join(", ")} is gone (retried or deleted meanwhile)`);
    this.name = "QuarantineRowGoneError";
  }
}

/**
 * Writes a batch of messages atomically and returns what it did. The common batch (process
 * values only, nothing seen before) is one plain INSERT statement with its roll-ups: the
 * fastest path PostgreSQL offers short of COPY. If any row already exists (a redelivery), that
 * statement fails as a whole and the batch is written again in a transaction with ON CONFLICT
 * DO NOTHING, where roll-ups are built only from the rows actually inserted. Either way a
 * redelivered message changes nothing.
 * Assets and series (the catalogue, not data) are registered first, committed on their own.
 */
export async function writeBatch(client: pg.ClientBase, messages: TBatchMessage[], caches: IngestCaches, options: TWriterOptions): Promise<TBatchResult> {
  const result: TBatchResult = { samplesInserted: 0, countsInserted: 0, statesInserted: 0, quarantined: 0, unmapped: 0, ignored: 0, assetIds: [] };
  const quarantine: TQuarantineRow[] = [];
  const accepted: { message: TBatchMessage; records: TIngestRecord[] }[] = [];
  const staleMarks: TStaleMark[] = [];

  for (const message of messages) {
    if ("quarantine" in message.outcome) quarantine.push({ topic: message.topic, reason: message.outcome.quarantine, payload: message.payload, receivedAt: message.receivedAt, replayOf: message.replayOf });
    else {
      accepted.push({ message, records: message.outcome.records });
      staleMarks.push(...(message.outcome.stale ?? []));
    }
  }

  // Resolve asset paths (own path or an admin's mapping); unknown ones are registered or, with
  // auto-registration off or an admin's ignore/reject, held back.
  const paths = new Set(accepted.flatMap(({ records }) => records.map((record) => record.path)));
  const held = await resolveAssets(client, [...paths], caches, options.autoRegister);
  const writable: TIngestRecord[] = [];
  const unmapped: TUnmapped = new Map();
  const replayed: string[] = [];
  for (const { message, records } of accepted) {
    const missing = records.find((record) => !caches.assetIdByPath.has(record.path));
    if (missing) {
      const decision = held.get(missing.path);
      // A retry is the same message again: the unmapped list counted it when it first arrived.
      if (message.replayOf === undefined) {
        const entry = unmapped.get(missing.path) ?? { topic: message.topic, count: 0, firstAt: message.receivedAt, lastAt: message.receivedAt };
        entry.count += 1;
        entry.lastAt = Math.max(entry.lastAt, message.receivedAt);
        unmapped.set(missing.path, entry);
        if (decision === "ignored") {
          result.ignored += 1;
          continue;
        }
      }
      // Kept whole in quarantine so an admin can replay it once the path is mapped.
      const reason = decision === "rejected" ? `asset path "${missing.path}" is rejected by an admin`
        : decision === "ignored" ? `asset path "${missing.path}" is ignored by an admin`
        : `unmapped asset path "${missing.path}"`;
      quarantine.push({ topic: message.topic, reason, payload: message.payload, receivedAt: message.receivedAt, replayOf: message.replayOf });
      continue;
    }
    writable.push(...records);
    if (message.replayOf !== undefined) replayed.push(message.replayOf);
  }
  result.unmapped = [...unmapped.values()].reduce((sum, entry) => sum + entry.count, 0) - result.ignored;
  const samples = writable.filter((record): record is TSampleRecord => record.kind === "sample");
  if (samples.length) await resolveSeries(client, samples, caches);
  result.assetIds = [...new Set(writable.map((record) => caches.assetIdByPath.get(record.path)).filter((id): id is string => !!id))];

  const onlyFreshSamples = !options.beforeCommit && samples.length > 0 && samples.length === writable.length && !quarantine.length && !unmapped.size && !staleMarks.length && !replayed.length
    && !samples.some((sample) => caches.staleAssetIds.has(caches.assetIdByPath.get(sample.path)!));
  if (onlyFreshSamples) {
    try {
      result.samplesInserted = await insertNewSamples(client, samples, caches);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code !== uniqueViolation) throw error;
    }
  }

  await client.query("BEGIN");
  try {
    await writeInTransaction(client, { samples, writable, staleMarks, quarantine, unmapped, replayed }, caches, options, result);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return result;
}

type TQuarantineRow = { topic: string; reason: string; payload: Buffer; receivedAt: number; replayOf?: string };
type TUnmapped = Map<string, { topic: string; count: number; firstAt: number; lastAt: number }>;

async function writeInTransaction(
  client: pg.ClientBase,
  batch: { samples: TSampleRecord[]; writable: TIngestRecord[]; staleMarks: TStaleMark[]; quarantine: TQuarantineRow[]; unmapped: TUnmapped; replayed: string[] },
  caches: IngestCaches,
  options: TWriterOptions,
  result: TBatchResult,
) {
  const { samples, writable, staleMarks, unmapped, replayed } = batch;
  // Retried rows first: their row locks make a concurrent retry of the same row wait, then find it gone.
  const quarantine = await settleReplays(client, replayed, batch.quarantine);
  if (samples.length) result.samplesInserted = await insertSamples(client, samples, caches);
  await updateStaleness(client, samples, staleMarks, caches);
  result.countsInserted = await insertCounts(client, writable, caches);
  result.statesInserted = await insertStates(client, writable, caches);
  for (const record of writable) await applyPlanningEvent(client, record, caches);

  if (unmapped.size) await recordUnmapped(client, unmapped);
  if (quarantine.length) await insertQuarantine(client, quarantine, options.quarantinePayloadCap);
  result.quarantined = batch.quarantine.length;
  await options.beforeCommit?.(client, result);
}

/** Deletes the rows of retried messages now written and sets the new reason on those quarantined again; returns the rows still to insert. */
async function settleReplays(client: pg.ClientBase, written: string[], quarantine: TQuarantineRow[]): Promise<TQuarantineRow[]> {
  const again = quarantine.filter((row) => row.replayOf !== undefined);
  if (!written.length && !again.length) return quarantine;
  const found = new Set<string>();
  if (written.length) {
    const { rows } = await client.query<{ id: string }>("DELETE FROM quarantined_messages WHERE id = ANY($1::bigint[]) RETURNING id::text AS id", [written]);
    for (const row of rows) found.add(row.id);
  }
  for (const row of again) {
    const { rows } = await client.query<{ id: string }>(
      "UPDATE quarantined_messages SET reason = $2 WHERE id = $1::bigint RETURNING id::text AS id", [row.replayOf, sanitizeText(row.reason).slice(0, 1024)],
    );
    for (const updated of rows) found.add(updated.id);
  }
  const gone = [...written, ...again.map((row) => row.replayOf!)].filter((id) => !found.has(id));
  if (gone.length) throw new QuarantineRowGoneError(gone);
  return quarantine.filter((row) => row.replayOf === undefined);
}

type THeldPath = "pending" | "ignored" | "rejected";

/** Fills the cache with the asset of each path; returns the paths without one and the admin's decision on them. */
async function resolveAssets(client: pg.ClientBase, paths: string[], caches: IngestCaches, autoRegister: boolean): Promise<Map<string, THeldPath>> {
  const unknown = paths.filter((path) => !caches.assetIdByPath.has(path));
  const held = new Map<string, THeldPath>();
  if (!unknown.length) return held;
  const decisions = await loadAssetIds(client, unknown, caches);
  for (const path of unknown) if (!caches.assetIdByPath.has(path)) held.set(path, decisions.get(path) ?? "pending");
  if (!autoRegister) return held;
  // An ignored or rejected path stays out even with auto-registration on.
  for (const path of [...held.keys()].filter((candidate) => held.get(candidate) === "pending").sort()) {
    const segments = path.split("/");
    if (segments.length > levels.length) continue;
    let parentId: string | null = null;
    let retired = false;
    for (let depth = 1; depth <= segments.length && !retired; depth += 1) {
      const prefix = segments.slice(0, depth).join("/");
      const slug = segments[depth - 1]!;
      const cached = caches.assetIdByPath.get(prefix);
      if (cached) {
        parentId = cached;
        continue;
      }
      // Two workers may register the same path at once: the unique path decides, both read it back.
      await client.query(
        `INSERT INTO assets (id, name, slug, path, level, parent_id, updated_at)
         VALUES (gen_random_uuid(), $1, $1, $2, $3::asset_level, $4, now()) ON CONFLICT (path) DO NOTHING`,
        [slug, prefix, levels[depth - 1], parentId],
      );
      const row = await client.query<{ id: string; retired: boolean }>("SELECT id, retired_at IS NOT NULL AS retired FROM assets WHERE path = $1", [prefix]);
      // A retired asset (or one under a retired parent) takes no new data: the path waits in the unmapped list,
      // where an admin maps it, or restores the asset.
      retired = row.rows[0]!.retired;
      if (retired) break;
      parentId = row.rows[0]!.id;
      caches.assetIdByPath.set(prefix, parentId);
    }
    if (caches.assetIdByPath.has(path)) held.delete(path);
  }
  return held;
}

/**
 * The asset of each path: an admin's mapping first, else the asset with that path. Paths without
 * one are not cached, so the next batch looks again and a new mapping or decision applies at once.
 */
async function loadAssetIds(client: pg.ClientBase, paths: string[], caches: IngestCaches): Promise<Map<string, THeldPath>> {
  const { rows } = await client.query<{ path: string; asset_id: string | null; status: string | null }>(
    `SELECT p.path, COALESCE(mapped.id, own.id) AS asset_id, u.status
     FROM unnest($1::text[]) AS p(path)
     LEFT JOIN topic_mappings m ON m.path = p.path
     LEFT JOIN assets mapped ON mapped.id = m.asset_id AND mapped.retired_at IS NULL
     LEFT JOIN assets own ON own.path = p.path AND own.retired_at IS NULL
     LEFT JOIN unmapped_topics u ON u.path = p.path`,
    [paths],
  );
  const decisions = new Map<string, THeldPath>();
  for (const row of rows) {
    if (row.asset_id) caches.assetIdByPath.set(row.path, row.asset_id);
    else if (row.status === "ignored" || row.status === "rejected") decisions.set(row.path, row.status);
  }
  return decisions;
}

async function resolveSeries(client: pg.ClientBase, samples: TSampleRecord[], caches: IngestCaches) {
  const keys = new Map<string, { assetId: string; metric: string }>();
  for (const sample of samples) {
    const assetId = caches.assetIdByPath.get(sample.path)!;
    const key = seriesKey(assetId, sample.metric);
    if (!caches.seriesIdByKey.has(key)) keys.set(key, { assetId, metric: sample.metric });
  }
  const missing = [...keys.values()];
  if (!missing.length) return;
  const assetIds = missing.map((key) => key.assetId);
  const metrics = missing.map((key) => key.metric);
  await client.query(
    `INSERT INTO series (asset_id, metric) SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
    [assetIds, metrics],
  );
  const rows = await client.query<{ id: number; asset_id: string; metric: string }>(
    `SELECT s.id, s.asset_id, s.metric FROM series s JOIN unnest($1::uuid[], $2::text[]) AS k(asset_id, metric) USING (asset_id, metric)`,
    [assetIds, metrics],
  );
  for (const row of rows.rows) caches.seriesIdByKey.set(seriesKey(row.asset_id, row.metric), row.id);
}

function seriesKey(assetId: string, metric: string) {
  return `${assetId}\u0000${metric}`;
}

function sampleColumns(samples: TSampleRecord[], caches: IngestCaches) {
  const seriesIds: number[] = [];
  const times: number[] = [];
  const numbers: (number | null)[] = [];
  const booleans: (boolean | null)[] = [];
  const texts: (string | null)[] = [];
  for (const sample of samples) {
    seriesIds.push(caches.seriesIdByKey.get(seriesKey(caches.assetIdByPath.get(sample.path)!, sample.metric))!);
    times.push(sample.time);
    numbers.push(typeof sample.value === "number" ? sample.value : null);
    booleans.push(typeof sample.value === "boolean" ? sample.value : null);
    texts.push(typeof sample.value === "string" ? sample.value : null);
  }
  return { seriesIds, times, numbers, booleans, texts };
}

type TRollup = { seriesId: number; bucket: number; count: number; sum: number; min: number; max: number; lastTime: number; lastValue: number };

/** Pure: minute or hour roll-ups of numeric values, for a set of rows known to be all new. */
export function rollUp(columns: { seriesIds: number[]; times: number[]; numbers: (number | null)[] }, bucketMs: number): TRollup[] {
  const groups = new Map<string, TRollup>();
  columns.seriesIds.forEach((seriesId, index) => {
    const value = columns.numbers[index];
    if (value === null || value === undefined) return;
    const time = columns.times[index]!;
    // Buckets align to the epoch, as date_bin with origin 2000-01-01Z does for minutes and hours.
    const bucket = Math.floor(time / bucketMs) * bucketMs;
    const key = `${seriesId}:${bucket}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { seriesId, bucket, count: 1, sum: value, min: value, max: value, lastTime: time, lastValue: value });
      return;
    }
    group.count += 1;
    group.sum += value;
    group.min = Math.min(group.min, value);
    group.max = Math.max(group.max, value);
    if (time >= group.lastTime) {
      group.lastTime = time;
      group.lastValue = value;
    }
  });
  // A fixed order keeps concurrent writers (two workers) from deadlocking on roll-up rows.
  return [...groups.values()].sort((a, b) => a.seriesId - b.seriesId || a.bucket - b.bucket);
}

function rollupArrays(rollups: TRollup[]) {
  return [
    rollups.map((r) => r.seriesId), rollups.map((r) => r.bucket), rollups.map((r) => r.count), rollups.map((r) => r.sum),
    rollups.map((r) => r.min), rollups.map((r) => r.max), rollups.map((r) => r.lastTime), rollups.map((r) => r.lastValue),
  ];
}

/**
 * The fast path for rows believed new, with no per-row conflict handling. Up to a few thousand
 * rows it is one autocommitted statement (INSERT from arrays plus the roll-up upserts: a single
 * round trip); larger batches are COPYed, then their roll-ups upserted, in one transaction.
 * Any duplicate fails the statement or transaction as a whole; the caller then takes the
 * idempotent path.
 */
async function insertNewSamples(client: pg.ClientBase, samples: TSampleRecord[], caches: IngestCaches): Promise<number> {
  const columns = sampleColumns(samples, caches);
  const minutes = rollUp(columns, 60_000);
  const hours = rollUp(columns, 3_600_000);
  if (samples.length <= singleStatementMaxRows) {
    await client.query(
      `WITH inserted AS (
         INSERT INTO samples (series_id, time, value_num, value_bool, value_text)
         SELECT s, to_timestamp(t / 1000.0), n, b, x FROM unnest($1::int[], $2::float8[], $3::float8[], $4::bool[], $5::text[]) AS u(s, t, n, b, x)
       ), minutes AS (
         INSERT INTO sample_minutes AS r (series_id, bucket, count, sum, min, max, last_time, last_value)
         ${rollupSelect(6)}
         ${rollupConflict}
       )
       INSERT INTO sample_hours AS r (series_id, bucket, count, sum, min, max, last_time, last_value)
       ${rollupSelect(14)}
       ${rollupConflict}`,
      [columns.seriesIds, columns.times, columns.numbers, columns.booleans, columns.texts, ...rollupArrays(minutes), ...rollupArrays(hours)],
    );
    return samples.length;
  }
  await client.query("BEGIN");
  try {
    await pipeline(Readable.from(copyBinaryRows(columns)), client.query(copyFrom("COPY samples (series_id, time, value_num, value_bool, value_text) FROM STDIN (FORMAT binary)")));
    await upsertRollups(client, "sample_minutes", minutes);
    await upsertRollups(client, "sample_hours", hours);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return samples.length;
}

const singleStatementMaxRows = 5_000;

/** SELECT of roll-up rows from eight array parameters starting at $first (a fixed text, no input). */
function rollupSelect(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `SELECT s, to_timestamp(k / 1000.0), c, su, mi, ma, to_timestamp(lt / 1000.0), lv
         FROM unnest(${p(0)}::int[], ${p(1)}::float8[], ${p(2)}::int[], ${p(3)}::float8[], ${p(4)}::float8[], ${p(5)}::float8[], ${p(6)}::float8[], ${p(7)}::float8[]) AS u(s, k, c, su, mi, ma, lt, lv)`;
}

const rollupConflict = `ON CONFLICT (series_id, bucket) DO UPDATE SET
         count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum,
         min = LEAST(r.min, EXCLUDED.min), max = GREATEST(r.max, EXCLUDED.max),
         last_value = CASE WHEN EXCLUDED.last_time >= r.last_time THEN EXCLUDED.last_value ELSE r.last_value END,
         last_time = GREATEST(r.last_time, EXCLUDED.last_time)`;

// PostgreSQL binary COPY (docs: "COPY … Binary Format"): the server parses no text, which
// roughly doubles the rows/s of text COPY. Five columns per row: int4, timestamptz (µs since
// 2000-01-01 as int64), float8, bool, text; a length of -1 is NULL.
const copySignature = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const postgresEpochMs = Date.UTC(2000, 0, 1);
const copyChunkBytes = 256 * 1024;

/** The rows in PostgreSQL's binary COPY format, in chunks of about 256 KiB. */
export function* copyBinaryRows(columns: ReturnType<typeof sampleColumns>): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(copyChunkBytes);
  copySignature.copy(chunk, 0);
  chunk.writeInt32BE(0, 11); // flags
  chunk.writeInt32BE(0, 15); // header extension length
  let offset = 19;
  for (let index = 0; index < columns.seriesIds.length; index += 1) {
    const number = columns.numbers[index];
    const boolean = columns.booleans[index];
    const text = columns.texts[index];
    const textBytes = text === null || text === undefined ? -1 : Buffer.byteLength(text);
    const rowBytes = 2 + 8 + 12 + (number === null || number === undefined ? 4 : 12) + (boolean === null || boolean === undefined ? 4 : 5) + 4 + Math.max(textBytes, 0);
    if (offset + rowBytes + 2 > chunk.length) {
      yield chunk.subarray(0, offset);
      chunk = Buffer.allocUnsafe(Math.max(copyChunkBytes, rowBytes + 2));
      offset = 0;
    }
    offset = chunk.writeInt16BE(5, offset);
    offset = chunk.writeInt32BE(4, offset);
    offset = chunk.writeInt32BE(columns.seriesIds[index]!, offset);
    // int64 microseconds as two 32-bit halves: exact for every time since year 0 without BigInt.
    const micros = Math.round((columns.times[index]! - postgresEpochMs) * 1000);
    const high = Math.floor(micros / 4_294_967_296);
    offset = chunk.writeInt32BE(8, offset);
    offset = chunk.writeInt32BE(high, offset);
    offset = chunk.writeUInt32BE(micros - high * 4_294_967_296, offset);
    if (number === null || number === undefined) offset = chunk.writeInt32BE(-1, offset);
    else {
      offset = chunk.writeInt32BE(8, offset);
      offset = chunk.writeDoubleBE(number, offset);
    }
    if (boolean === null || boolean === undefined) offset = chunk.writeInt32BE(-1, offset);
    else {
      offset = chunk.writeInt32BE(1, offset);
      offset = chunk.writeUInt8(boolean ? 1 : 0, offset);
    }
    offset = chunk.writeInt32BE(textBytes, offset);
    if (textBytes > 0) offset += chunk.write(text!, offset, "utf8");
  }
  offset = chunk.writeInt16BE(-1, offset); // trailer
  yield chunk.subarray(0, offset);
}

async function upsertRollups(client: pg.ClientBase, table: "sample_minutes" | "sample_hours", rollups: TRollup[]) {
  if (!rollups.length) return;
  // Two fixed statements rather than a table name spliced into SQL.
  if (table === "sample_minutes") {
    await client.query(`INSERT INTO sample_minutes AS r (series_id, bucket, count, sum, min, max, last_time, last_value) ${rollupSelect(1)} ${rollupConflict}`, rollupArrays(rollups));
  } else {
    await client.query(`INSERT INTO sample_hours AS r (series_id, bucket, count, sum, min, max, last_time, last_value) ${rollupSelect(1)} ${rollupConflict}`, rollupArrays(rollups));
  }
}

/** The idempotent path: ON CONFLICT DO NOTHING, roll-ups from the rows actually inserted. */
async function insertSamples(client: pg.ClientBase, samples: TSampleRecord[], caches: IngestCaches): Promise<number> {
  const { seriesIds, times, numbers, booleans, texts } = sampleColumns(samples, caches);
  const { rows } = await client.query<{ inserted: string }>(
    `WITH inserted AS (
       INSERT INTO samples (series_id, time, value_num, value_bool, value_text)
       SELECT s, to_timestamp(t / 1000.0), n, b, x FROM unnest($1::int[], $2::float8[], $3::float8[], $4::bool[], $5::text[]) AS u(s, t, n, b, x)
       ON CONFLICT DO NOTHING
       RETURNING series_id, time, value_num
     ), numeric_rows AS (
       SELECT * FROM inserted WHERE value_num IS NOT NULL
     ), minutes AS (
       INSERT INTO sample_minutes AS r (series_id, bucket, count, sum, min, max, last_time, last_value)
       SELECT series_id, date_bin('1 minute', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*), sum(value_num), min(value_num), max(value_num),
              max(time), (array_agg(value_num ORDER BY time DESC))[1]
       FROM numeric_rows GROUP BY 1, 2 ORDER BY 1, 2
       ${rollupConflict}
     ), hours AS (
       INSERT INTO sample_hours AS r (series_id, bucket, count, sum, min, max, last_time, last_value)
       SELECT series_id, date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*), sum(value_num), min(value_num), max(value_num),
              max(time), (array_agg(value_num ORDER BY time DESC))[1]
       FROM numeric_rows GROUP BY 1, 2 ORDER BY 1, 2
       ${rollupConflict}
     )
     SELECT count(*) AS inserted FROM inserted`,
    [seriesIds, times, numbers, booleans, texts],
  );
  return Number(rows[0]?.inserted ?? 0);
}

/** Fresh live values clear an asset's STALE mark; then new marks (from deaths in this batch) are set. */
async function updateStaleness(client: pg.ClientBase, samples: TSampleRecord[], marks: TStaleMark[], caches: IngestCaches) {
  const refreshed = [...new Set(samples.filter((sample) => !sample.historical).map((sample) => caches.assetIdByPath.get(sample.path)!))]
    .filter((assetId) => caches.staleAssetIds.has(assetId));
  if (refreshed.length) {
    await client.query("UPDATE series SET stale_since = NULL WHERE asset_id = ANY($1::uuid[]) AND stale_since IS NOT NULL", [refreshed]);
    for (const assetId of refreshed) caches.staleAssetIds.delete(assetId);
  }
  for (const mark of marks) {
    const assetId = caches.assetIdByPath.get(mark.path) ?? (await client.query<{ id: string }>("SELECT id FROM assets WHERE path = $1", [mark.path])).rows[0]?.id;
    if (!assetId) continue;
    await client.query("UPDATE series SET stale_since = $2 WHERE asset_id = $1 AND stale_since IS NULL", [assetId, new Date(mark.at)]);
    caches.staleAssetIds.add(assetId);
  }
}

async function insertCounts(client: pg.ClientBase, records: TIngestRecord[], caches: IngestCaches): Promise<number> {
  const counts = records.filter((record) => record.kind === "count");
  if (!counts.length) return 0;
  const { rows } = await client.query<{ inserted: string }>(
    `WITH inserted AS (
       INSERT INTO production_counts (asset_id, time, count, scrap)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[])
       ON CONFLICT DO NOTHING
       RETURNING asset_id, time, count, scrap
     ), hours AS (
       INSERT INTO production_hours AS r (asset_id, bucket, count, scrap)
       SELECT asset_id, date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sum(count), sum(scrap)
       FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (asset_id, bucket) DO UPDATE SET count = r.count + EXCLUDED.count, scrap = r.scrap + EXCLUDED.scrap
     )
     SELECT count(*) AS inserted FROM inserted`,
    [
      counts.map((record) => caches.assetIdByPath.get(record.path)!),
      counts.map((record) => new Date(record.time)),
      counts.map((record) => record.count),
      counts.map((record) => record.scrap),
    ],
  );
  return Number(rows[0]?.inserted ?? 0);
}

async function insertStates(client: pg.ClientBase, records: TIngestRecord[], caches: IngestCaches): Promise<number> {
  const states = records.filter((record) => record.kind === "state");
  if (!states.length) return 0;
  const { rowCount } = await client.query(
    `INSERT INTO state_events (asset_id, time, state) SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) ON CONFLICT DO NOTHING`,
    [states.map((record) => caches.assetIdByPath.get(record.path)!), states.map((record) => new Date(record.time)), states.map((record) => record.state)],
  );
  return rowCount ?? 0;
}

/**
 * Planning events are rare; each is a statement or two. They may arrive in any order (a shared
 * subscription spreads one publisher's messages over several connections), so each one
 * creates what it refers to if it is missing: a work order's start before its create, or a
 * work order before its product type, leave a row that the later message completes. Nothing
 * is guessed: a product type not yet declared has no cycle time.
 */
async function applyPlanningEvent(client: pg.ClientBase, record: TIngestRecord, caches: IngestCaches): Promise<void> {
  const assetId = caches.assetIdByPath.get(record.path)!;
  switch (record.kind) {
    case "shift-add":
      await client.query(
        `INSERT INTO shifts (id, asset_id, start_time, end_time, source) VALUES (gen_random_uuid(), $1, $2, $3, 'mqtt') ON CONFLICT (asset_id, start_time) DO NOTHING`,
        [assetId, new Date(record.startTime), new Date(record.endTime)],
      );
      return;
    case "shift-delete":
      await client.query(`DELETE FROM shifts WHERE asset_id = $1 AND start_time = $2`, [assetId, new Date(record.startTime)]);
      return;
    case "product-type":
      // The first declaration wins; a placeholder left by an early work order gets its cycle time.
      await client.query(
        `INSERT INTO product_types (id, asset_id, external_id, cycle_time_ms) VALUES (gen_random_uuid(), $1, $2, $3)
         ON CONFLICT (asset_id, external_id) DO UPDATE SET cycle_time_ms = EXCLUDED.cycle_time_ms WHERE product_types.cycle_time_ms IS NULL`,
        [assetId, record.externalProductTypeId, record.cycleTimeMs],
      );
      return;
    case "work-order-create":
      await client.query(
        `INSERT INTO product_types (id, asset_id, external_id) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT (asset_id, external_id) DO NOTHING`,
        [assetId, record.externalProductTypeId],
      );
      await client.query(
        `INSERT INTO work_orders (id, asset_id, external_id, product_type_id, quantity)
         SELECT gen_random_uuid(), $1, $2, p.id, $4 FROM product_types p WHERE p.asset_id = $1 AND p.external_id = $3
         ON CONFLICT (asset_id, external_id) DO UPDATE SET product_type_id = EXCLUDED.product_type_id, quantity = EXCLUDED.quantity
         WHERE work_orders.product_type_id IS NULL`,
        [assetId, record.externalWorkOrderId, record.externalProductTypeId, record.quantity],
      );
      return;
    case "work-order-start":
    case "work-order-stop": {
      // Start and stop each set their own column; the other keeps what an earlier message set.
      const startTime = record.kind === "work-order-start" ? new Date(record.startTime) : null;
      const endTime = record.kind === "work-order-stop" ? new Date(record.endTime) : null;
      await client.query(
        `INSERT INTO work_orders (id, asset_id, external_id, start_time, end_time) VALUES (gen_random_uuid(), $1, $2, $3, $4)
         ON CONFLICT (asset_id, external_id) DO UPDATE SET
           start_time = COALESCE(EXCLUDED.start_time, work_orders.start_time),
           end_time = COALESCE(EXCLUDED.end_time, work_orders.end_time)`,
        [assetId, record.externalWorkOrderId, startTime, endTime],
      );
      return;
    }
    default:
      return;
  }
}

async function recordUnmapped(client: pg.ClientBase, unmapped: Map<string, { topic: string; count: number; firstAt: number; lastAt: number }>) {
  const entries = [...unmapped.entries()].sort(([a], [b]) => a.localeCompare(b));
  await client.query(
    `INSERT INTO unmapped_topics AS u (path, example_topic, first_seen_at, last_seen_at, message_count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[])
     ON CONFLICT (path) DO UPDATE SET
       last_seen_at = GREATEST(u.last_seen_at, EXCLUDED.last_seen_at),
       message_count = u.message_count + EXCLUDED.message_count`,
    [
      entries.map(([path]) => path),
      entries.map(([, entry]) => entry.topic),
      entries.map(([, entry]) => new Date(entry.firstAt)),
      entries.map(([, entry]) => new Date(entry.lastAt)),
      entries.map(([, entry]) => entry.count),
    ],
  );
}

async function insertQuarantine(client: pg.ClientBase, rows: { topic: string; reason: string; payload: Buffer; receivedAt: number }[], cap: number) {
  await client.query(
    `INSERT INTO quarantined_messages (topic, reason, payload, payload_bytes, received_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::int[], $5::timestamptz[])`,
    [
      rows.map((row) => sanitizeText(row.topic).slice(0, 1024)),
      rows.map((row) => sanitizeText(row.reason).slice(0, 1024)),
      rows.map((row) => row.payload.subarray(0, cap)),
      rows.map((row) => row.payload.length),
      rows.map((row) => new Date(row.receivedAt)),
    ],
  );
}

/** PostgreSQL text cannot hold NUL; topics and reasons may carry anything a client sent. */
function sanitizeText(text: string): string {
  return text.replace(/\u0000/g, "\\0");
}
