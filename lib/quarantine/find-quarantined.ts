import { getDb } from "../db";
import { AppError } from "../errors";
import { quarantineWhere, retryHint, type TQuarantineQuery } from "./quarantine-fields";

/** Bytes of each payload in the list; the whole stored payload comes with one message. */
export const payloadPreviewBytes = 2_048;

export type TQuarantinedMessage = {
  id: string;
  receivedAt: Date;
  topic: string;
  reason: string;
  /** Base64 of the stored bytes (the first payloadPreviewBytes in the list). */
  payloadBase64: string;
  /** Bytes stored (the worker keeps at most QUARANTINE_PAYLOAD_CAP) and bytes received. */
  storedBytes: number;
  payloadBytes: number;
  /** Why a retry cannot succeed, when that is known in advance. */
  retryHint: string | null;
};

type TRow = { id: bigint; received_at: Date; topic: string; reason: string; payload: Uint8Array; stored_bytes: number; payload_bytes: number };

function toMessage(row: TRow): TQuarantinedMessage {
  return {
    id: row.id.toString(), receivedAt: row.received_at, topic: row.topic, reason: row.reason,
    payloadBase64: Buffer.from(row.payload).toString("base64"), storedBytes: row.stored_bytes, payloadBytes: row.payload_bytes,
    retryHint: retryHint(row.topic),
  };
}

/** Newest first, filtered, a page at a time; `total` counts every match (for "delete all 1,234"). */
export async function findQuarantined(query: TQuarantineQuery) {
  const db = getDb();
  const where = quarantineWhere(query);
  const before = query.before === undefined ? null : BigInt(query.before);
  const rows = await db.$queryRaw<TRow[]>`
    SELECT id, received_at, topic, reason, substring(payload FROM 1 FOR ${payloadPreviewBytes}) AS payload,
           octet_length(payload) AS stored_bytes, payload_bytes
    FROM quarantined_messages
    WHERE ${where} AND (${before}::bigint IS NULL OR id < ${before}::bigint)
    ORDER BY id DESC LIMIT ${query.limit + 1}`;
  const counted = await db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM quarantined_messages WHERE ${where}`;
  const page = rows.slice(0, query.limit);
  return {
    data: page.map(toMessage),
    meta: { total: Number(counted[0]?.total ?? 0), nextBefore: rows.length > query.limit ? page.at(-1)!.id.toString() : null },
  };
}

/** One message with its whole stored payload. */
export async function getQuarantined(id: bigint): Promise<TQuarantinedMessage> {
  const rows = await getDb().$queryRaw<TRow[]>`
    SELECT id, received_at, topic, reason, payload, octet_length(payload) AS stored_bytes, payload_bytes
    FROM quarantined_messages WHERE id = ${id}`;
  if (!rows[0]) throw new AppError("not_found", "No such quarantined message (it may have been retried or deleted).");
  return toMessage(rows[0]);
}

