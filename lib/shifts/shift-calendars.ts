import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { assertPathInScope, type TSiteScope } from "../auth/site-scope";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { queueSiteStateHoursRebuild } from "../oee/queue-site-state-hours-rebuild";
import { isTimeZone } from "../time-zone";
import { ZLocalDate, ZShiftException, ZShiftPattern, type TShiftException, type TShiftPattern } from "./calendar-schema";
import type { TSiteCalendar } from "./expand-calendar";

export type TShiftCalendar = {
  site: { id: string; path: string; name: string; timeZone: string; timeZoneValid: boolean };
  /** Oldest first; each holds until the next one's validFrom. */
  patterns: TShiftPattern[];
  /** By date. */
  exceptions: TShiftException[];
};

type TSiteRow = { id: string; path: string; name: string; timeZone: string | null };

const ZSiteId = z.uuid();

/** The SITE asset a route's `[siteId]` names; anything else is simply not found. */
async function findSite(siteId: unknown, db: Prisma.TransactionClient = getDb()): Promise<TSiteRow> {
  const parsed = ZSiteId.safeParse(siteId);
  const site = parsed.success
    ? await db.asset.findFirst({ where: { id: parsed.data, level: "SITE" }, select: { id: true, path: true, name: true, timeZone: true } })
    : null;
  if (!site) throw new AppError("not_found", "No such site.");
  return site;
}

/** A path segment that must be a date; a malformed one is simply not found. */
export function parseDateParam(value: unknown, what: string): string {
  const parsed = ZLocalDate.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", `No ${what} on that date.`);
  return parsed.data;
}

const dateText = (date: Date) => date.toISOString().slice(0, 10);
const dateValue = (text: string) => new Date(`${text}T00:00:00Z`);

function siteZone(site: TSiteRow) {
  const valid = site.timeZone !== null && isTimeZone(site.timeZone);
  return { timeZone: valid ? (site.timeZone as string) : "UTC", timeZoneValid: valid };
}

function toPattern(row: { validFrom: Date; shifts: unknown }): TShiftPattern {
  return ZShiftPattern.parse({ validFrom: dateText(row.validFrom), shifts: row.shifts });
}

function toException(row: { date: Date; mode: string; note: string; shifts: unknown }): TShiftException {
  return ZShiftException.parse({ date: dateText(row.date), mode: row.mode, note: row.note, shifts: row.shifts });
}

export async function findShiftCalendar(siteId: unknown, siteScope: TSiteScope): Promise<TShiftCalendar> {
  const site = await findSite(siteId);
  assertPathInScope(siteScope, site.path, "No such site.");
  const db = getDb();
  const [patterns, exceptions] = await Promise.all([
    db.shiftPattern.findMany({ where: { siteId: site.id }, orderBy: { validFrom: "asc" } }),
    db.shiftException.findMany({ where: { siteId: site.id }, orderBy: { date: "asc" } }),
  ]);
  return {
    site: { id: site.id, path: site.path, name: site.name, ...siteZone(site) },
    patterns: patterns.map(toPattern),
    exceptions: exceptions.map(toException),
  };
}

/** Saves the pattern in force from `validFrom` on (replacing one that starts that same day), audited. */
export async function saveShiftPattern(siteId: unknown, input: TShiftPattern, caller: TCaller): Promise<{ created: boolean; pattern: TShiftPattern }> {
  return getDb().$transaction(async (tx) => {
    const site = await findSite(siteId, tx);
    const key = { siteId: site.id, validFrom: dateValue(input.validFrom) };
    const before = await tx.shiftPattern.findUnique({ where: { siteId_validFrom: key } });
    const shifts = input.shifts as Prisma.InputJsonValue;
    await tx.shiftPattern.upsert({ where: { siteId_validFrom: key }, create: { ...key, shifts }, update: { shifts, updatedAt: new Date() } });
    await queueSiteStateHoursRebuild(tx, site.path, input.validFrom);
    await recordAudit(tx, caller, {
      action: before ? "shift_pattern.update" : "shift_pattern.create",
      entity: "shift_pattern",
      entityId: `${site.path}@${input.validFrom}`,
      before: before ? (toPattern(before) as Prisma.InputJsonValue) : null,
      after: input as Prisma.InputJsonValue,
    });
    return { created: !before, pattern: input };
  });
}

