import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { lockUnmappedTopic } from "./lock-unmapped-topic";
import type { TMapTopic } from "./topic-fields";

/**
 * From now on, messages on this asset path are stored for the chosen asset. The worker looks
 * unknown paths up in every batch, so the next message already lands there (no restart).
 * Messages that waited in quarantine meanwhile can be retried from the quarantine list.
 */
export async function mapTopic(path: string, input: TMapTopic, caller: TCaller) {
  return getDb().$transaction(async (tx) => {
    const topic = await lockUnmappedTopic(tx, path);
    if (topic.status === "mapped") {
      const existing = await tx.topicMapping.findUnique({ where: { path } });
      throw new AppError("conflict", `${path} is already mapped${existing ? ` (to asset ${existing.assetId})` : ""}.`);
    }
    const asset = await tx.asset.findFirst({ where: { id: input.assetId, retiredAt: null }, select: { id: true, name: true, path: true } });
    if (!asset) throw new AppError("not_found", "No such asset (it may have been retired). Pick another one.");
    await tx.topicMapping.deleteMany({ where: { path } });
    await tx.topicMapping.create({ data: { path, assetId: asset.id } });
    await tx.unmappedTopic.update({ where: { path }, data: { status: "mapped" } });
    await recordAudit(tx, caller, {
      action: "topic.map", entity: "topic", entityId: path,
      before: { status: topic.status },
      after: { status: "mapped", assetId: asset.id, assetPath: asset.path },
    });
    return { path, status: "mapped" as const, mappedTo: asset };
  });
}
