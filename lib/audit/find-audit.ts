import { type TCsvColumn, type TCsvValue, toCsv } from "../csv/to-csv";
import { z } from "zod";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";

const ZOffsetDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a zone, e.g. 2026-12-04T06:00:00+01:00" });

export const ZAuditQuery = z
  .object({
    entity: z.string().trim().min(1).max(100).optional(),
    /** The actor's e-mail (or token label) or user id. */
    user: z.string().trim().min(1).max(320).optional(),
    from: ZOffsetDateTime.optional(),
    to: ZOffsetDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(1000, { error: "limit must be at most 1000" }).default(200),
    format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json"),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to), { message: "from must be before to", path: ["from"] });
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export type TAuditEntry = {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
};

const ZUuid = z.uuid();

/** Audit rows, newest first, within [from, to). */
export async function findAudit(query: TAuditQuery): Promise<TAuditEntry[]> {
  const user = query.user;
  const rows = await getDb().auditEntry.findMany({
    where: {
      entity: query.entity,
      at: { gte: query.from ? new Date(query.from) : undefined, lt: query.to ? new Date(query.to) : undefined },
      ...(user ? { OR: [{ actorLabel: { equals: user, mode: "insensitive" } }, ...(ZUuid.safeParse(user).success ? [{ actorId: user }] : [])] } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map((row) => ({
    at: row.at.toISOString(),
    actor: row.actorLabel,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
  }));
}

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────

type TAuditCsvRow = TAuditEntry & { field: string; beforeValue: TCsvValue; afterValue: TCsvValue };

const auditColumns: TCsvColumn<TAuditCsvRow>[] = [
  { header: "at", value: (row) => row.at },
  { header: "actor", value: (row) => row.actor },
  { header: "action", value: (row) => row.action },
  { header: "entity", value: (row) => row.entity },
  { header: "entityId", value: (row) => row.entityId },
  { header: "field", value: (row) => row.field },
  { header: "before", value: (row) => row.beforeValue },
  { header: "after", value: (row) => row.afterValue },
];

/**
 * The audit as a spreadsheet: one line per field of before/after (so a value sits in a cell of
 * its own, filterable), one line with an empty field for an entry without them.
 */
export function auditToCsv(entries: readonly TAuditEntry[]): string {
  const rows = entries.flatMap((entry): TAuditCsvRow[] => {
    const before = asRecord(entry.before);
    const after = asRecord(entry.after);
    if (!before && !after) return [{ ...entry, field: "", beforeValue: jsonText(entry.before), afterValue: jsonText(entry.after) }];
    const fields = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
    return fields.map((field) => ({ ...entry, field, beforeValue: jsonText(before?.[field]), afterValue: jsonText(after?.[field]) }));
  });
  return toCsv(rows, auditColumns);
}

function asRecord(value: Prisma.JsonValue): Record<string, Prisma.JsonValue> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Prisma.JsonValue>) : null;
}

function jsonText(value: Prisma.JsonValue | undefined): TCsvValue {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}
