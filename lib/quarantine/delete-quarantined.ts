import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { quarantineWhere, type TQuarantineBulkDelete } from "./quarantine-fields";

/** Deletes one quarantined message; audited with what it was (never its payload). */
export async function deleteQuarantined(id: bigint, caller: TCaller) {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ topic: string; reason: string; received_at: Date; payload_bytes: number }[]>`
      DELETE FROM quarantined_messages WHERE id = ${id} RETURNING topic, reason, received_at, payload_bytes`;
    const row = rows[0];
    if (!row) throw new AppError("not_found", "No such quarantined message (it may have been retried or deleted).");
    await recordAudit(tx, caller, {
      action: "quarantine.delete", entity: "quarantined_message", entityId: id.toString(),
      before: { topic: row.topic, reason: row.reason, receivedAt: row.received_at.toISOString(), payloadBytes: row.payload_bytes },
    });
    return { id: id.toString(), deleted: 1 };
  });
}

/** Deletes every message matching the filters (or all, when asked for explicitly); one audit row with the filter and the count. */
export async function deleteQuarantinedMatching(filter: TQuarantineBulkDelete, caller: TCaller) {
  return getDb().$transaction(async (tx) => {
    const deleted = await tx.$executeRaw`DELETE FROM quarantined_messages WHERE ${quarantineWhere(filter)}`;
    await recordAudit(tx, caller, {
      action: "quarantine.delete_matching", entity: "quarantined_message", entityId: null,
      after: { reason: filter.reason ?? null, topic: filter.topic ?? null, all: filter.all === "true", deleted },
    });
    return { deleted };
  });
}
