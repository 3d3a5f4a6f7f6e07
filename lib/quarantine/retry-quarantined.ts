import pg from "pg";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { parseForReplay } from "../ingest/replay-message";
import { IngestCaches, QuarantineRowGoneError, writeBatch } from "../ingest/write-batch";
import { getIngestSettings } from "../topics/ingest-settings";

export type TRetryOutcome =
  | { id: string; outcome: "stored"; assetIds: string[] }
  | { id: string; outcome: "quarantined"; reason: string };

/**
 * Runs a quarantined message's stored bytes through the worker's own parse and write path, with
 * the current mappings and settings. Stored: its row is deleted in the same transaction as the
 * insert. Refused again: the row stays, with the new reason. Retrying twice never stores twice
 * (natural keys, ON CONFLICT DO NOTHING) and a row retried or deleted meanwhile answers 404.
 */
export async function retryQuarantined(id: bigint, caller: TCaller): Promise<TRetryOutcome> {
  const row = await getDb().quarantinedMessage.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found", "No such quarantined message (it may have been retried or deleted).");
  if (row.payload.length < row.payloadBytes) {
    throw new AppError("conflict", `Only ${row.payload.length} of the message's ${row.payloadBytes} bytes were kept (QUARANTINE_PAYLOAD_CAP), so it cannot be retried. Delete it.`);
  }
  const settings = await getIngestSettings();
  const payload = Buffer.from(row.payload);
  const receivedAt = row.receivedAt.getTime();
  const outcome = parseForReplay(row.topic, payload, receivedAt, settings.sparkplugPathTemplate);
  const replayOf = id.toString();
  try {
    const result = await withConnection((client) =>
      writeBatch(client, [{ topic: row.topic, payload, receivedAt, outcome, replayOf }], new IngestCaches(), {
        autoRegister: settings.autoRegister,
        quarantinePayloadCap: row.payload.length,
        beforeCommit: (tx, batch) => auditRetry(tx, caller, replayOf, row.topic, batch.quarantined ? "quarantined" : "stored"),
      }));
    if (!result.quarantined) return { id: replayOf, outcome: "stored", assetIds: result.assetIds };
  } catch (error) {
    if (error instanceof QuarantineRowGoneError) throw new AppError("not_found", "This message was retried or deleted meanwhile.");
    throw error;
  }
  const after = await getDb().quarantinedMessage.findUnique({ where: { id }, select: { reason: true } });
  return { id: replayOf, outcome: "quarantined", reason: after?.reason ?? "quarantined again" };
}

/**
 * A connection of its own for the write path (plain pg, as the worker uses), closed afterwards.
 * Retries are rare admin clicks; a pool would only hold idle connections.
 */
async function withConnection<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: getEnv().DATABASE_URL, application_name: "shopfloor-quarantine-retry" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The audit row, in the write's own transaction (a pg client, not Prisma: the write path is plain SQL). */
async function auditRetry(client: pg.ClientBase, caller: TCaller, id: string, topic: string, outcome: "stored" | "quarantined") {
  await client.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, before, after) VALUES ($1, $2, 'quarantine.retry', 'quarantined_message', $3, $4, $5)`,
    [caller.kind === "user" ? caller.id : null, caller.label, id, JSON.stringify({ topic }), JSON.stringify({ outcome })],
  );
}
