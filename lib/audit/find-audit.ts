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
    cursor: z
      .string()
      .regex(/^\d{1,15}\.\d{1,18}$/, { error: "cursor must be a nextCursor from an earlier answer" })
      .optional()
      .meta({ description: "The `nextCursor` of the previous page: continues with the entries older than its last one." }),
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

export type TAuditPage = {
  entries: TAuditEntry[];
  /** Pass as `cursor` for the next (older) page; null when this page holds the oldest matching entry. */
  nextCursor: string | null;
};

/** Audit rows, newest first, within [from, to). */
export async function findAudit(query: TAuditQuery): Promise<TAuditEntry[]> {
  return (await findAuditPage(query)).entries;
}

/**
 * One page of audit rows, newest first, continuing after `cursor`. The cursor is the last row's
 * (at, id): ids alone do not follow `at` when a transaction commits late, and many rows share an `at`.
 */
export async function findAuditPage(query: TAuditQuery): Promise<TAuditPage> {
  const user = query.user;
  const after = query.cursor ? parseCursor(query.cursor) : null;
  const rows = await getDb().auditEntry.findMany({
    where: {
      entity: query.entity,
      at: { gte: query.from ? new Date(query.from) : undefined, lt: query.to ? new Date(query.to) : undefined },
      AND: [
        user ? { OR: [{ actorLabel: { equals: user, mode: "insensitive" } }, ...(ZUuid.safeParse(user).success ? [{ actorId: user }] : [])] } : {},
        after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {},
      ],
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    // One more than asked, to know whether there is a next page.
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { entries: page.map(toEntry), nextCursor: rows.length > query.limit && last ? `${last.at.getTime()}.${last.id}` : null };
}

function parseCursor(cursor: string): { at: Date; id: bigint } {
  const [at = "", id = ""] = cursor.split(".");
  return { at: new Date(Number(at)), id: BigInt(id) };
}

function toEntry(row: { at: Date; actorLabel: string; action: string; entity: string; entityId: string | null; before: Prisma.JsonValue; after: Prisma.JsonValue }): TAuditEntry {
  return {
    at: row.at.toISOString(),
    actor: row.actorLabel,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
  };
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
