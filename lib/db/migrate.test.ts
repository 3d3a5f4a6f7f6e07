import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, checksumMatches, checksumOf, listMigrations, PRISMA_ADVISORY_LOCK_KEY, sortMigrationNames, splitSchemaParam } from "./migrate";
import { withClient } from "../runtime/scratch-database";

// Integration tests: every test gets its own scratch database on the server DATABASE_URL names.
const adminUrl = process.env.DATABASE_URL;
const scratchDatabases: string[] = [];
const tempDirs: string[] = [];

type TMigrationRow = {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
};


async function scratchDatabase(): Promise<string> {
  if (!adminUrl) throw new Error("DATABASE_URL is not set (these tests need a PostgreSQL server)");
  const name = `sf_mig_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  scratchDatabases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrations directory holding `files` (migration name → SQL), written in the given order. */
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sf-migrations-"));
  tempDirs.push(dir);
  writeMigrations(dir, files);
  return dir;
}

function writeMigrations(dir: string, files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
}

function rows(url: string): Promise<TMigrationRow[]> {
  return withClient(url, async (client) => (await client.query<TMigrationRow>("SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name")).rows);
}

function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (client) => (await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table])).rows[0]?.found ?? false);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const quiet = () => undefined;

afterAll(async () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  if (!adminUrl) return;
  await withClient(adminUrl, async (client) => {
    for (const name of scratchDatabases) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  });
});

describe("migration helpers", () => {
  it("computes Prisma's checksum: lowercase hex SHA-256 of the UTF-8 text", () => {
    expect(checksumOf("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(checksumOf("SELECT 'é';\n")).toBe(sha256("SELECT 'é';\n"));
  });

  it("accepts the unpadded checksums old Prisma versions recorded", () => {
    const sql = "CREATE TABLE t (id int);";
    const unpadded = Array.from(createHash("sha256").update(sql).digest(), (byte) => byte.toString(16)).join("");
    expect(checksumMatches(sql, checksumOf(sql))).toBe(true);
    expect(checksumMatches(sql, unpadded)).toBe(true);
    expect(checksumMatches(`${sql}\n`, checksumOf(sql))).toBe(false);
  });

  it("lists directories with a migration.sql in name order and ignores loose files", () => {
    const dir = migrationsDir({ "20240102000000_b": "SELECT 2;", "20240101000000_a": "SELECT 1;" });
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
    expect(listMigrations(dir).map((migration) => [migration.name, migration.checksum])).toEqual([
      ["20240101000000_a", sha256("SELECT 1;")],
      ["20240102000000_b", sha256("SELECT 2;")],
    ]);
    expect(sortMigrationNames(["20240102_b", "20240101_a", "20240101_b"])).toEqual(["20240101_a", "20240101_b", "20240102_b"]);
  });

  it("refuses a migration directory without migration.sql", () => {
    const dir = migrationsDir({ "20240101000000_a": "SELECT 1;" });
    mkdirSync(path.join(dir, "20240102000000_empty"));
    expect(() => listMigrations(dir)).toThrow(/20240102000000_empty has no migration\.sql/);
  });

  it("splits off Prisma's schema parameter, which pg would ignore", () => {
    expect(splitSchemaParam("postgresql://u@h:5432/db?schema=plant&sslmode=disable")).toEqual({ connectionString: "postgresql://u@h:5432/db?sslmode=disable", schema: "plant" });
    expect(splitSchemaParam("postgresql://u@h:5432/db")).toEqual({ connectionString: "postgresql://u@h:5432/db", schema: null });
  });
});

describe("applyMigrations", () => {
  it("applies migrations in name order and records them as Prisma does", async () => {
    const url = await scratchDatabase();
    // Written out of order on purpose; the second depends on the first.
    const files = {
      "20240102000000_add_column": "ALTER TABLE widgets ADD COLUMN colour TEXT;\nINSERT INTO widgets (name, colour) VALUES ('a', 'red');\n",
      "20240101000000_create_widgets": "CREATE TABLE widgets (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\n",
    };
    const dir = migrationsDir(files);
    const lines: string[] = [];

    const result = await applyMigrations({ connectionString: url, migrationsDir: dir, log: (line) => lines.push(line) });

    expect(result).toEqual({ applied: ["20240101000000_create_widgets", "20240102000000_add_column"], alreadyApplied: [] });
    expect(lines.filter((line) => line.startsWith("applied "))).toHaveLength(2);
    const recorded = await rows(url);
    expect(recorded.map((row) => row.migration_name)).toEqual(["20240101000000_create_widgets", "20240102000000_add_column"]);
    for (const row of recorded) {
      expect(row.checksum).toBe(sha256(files[row.migration_name as keyof typeof files]));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row).toMatchObject({ applied_steps_count: 1, rolled_back_at: null, logs: null });
    }
    // The bookkeeping table has Prisma's exact shape.
    const columns = await withClient(url, async (client) => (await client.query<{ column: string; type: string; notnull: boolean; default: string | null }>(
      `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = '_prisma_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`)).rows);
    expect(columns).toEqual([
      { column: "id", type: "character varying(36)", notnull: true, default: null },
      { column: "checksum", type: "character varying(64)", notnull: true, default: null },
      { column: "finished_at", type: "timestamp with time zone", notnull: false, default: null },
      { column: "migration_name", type: "character varying(255)", notnull: true, default: null },
      { column: "logs", type: "text", notnull: false, default: null },
      { column: "rolled_back_at", type: "timestamp with time zone", notnull: false, default: null },
      { column: "started_at", type: "timestamp with time zone", notnull: true, default: "now()" },
      { column: "applied_steps_count", type: "integer", notnull: true, default: "0" },
    ]);
    const widgets = await withClient(url, async (client) => (await client.query("SELECT name, colour FROM widgets")).rows);
    expect(widgets).toEqual([{ name: "a", colour: "red" }]);
  });

  it("applies nothing the second time, and only new migrations later", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);", "20240102000000_b": "CREATE TABLE b (id int);" });
    await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet });
    const before = await rows(url);

    expect(await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).toEqual({ applied: [], alreadyApplied: ["20240101000000_a", "20240102000000_b"] });
    expect(await rows(url)).toEqual(before);

    writeMigrations(dir, { "20240103000000_c": "CREATE TABLE c (id int);" });
    expect(await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).toEqual({ applied: ["20240103000000_c"], alreadyApplied: ["20240101000000_a", "20240102000000_b"] });
    expect(await rows(url)).toHaveLength(3);
  });

  it("refuses a migration whose file changed after it was applied, before applying anything", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);" });
    await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet });
    writeMigrations(dir, { "20240101000000_a": "CREATE TABLE a (id bigint);", "20240102000000_b": "CREATE TABLE b (id int);" });

    await expect(applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).rejects.toThrow(
      /migration 20240101000000_a was modified after it was applied \(checksum mismatch\)/,
    );
    expect(await tableExists(url, "b")).toBe(false);
    expect(await rows(url)).toHaveLength(1);
  });

  it("rolls a failing migration back completely and names it in the error", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({
      "20240101000000_ok": "CREATE TABLE ok (id int);",
      "20240102000000_broken": "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELEC 1;\n",
      "20240103000000_after": "CREATE TABLE after_broken (id int);",
    });

    const error = await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet }).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/migration 20240102000000_broken failed/);
    expect((error as Error).message).toMatch(/syntax error at or near "SELEC".*line 3/);

    expect(await tableExists(url, "ok")).toBe(true);
    expect(await tableExists(url, "half")).toBe(false);
    expect(await tableExists(url, "after_broken")).toBe(false);
    expect((await rows(url)).map((row) => row.migration_name)).toEqual(["20240101000000_ok"]);

    // Once fixed, the run continues where it stopped.
    writeMigrations(dir, { "20240102000000_broken": "CREATE TABLE half (id int);" });
    expect(await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).toEqual({ applied: ["20240102000000_broken", "20240103000000_after"], alreadyApplied: ["20240101000000_ok"] });
  });

  it("refuses to continue after a failed attempt Prisma recorded (P3009), until it is marked rolled back", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);", "20240102000000_b": "CREATE TABLE b (id int);" });
    await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet });
    await withClient(url, (client) => client.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('00000000-0000-4000-8000-000000000001', $1, '20240103000000_c', now())",
      [sha256("whatever")],
    ));
    writeMigrations(dir, { "20240103000000_c": "CREATE TABLE c (id int);" });

    await expect(applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).rejects.toThrow(/failed migrations.*P3009[\s\S]*`20240103000000_c` migration started at .* failed/);
    expect(await tableExists(url, "c")).toBe(false);

    await withClient(url, (client) => client.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20240103000000_c'"));
    expect(await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet })).toEqual({ applied: ["20240103000000_c"], alreadyApplied: ["20240101000000_a", "20240102000000_b"] });
  });

  it("warns about, but tolerates, a recorded migration that is missing on disk", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);", "20240102000000_gone": "CREATE TABLE gone (id int);" });
    await applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet });
    rmSync(path.join(dir, "20240102000000_gone"), { recursive: true });
    const lines: string[] = [];

    expect(await applyMigrations({ connectionString: url, migrationsDir: dir, log: (line) => lines.push(line) })).toEqual({ applied: [], alreadyApplied: ["20240101000000_a"] });
    expect(lines).toEqual([expect.stringMatching(/^warning: migration 20240102000000_gone is recorded in the database but missing/)]);
  });

  it("waits for whoever holds Prisma's advisory lock", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);" });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
      const lines: string[] = [];
      let settled = false;
      const run = applyMigrations({ connectionString: url, migrationsDir: dir, log: (line) => lines.push(line) }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(settled).toBe(false);
      expect(lines).toEqual([expect.stringMatching(/^waiting for another migration run/)]);
      await holder.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK_KEY})`);
      expect(await run).toEqual({ applied: ["20240101000000_a"], alreadyApplied: [] });
    } finally {
      await holder.end();
    }
  });

  it("applies each migration exactly once when two runs start together on an empty database", async () => {
    const url = await scratchDatabase();
    const dir = migrationsDir({
      // The sleep keeps the first run busy while the second one queues for the lock.
      "20240101000000_a": "CREATE TABLE a (id int); SELECT pg_sleep(0.3);",
      "20240102000000_b": "CREATE TABLE b (id int);",
      "20240103000000_c": "INSERT INTO a VALUES (1);",
    });
    const all = ["20240101000000_a", "20240102000000_b", "20240103000000_c"];

    const results = await Promise.all([
      applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet }),
      applyMigrations({ connectionString: url, migrationsDir: dir, log: quiet }),
    ]);

    // One run applies everything and the other finds it done (the lock admits one at a time).
    expect(results.flatMap((result) => result.applied).sort()).toEqual(all);
    expect(results.map((result) => [...result.applied, ...result.alreadyApplied].sort())).toEqual([all, all]);
    expect((await rows(url)).map((row) => row.migration_name)).toEqual(all);
    const count = await withClient(url, async (client) => (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM a")).rows[0]?.n);
    expect(count).toBe(1);
  });

  it("uses the schema named by Prisma's ?schema= parameter", async () => {
    const url = new URL(await scratchDatabase());
    url.searchParams.set("schema", "plant");
    const dir = migrationsDir({ "20240101000000_a": "CREATE TABLE a (id int);" });

    await applyMigrations({ connectionString: url.toString(), migrationsDir: dir, log: quiet });

    url.searchParams.delete("schema");
    const tables = await withClient(url.toString(), async (client) => (await client.query<{ name: string }>(
      "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")).rows.map((row) => row.name));
    expect(tables).toEqual(["plant._prisma_migrations", "plant.a"]);
  });
});
