import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { TUnmappedStatus } from "./topic-fields";

export type TLockedTopic = { path: string; status: TUnmappedStatus; messageCount: number };

/** Reads and row-locks an unmapped topic, so two admins deciding at once take turns. */
export async function lockUnmappedTopic(tx: Prisma.TransactionClient, path: string): Promise<TLockedTopic> {
  const rows = await tx.$queryRaw<{ path: string; status: TUnmappedStatus; message_count: bigint }[]>`
    SELECT path, status, message_count FROM unmapped_topics WHERE path = ${path} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new AppError("not_found", `No unmapped topic has the asset path ${path}.`);
  return { path: row.path, status: row.status, messageCount: Number(row.message_count) };
}
