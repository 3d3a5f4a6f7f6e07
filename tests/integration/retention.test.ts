import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { IngestCaches, type TBatchMessage, writeBatch } from "@/lib/ingest/write-batch";
import { runMaintenance } from "@/lib/retention/run-maintenance";
import { createScratchDatabase, type TScratchDatabase } from "@/lib/runtime/scratch-database";

// Retention deletes across whole tables, so it gets a database of its own.
let database: TScratchDatabase;
let pool: pg.Pool;
const day = 86_400_000;
const now = new Date(Date.UTC(2026, 11, 4, 12, 0, 0));
const machine = "ret/site/area/line/press";

function historian(time: number, value: number): TBatchMessage {
  return {
    topic: `umh/v1/${machine}/_historian`, payload: Buffer.from("{}"), receivedAt: time,
    outcome: { records: [{ kind: "sample", path: machine, metric: "temperature", time, value }] },
  };
}

/** What runMaintenance should report here, read from the catalogue rather than from the code under test. */
async function expectedEngine() {
  const { rows } = await pool.query<{ license: string | null }>(
    "SELECT current_setting('timescaledb.license', true) AS license FROM pg_extension WHERE extname = 'timescaledb'");
  if (!rows[0]) return "postgresql";
  return rows[0].license === "apache" ? "timescaledb-apache" : "timescaledb-community";
}

async function count(sql: string) {
  return Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);
}

beforeAll(async () => {
  database = await createScratchDatabase("shopfloor_retention", process.env.DATABASE_URL, path.join(process.cwd(), ".test-data"));
  await applyMigrations({ connectionString: database.url, log: () => undefined });
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe("retention (Shopfloor's own scheduler pass)", () => {
  it("deletes raw samples and quarantine past their age, keeps roll-ups and recent rows, honours the admin's settings", async () => {
    const client = await pool.connect();
    try {
      // 12 000 old samples (more than one delete batch) 40–41 days back, 3 recent ones.
      const old = Array.from({ length: 12_000 }, (_, index) => historian(now.getTime() - 41 * day + index * 1_000, index));
      const recent = [1, 2, 3].map((index) => historian(now.getTime() - index * 3_600_000, 100 + index));
      await writeBatch(client, [...old, ...recent], new IngestCaches(), { autoRegister: true, quarantinePayloadCap: 64 });
      await client.query(
        `INSERT INTO quarantined_messages (received_at, topic, reason, payload, payload_bytes)
         VALUES ($1, 'umh/v1/x', 'old', '\\x00', 1), ($2, 'umh/v1/x', 'new', '\\x00', 1)`,
        [new Date(now.getTime() - 31 * day), new Date(now.getTime() - day)],
      );
      const minutesBefore = await count("SELECT sum(count) AS n FROM sample_minutes");
      expect(minutesBefore).toBe(12_003);

      const report = await runMaintenance(client, now);
      // The same test on every engine this database can be (plain PostgreSQL in CI; a locally built TimescaleDB too).
      const engine = await expectedEngine();
      expect(report).toMatchObject({ ran: true, engine });
      if (engine === "postgresql") {
        expect(report.deleted).toMatchObject({ samples: 12_000, quarantined_messages: 1, sample_minutes: 0 });
      } else {
        // Hypertables lose whole chunks (the old samples sit in chunks wholly past the cutoff); nothing is left to delete row by row.
        expect(report.droppedChunks.samples).toBeGreaterThan(0);
        expect(report.deleted).toMatchObject({ samples: 0, quarantined_messages: 1, sample_minutes: 0 });
      }
      expect(await count("SELECT count(*) AS n FROM samples")).toBe(3);
      expect(await count("SELECT count(*) AS n FROM quarantined_messages")).toBe(1);
      // Charts over the deleted range still read the roll-ups.
      expect(await count("SELECT sum(count) AS n FROM sample_minutes")).toBe(12_003);
      expect(await count("SELECT sum(count) AS n FROM sample_hours")).toBe(12_003);

      // An admin shortens minute roll-ups to 30 days and keeps raw samples forever.
      await client.query(
        `INSERT INTO settings (key, value) VALUES ('retention', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [JSON.stringify({ rawSamplesDays: null, minuteRollupsDays: 30 })],
      );
      await writeBatch(client, [historian(now.getTime() - 100 * day, 1)], new IngestCaches(), { autoRegister: true, quarantinePayloadCap: 64 });
      const second = await runMaintenance(client, now);
      expect(second.deleted.samples).toBeUndefined();
      expect(await count("SELECT count(*) AS n FROM samples")).toBe(4);
      expect(await count("SELECT coalesce(sum(count), 0) AS n FROM sample_minutes")).toBe(3);
      expect(await count("SELECT sum(count) AS n FROM sample_hours")).toBe(12_004);
    } finally {
      client.release();
    }
  });

  it("runs in one worker at a time (advisory lock) and falls back to defaults on a bad setting", async () => {
    const [a, b] = [await pool.connect(), await pool.connect()];
    try {
      await a.query("INSERT INTO settings (key, value) VALUES ('retention', '\"not an object\"') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
      await a.query("SELECT pg_advisory_lock(7310224001)");
      expect((await runMaintenance(b, now)).ran).toBe(false);
      await a.query("SELECT pg_advisory_unlock(7310224001)");
      const report = await runMaintenance(b, now);
      expect(report.ran).toBe(true);
      expect(report.settings.rawSamplesDays).toBe(30);
    } finally {
      a.release();
      b.release();
    }
  });
});
