/**
 * Applies prisma/migrations without Prisma's schema engine (unavailable in air-gapped plants),
 * recording them in `_prisma_migrations` the way `prisma migrate deploy` does so that both tools
 * agree on what has been applied and exclude each other through the same advisory lock.
 *
 * Differences from `prisma migrate deploy`, on purpose:
 * - each migration runs in one transaction with its bookkeeping row, so a failure leaves nothing
 *   behind (Prisma leaves a failed row that blocks further deploys until `migrate resolve`);
 *   the flip side is that statements PostgreSQL refuses inside a transaction block
 *   (CREATE INDEX CONCURRENTLY, some TimescaleDB calls) cannot be used in a migration;
 * - an applied migration whose file changed is refused (deploy silently ignores it).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The key `prisma migrate deploy` passes to pg_advisory_lock. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's PostgreSQL DDL for its bookkeeping table, verbatim (schema engine, postgres flavour). */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export type TMigrationFile = { name: string; sqlPath: string; sql: string; checksum: string };

export type TApplyMigrationsOptions = {
  connectionString: string;
  /** Defaults to prisma/migrations under process.cwd(). */
  migrationsDir?: string;
  log?: (line: string) => void;
};

export type TApplyMigrationsResult = { applied: string[]; alreadyApplied: string[] };

type TRecordedMigration = {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/** Lowercase hex SHA-256 of the script's UTF-8 bytes, as Prisma computes it. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/**
 * Whether a recorded checksum belongs to this script. Old Prisma versions wrote the hex digits
 * without zero padding (prisma-engines#1887); Prisma still accepts those, and so do we.
 */
export function checksumMatches(sql: string, recorded: string): boolean {
  const digest = createHash("sha256").update(sql, "utf8").digest();
  if (recorded.length === 64) return digest.toString("hex") === recorded;
  return Array.from(digest, (byte) => byte.toString(16)).join("") === recorded;
}

/** Migration directory names in the order Prisma applies them (its CLI sorts with localeCompare). */
export function sortMigrationNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Every sub-directory of `dir` with its migration.sql, in application order. */
export function listMigrations(dir: string): TMigrationFile[] {
  if (!existsSync(dir)) throw new Error(`migrations directory not found: ${dir}`);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return sortMigrationNames(names).map((name) => {
    const sqlPath = path.join(dir, name, "migration.sql");
    if (!existsSync(sqlPath)) throw new Error(`migration ${name} has no migration.sql (${sqlPath})`);
    // Prisma reads the script as UTF-8 text and hashes that text, so we do the same.
    const sql = readFileSync(sqlPath, "utf8");
    return { name, sqlPath, sql, checksum: checksumOf(sql) };
  });
}

/** Prisma refuses to deploy migrations written for another provider (P3019); so do we. */
export function checkMigrationLock(dir: string): void {
  const lockPath = path.join(dir, "migration_lock.toml");
  if (!existsSync(lockPath)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockPath, "utf8"))?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new Error(`${lockPath} says the migrations were written for "${provider}", not "postgresql"`);
  }
}

/**
 * Prisma puts its tables in the schema named by the URL's `schema` parameter, which pg ignores;
 * split it off so that we can select the same schema.
 */
export function splitSchemaParam(connectionString: string): { connectionString: string; schema: string | null } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { connectionString, schema: null };
  }
  const schema = url.searchParams.get("schema");
  if (schema === null) return { connectionString, schema: null };
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}

/** 1-based line of a 1-based character position in `sql` (PostgreSQL's error position). */
export function lineOfPosition(sql: string, position: number): number {
  return sql.slice(0, Math.max(0, position - 1)).split("\n").length;
}

function describePgError(error: unknown, sql: string): string {
  if (!(error instanceof Error)) return String(error);
  const details: string[] = [];
  const pgError = error as Partial<pg.DatabaseError>;
  if (pgError.code) details.push(`SQLSTATE ${pgError.code}`);
  const position = Number(pgError.position);
  if (Number.isInteger(position) && position > 0) details.push(`line ${lineOfPosition(sql, position)}`);
  const detail = pgError.detail ? `; ${pgError.detail}` : "";
  return `${error.message}${detail}${details.length ? ` (${details.join(", ")})` : ""}`;
}

