import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { lockUnmappedTopic } from "./lock-unmapped-topic";

/**
 * ignored: its messages are dropped and only counted. rejected: its messages go to quarantine
 * with that reason. pending: back to the default (quarantined as unmapped, waiting for a mapping).
 * A mapped path is not changed here: its messages already reach an asset.
 */
export async function setTopicStatus(path: string, status: "pending" | "ignored" | "rejected", caller: TCaller) {
  return getDb().$transaction(async (tx) => {
    const topic = await lockUnmappedTopic(tx, path);
    if (topic.status === "mapped") throw new AppError("conflict", `${path} is mapped to an asset; its messages are stored there.`);
    if (topic.status !== status) {
      await tx.unmappedTopic.update({ where: { path }, data: { status } });
      await recordAudit(tx, caller, { action: `topic.${status === "pending" ? "restore" : status === "ignored" ? "ignore" : "reject"}`, entity: "topic", entityId: path, before: { status: topic.status }, after: { status } });
    }
    return { path, status };
  });
}
