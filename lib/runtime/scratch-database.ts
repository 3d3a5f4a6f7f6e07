import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres";

export type TScratchDatabase = { url: string; where: string; drop: () => Promise<void> };

/**
 * A new, empty database for one test or benchmark run: on the server of `serverUrl` when given
 * (dropped afterwards), otherwise in an embedded PostgreSQL under `workDir` (removed afterwards).
 */
export async function createScratchDatabase(prefix: string, serverUrl: string | undefined, workDir: string): Promise<TScratchDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  if (serverUrl) {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      where: `fresh database ${name} on ${url.host}`,
      drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
    };
  }
  mkdirSync(workDir, { recursive: true });
  const dataDir = mkdtempSync(path.join(workDir, "pg-"));
  const postgres = await startEmbeddedPostgres({ dataDir, database: name });
  return {
    url: postgres.url,
    where: `embedded PostgreSQL on 127.0.0.1:${postgres.port}, database ${name}`,
    drop: async () => {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on a connection of its own, closed afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
