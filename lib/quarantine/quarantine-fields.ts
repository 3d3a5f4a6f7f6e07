import { z } from "zod";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";

const ZFilterText = (name: string) => z.string().trim().min(1, { error: `${name} must not be empty` }).max(200, { error: `${name} must be at most 200 characters` });

/** Case-insensitive "contains" filters, shared by the list and the bulk delete. */
export const ZQuarantineFilter = z.strictObject({
  reason: ZFilterText("reason").optional(),
  topic: ZFilterText("topic").optional(),
});
export type TQuarantineFilter = z.infer<typeof ZQuarantineFilter>;

export const ZQuarantineQuery = ZQuarantineFilter.extend({
  /** Keyset paging: rows with a smaller id than this (the previous page's nextBefore). */
  before: z.string().regex(/^[1-9][0-9]{0,18}$/, { error: "before must be a row id from the previous page" }).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int({ error: "limit must be an integer" }).min(1, { error: "limit must be at least 1" }).max(200, { error: "limit must be at most 200" }).default(50),
});
export type TQuarantineQuery = z.infer<typeof ZQuarantineQuery>;

/** Deleting by filter: at least one filter, or all=true to empty the quarantine on purpose. */
export const ZQuarantineBulkDelete = ZQuarantineFilter.extend({
  all: z.enum(["true"], { error: "all must be true when given" }).optional(),
}).refine((input) => input.reason !== undefined || input.topic !== undefined || input.all === "true", {
  error: "give a reason or topic filter, or all=true to delete every quarantined message",
});
export type TQuarantineBulkDelete = z.infer<typeof ZQuarantineBulkDelete>;

/** The id of a route's `[id]` segment; anything else is simply not found. */
export function parseQuarantineId(value: unknown): bigint {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,18}$/.test(value)) throw new AppError("not_found", "No such quarantined message.");
  return BigInt(value);
}

/** SQL condition for the filters; strpos, not LIKE, so "%" and "_" in a filter are literal. */
export function quarantineWhere(filter: TQuarantineFilter): Prisma.Sql {
  const reason = filter.reason ?? null;
  const topic = filter.topic ?? null;
  return Prisma.sql`(${reason}::text IS NULL OR strpos(lower(reason), lower(${reason}::text)) > 0)
    AND (${topic}::text IS NULL OR strpos(lower(topic), lower(${topic}::text)) > 0)`;
}

/**
 * Why retrying this message cannot succeed, or null. Sparkplug DATA and DBIRTH messages depend on
 * the session's birth (aliases, metric names, sequence), which the stored bytes do not carry: a
 * retry would fail again, so the UI says so instead of offering false hope.
 */
export function retryHint(topic: string): string | null {
  const type = topic.startsWith("spBv1.0/") ? topic.split("/")[2] : undefined;
  if (type === "NDATA" || type === "DDATA" || type === "DBIRTH") {
    return "This Sparkplug message depends on its edge node's birth (aliases, metric names), which is not stored with it, so a retry fails again. Fix the cause; the node's next birth sends current values.";
  }
  return null;
}
