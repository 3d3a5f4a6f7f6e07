import type pg from "pg";
import { z } from "zod";

/**
 * Retention and compression, run by Shopfloor itself (the ingest worker's scheduler), so that
 * plain PostgreSQL, TimescaleDB under the Apache license and TimescaleDB without a running job
 * scheduler all keep the same bounded history:
 * - plain PostgreSQL: old rows are deleted in small batches (no long locks against ingest);
 * - TimescaleDB: whole chunks are dropped (drop_chunks is in the Apache edition too), and with
 *   the community license, raw chunks past the compression age are compressed when the
 *   extension's own compression policy has not done it.
 * Roll-ups outlive raw samples, so long-range charts keep working after raw data is gone.
 */

/** Admin-editable (settings key "retention"); days, null = keep forever. */
export const ZRetentionSettings = z.object({
  rawSamplesDays: z.number().int().min(1).max(36_500).nullable().default(30),
  minuteRollupsDays: z.number().int().min(1).max(36_500).nullable().default(400),
  hourRollupsDays: z.number().int().min(1).max(36_500).nullable().default(null),
  quarantineDays: z.number().int().min(1).max(36_500).nullable().default(30),
  /** Community TimescaleDB only: raw chunks older than this are compressed. */
  compressAfterDays: z.number().int().min(1).max(36_500).default(7),
});
export type TRetentionSettings = z.infer<typeof ZRetentionSettings>;

export type TMaintenanceReport = {
  ran: boolean;
  engine: "postgresql" | "timescaledb-apache" | "timescaledb-community";
  deleted: Record<string, number>;
  droppedChunks: Record<string, number>;
  compressedChunks: number;
  settings: TRetentionSettings;
};

type TTable = { table: string; timeColumn: string; days: keyof TRetentionSettings };
const retainedTables: TTable[] = [
  { table: "samples", timeColumn: "time", days: "rawSamplesDays" },
  { table: "sample_minutes", timeColumn: "bucket", days: "minuteRollupsDays" },
  { table: "sample_hours", timeColumn: "bucket", days: "hourRollupsDays" },
  { table: "quarantined_messages", timeColumn: "received_at", days: "quarantineDays" },
];
// Fixed statements per table: table names never come from input.
const deleteBatch: Record<string, string> = Object.fromEntries(retainedTables.map(({ table, timeColumn }) => [
  table,
  `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${timeColumn} < $1 LIMIT $2))`,
]));
const deleteBatchRows = 10_000;
/** Any number; only one maintenance run at a time across every worker. */
const maintenanceLockKey = 7_310_224_001;

export async function readRetentionSettings(client: pg.ClientBase): Promise<TRetentionSettings> {
  const { rows } = await client.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'retention'");
  const parsed = ZRetentionSettings.safeParse(rows[0]?.value ?? {});
  // A setting an older version wrote, or a bad manual edit, must not stop retention: defaults apply.
  return parsed.success ? parsed.data : ZRetentionSettings.parse({});
}

/** One maintenance pass; returns ran: false when another worker holds the lock. */
export async function runMaintenance(client: pg.ClientBase, now = new Date()): Promise<TMaintenanceReport> {
  const settings = await readRetentionSettings(client);
  const engine = await detectEngine(client);
  const report: TMaintenanceReport = { ran: false, engine, deleted: {}, droppedChunks: {}, compressedChunks: 0, settings };
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [maintenanceLockKey]);
  if (!rows[0]?.locked) return report;
  try {
    report.ran = true;
    const hypertables = engine === "postgresql" ? new Set<string>() : await listHypertables(client);
    for (const { table, days } of retainedTables) {
      const keepDays = settings[days];
      if (keepDays === null) continue;
      const cutoff = new Date(now.getTime() - Number(keepDays) * 86_400_000);
      if (hypertables.has(table)) {
        const dropped = await client.query<{ chunk: string }>(`SELECT drop_chunks($1::regclass, older_than => $2::timestamptz) AS chunk`, [table, cutoff]);
        report.droppedChunks[table] = dropped.rowCount ?? 0;
      }
      // Also on hypertables: drop_chunks removes only chunks wholly older than the cutoff.
      report.deleted[table] = await deleteOlderThan(client, table, cutoff);
    }
    if (engine === "timescaledb-community" && hypertables.has("samples")) {
      report.compressedChunks = await compressIfSchedulerIdle(client, new Date(now.getTime() - settings.compressAfterDays * 86_400_000));
    }
    return report;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [maintenanceLockKey]);
  }
}

async function deleteOlderThan(client: pg.ClientBase, table: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await client.query(deleteBatch[table]!, [cutoff, deleteBatchRows]);
    total += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < deleteBatchRows) return total;
  }
}

async function detectEngine(client: pg.ClientBase): Promise<TMaintenanceReport["engine"]> {
  const { rows } = await client.query<{ license: string | null }>(
    "SELECT current_setting('timescaledb.license', true) AS license FROM pg_extension WHERE extname = 'timescaledb'",
  );
  if (!rows[0]) return "postgresql";
  return rows[0].license === "apache" ? "timescaledb-apache" : "timescaledb-community";
}

async function listHypertables(client: pg.ClientBase): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>("SELECT hypertable_name AS name FROM timescaledb_information.hypertables WHERE hypertable_schema = current_schema()");
  return new Set(rows.map((row) => row.name));
}

/**
 * The compression policy normally does this; when the extension's job scheduler is off
 * (timescaledb.max_background_workers = 0, or its job has not succeeded in two days) Shopfloor
 * compresses the eligible chunks itself.
 */
async function compressIfSchedulerIdle(client: pg.ClientBase, olderThan: Date): Promise<number> {
  const { rows } = await client.query<{ healthy: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM timescaledb_information.job_stats s JOIN timescaledb_information.jobs j USING (job_id)
       WHERE j.proc_name = 'policy_compression' AND s.hypertable_name = 'samples'
         AND s.last_successful_finish > now() - interval '2 days'
     ) AND coalesce(current_setting('timescaledb.max_background_workers', true)::int, 0) > 0 AS healthy`,
  );
  if (rows[0]?.healthy) return 0;
  const compressed = await client.query(
    `SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('samples', older_than => $1::timestamptz) c`,
    [olderThan],
  );
  return compressed.rowCount ?? 0;
}