export async function deleteShiftPattern(siteId: unknown, validFrom: string, caller: TCaller): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const site = await findSite(siteId, tx);
    const key = { siteId: site.id, validFrom: dateValue(validFrom) };
    const before = await tx.shiftPattern.findUnique({ where: { siteId_validFrom: key } });
    if (!before) throw new AppError("not_found", `No shift pattern starting ${validFrom}.`);
    await tx.shiftPattern.delete({ where: { siteId_validFrom: key } });
    await queueSiteStateHoursRebuild(tx, site.path, validFrom);
    await recordAudit(tx, caller, { action: "shift_pattern.delete", entity: "shift_pattern", entityId: `${site.path}@${validFrom}`, before: toPattern(before) as Prisma.InputJsonValue });
  });
}

export async function saveShiftException(siteId: unknown, input: TShiftException, caller: TCaller): Promise<{ created: boolean; exception: TShiftException }> {
  return getDb().$transaction(async (tx) => {
    const site = await findSite(siteId, tx);
    const key = { siteId: site.id, date: dateValue(input.date) };
    const before = await tx.shiftException.findUnique({ where: { siteId_date: key } });
    const fields = { mode: input.mode, note: input.note, shifts: input.shifts as Prisma.InputJsonValue };
    await tx.shiftException.upsert({ where: { siteId_date: key }, create: { ...key, ...fields }, update: { ...fields, updatedAt: new Date() } });
    await queueSiteStateHoursRebuild(tx, site.path, input.date);
    await recordAudit(tx, caller, {
      action: before ? "shift_exception.update" : "shift_exception.create",
      entity: "shift_exception",
      entityId: `${site.path}@${input.date}`,
      before: before ? (toException(before) as Prisma.InputJsonValue) : null,
      after: input as Prisma.InputJsonValue,
    });
    return { created: !before, exception: input };
  });
}

export async function deleteShiftException(siteId: unknown, date: string, caller: TCaller): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const site = await findSite(siteId, tx);
    const key = { siteId: site.id, date: dateValue(date) };
    const before = await tx.shiftException.findUnique({ where: { siteId_date: key } });
    if (!before) throw new AppError("not_found", `No exception on ${date}.`);
    await tx.shiftException.delete({ where: { siteId_date: key } });
    await queueSiteStateHoursRebuild(tx, site.path, date);
    await recordAudit(tx, caller, { action: "shift_exception.delete", entity: "shift_exception", entityId: `${site.path}@${date}`, before: toException(before) as Prisma.InputJsonValue });
  });
}

/**
 * The calendars of these sites for OEE, with the exceptions near [from, to). A site without a usable zone
 * plans in UTC (find-oee-scope.ts warns about it). Sites without a pattern or exception are left out.
 */
export async function loadSiteCalendars(siteIds: readonly string[], from: number, to: number): Promise<Map<string, TSiteCalendar>> {
  const calendars = new Map<string, TSiteCalendar>();
  if (siteIds.length === 0) return calendars;
  const db = getDb();
  const dayMs = 86_400_000;
  const [sites, patterns, exceptions] = await Promise.all([
    db.asset.findMany({ where: { id: { in: [...siteIds] } }, select: { id: true, path: true, name: true, timeZone: true } }),
    db.shiftPattern.findMany({ where: { siteId: { in: [...siteIds] } }, orderBy: { validFrom: "asc" } }),
    // A local date is at most 14 h from its UTC date, and a night shift reaches into the next day.
    db.shiftException.findMany({ where: { siteId: { in: [...siteIds] }, date: { gte: new Date(from - 2 * dayMs), lte: new Date(to + dayMs) } } }),
  ]);
  for (const site of sites) {
    const sitePatterns = patterns.filter((row) => row.siteId === site.id).map(toPattern);
    const siteExceptions = exceptions.filter((row) => row.siteId === site.id).map(toException);
    if (sitePatterns.length === 0 && siteExceptions.length === 0) continue;
    calendars.set(site.id, { timeZone: siteZone(site).timeZone, patterns: sitePatterns, exceptions: siteExceptions });
  }
  return calendars;
}
