import type { Prisma } from "../generated/prisma/client";
import type { TCaller } from "../auth/caller";

type TAuditInput = {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
};

/** Must be called with the transaction that makes the change: if the audit row fails, so does the change. */
export async function recordAudit(tx: Prisma.TransactionClient, actor: TCaller | null, input: TAuditInput) {
  await tx.auditEntry.create({
    data: {
      actorId: actor?.kind === "user" ? actor.id : null,
      actorLabel: actor ? actor.label : "system",
      action: input.action,
      entity: input.entity,
      entityId: input.entityId ?? null,
      before: input.before ?? undefined,
      after: input.after ?? undefined,
    },
  });
}