async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  // Prisma looks in the current schema only, never elsewhere on the search_path.
  const { rows } = await client.query<{ exists: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_name = '_prisma_migrations') AS exists`,
  );
  if (!rows[0]?.exists) await client.query(PRISMA_MIGRATIONS_TABLE_DDL);
}

async function acquireLock(client: pg.Client, log: (line: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRISMA_ADVISORY_LOCK_KEY]);
  if (rows[0]?.locked) return;
  log(`waiting for another migration run to finish (advisory lock ${PRISMA_ADVISORY_LOCK_KEY})`);
  await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
}

async function applyOne(client: pg.Client, migration: TMigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 0)`,
      [id, migration.checksum, migration.name],
    );
    // No parameters: pg then uses the simple protocol, which accepts many statements at once.
    await client.query(migration.sql);
    // clock_timestamp(), not now(): inside the transaction now() would equal started_at.
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = clock_timestamp() WHERE id = $1",
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    // A failed ROLLBACK (lost connection) must not hide the migration's own error.
    await client.query("ROLLBACK").catch(() => undefined);
    throw new Error(`migration ${migration.name} failed and was rolled back: ${describePgError(error, migration.sql)}`, { cause: error });
  }
}

/** Applies every migration not yet recorded, in order; see the module comment. */
export async function applyMigrations(options: TApplyMigrationsOptions): Promise<TApplyMigrationsResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const migrationsDir = path.resolve(process.cwd(), options.migrationsDir ?? path.join("prisma", "migrations"));
  // Read everything before touching the database, so a broken directory changes nothing.
  checkMigrationLock(migrationsDir);
  const migrations = listMigrations(migrationsDir);

  const { connectionString, schema } = splitSchemaParam(options.connectionString);
  const client = new pg.Client({ connectionString });
  // Without a listener an idle connection error would crash the process; the next query reports it.
  client.on("error", (error) => log(`database connection error: ${error.message}`));
  await client.connect();
  let locked = false;
  try {
    if (schema !== null) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    }
    await acquireLock(client, log);
    locked = true;
    await ensureMigrationsTable(client);

    const { rows } = await client.query<TRecordedMigration>(
      `SELECT id, checksum, migration_name, started_at, finished_at, rolled_back_at
       FROM _prisma_migrations ORDER BY started_at ASC`,
    );
    // Rolled-back attempts no longer count, exactly as in Prisma.
    const live = rows.filter((row) => row.rolled_back_at === null);

    const failed = live.filter((row) => row.finished_at === null);
    if (failed.length > 0) {
      const lines = failed.map((row) => `The \`${row.migration_name}\` migration started at ${row.started_at.toISOString()} failed`);
      throw new Error(
        "found failed migrations in the target database, new migrations will not be applied (Prisma P3009). " +
          "Fix the database by hand, then mark the attempt rolled back " +
          "(UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = ...) or use `prisma migrate resolve`.\n" +
          lines.join("\n"),
      );
    }

    const onDisk = new Set(migrations.map((migration) => migration.name));
    for (const name of new Set(live.map((row) => row.migration_name))) {
      if (!onDisk.has(name)) log(`warning: migration ${name} is recorded in the database but missing from ${migrationsDir}`);
    }

    const alreadyApplied: string[] = [];
    const pending: TMigrationFile[] = [];
    for (const migration of migrations) {
      const recorded = live.filter((row) => row.migration_name === migration.name);
      if (recorded.length === 0) {
        pending.push(migration);
        continue;
      }
      const changed = recorded.find((row) => !checksumMatches(migration.sql, row.checksum));
      if (changed) {
        throw new Error(
          `migration ${migration.name} was modified after it was applied (checksum mismatch): ` +
            `the database recorded ${changed.checksum}, ${migration.sqlPath} now hashes to ${migration.checksum}. ` +
            "Restore the original file and put the change in a new migration.",
        );
      }
      alreadyApplied.push(migration.name);
    }

    const applied: string[] = [];
    for (const migration of pending) {
      const started = Date.now();
      await applyOne(client, migration);
      applied.push(migration.name);
      log(`applied ${migration.name} (${Date.now() - started} ms)`);
    }
    return { applied, alreadyApplied };
  } finally {
    if (locked) await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
