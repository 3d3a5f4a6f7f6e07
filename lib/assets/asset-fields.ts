/** Asset fields, levels and slugs; no database here, so the admin page validates with the same rules. */
import { z } from "zod";
import type { TCaller } from "../auth/caller";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { AssetLevel } from "../generated/prisma/enums";
import { isTimeZone } from "../time-zone";

/** ISA-95 from the top; an asset's level is its depth in the path, which is how the ingest worker registers them too. */
export const assetLevels = ["ENTERPRISE", "SITE", "AREA", "LINE", "WORK_CELL"] as const satisfies readonly AssetLevel[];

/** The level a child of `parent` has; null for a work cell, which has no children. */
export function childLevelOf(parent: AssetLevel): AssetLevel | null {
  return assetLevels[assetLevels.indexOf(parent) + 1] ?? null;
}

/** The level an asset's parent must have; null for an enterprise, which is at the top. */
export function parentLevelOf(level: AssetLevel): AssetLevel | null {
  return assetLevels[assetLevels.indexOf(level) - 1] ?? null;
}

// Control characters would end up in CSV exports, logs and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;
/** What an MQTT topic level may hold (parse-uns.ts); a leading "_" would be read as the schema part of a UNS topic. */
const slugPattern = /^[A-Za-z0-9-][A-Za-z0-9_-]*$/;
export const maxSlugLength = 64;

export const ZAssetName = z
  .string({ error: "name is required" })
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(200, { error: "name must be at most 200 characters" })
  .refine((name) => !controlCharacters.test(name), { error: "name must not contain control characters" });

export const ZAssetSlug = z
  .string({ error: "slug is required" })
  .min(1, { error: "slug must not be empty" })
  .max(maxSlugLength, { error: `slug must be at most ${maxSlugLength} characters` })
  .regex(slugPattern, { error: "slug may contain only a-z A-Z 0-9 - _ and must not start with _ (it becomes an MQTT topic level)" })
  .meta({ description: "The asset's topic level: a-z A-Z 0-9 - _, not starting with _; unique among its siblings." });

export const ZTimeZone = z
  .string({ error: "timeZone must be a text" })
  .max(64, { error: "timeZone must be at most 64 characters" })
  .refine(isTimeZone, { error: "timeZone must be an IANA time zone such as Europe/Berlin or America/Detroit" })
  .meta({ description: "IANA time zone; sites only (shift calendars, days and charts use it)." });

export const ZAssetNotes = z
  .string({ error: "notes must be a text" })
  .max(2000, { error: "notes must be at most 2000 characters" })
  // Line breaks and tabs are fine in notes; other control characters are not.
  .refine((notes) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(notes), { error: "notes must not contain control characters" });

export const ZIdealCycleTimeMs = z
  .number({ error: "idealCycleTimeMs must be a number of milliseconds" })
  .positive({ error: "idealCycleTimeMs must be greater than 0" })
  // Same bound the ingest worker puts on a product's cycle time: a day per part.
  .max(86_400_000, { error: "idealCycleTimeMs must be at most 86400000 (one day)" })
  .meta({ description: "Work cells only: ideal cycle time in ms for parts counted while no work order gives one." });

export const ZAssetId = z.uuid({ error: "must be an asset id (UUID)" });
export const ZTypeVersionId = z.uuid({ error: "typeVersionId must be an asset type version id (UUID) or null" });

/** The asset id of a route's `[id]` segment; anything that is not an asset id is simply not found. */
export function parseAssetId(value: unknown): string {
  const parsed = ZAssetId.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "No such asset.");
  return parsed.data;
}

/** A topic-safe slug from a name ("Press Line 1" → "press-line-1"); may be empty when the name has no usable letters. */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .replace(/-{2,}/g, "-")
    .slice(0, maxSlugLength)
    .replace(/-+$/, "");
}

/** What the admin API shows of an asset. */
export const adminAssetSelect = {
  id: true, name: true, slug: true, path: true, level: true, parentId: true, timeZone: true, notes: true,
  idealCycleTimeMs: true, typeVersionId: true, retiredAt: true, createdAt: true, updatedAt: true,
  typeVersion: { select: { id: true, version: true, type: { select: { id: true, key: true, name: true } } } },
} as const satisfies Prisma.AssetSelect;
export type TAdminAssetRow = Prisma.AssetGetPayload<{ select: typeof adminAssetSelect }>;

export type TAdminAsset = Omit<TAdminAssetRow, "typeVersion"> & {
  type: { id: string; key: string; name: string; versionId: string; version: number } | null;
};

export function toAdminAsset({ typeVersion, ...row }: TAdminAssetRow): TAdminAsset {
  return {
    ...row,
    type: typeVersion ? { id: typeVersion.type.id, key: typeVersion.type.key, name: typeVersion.type.name, versionId: typeVersion.id, version: typeVersion.version } : null,
  };
}

/** The audited state of an asset: everything an admin can change. */
export function auditedAsset(asset: Omit<TAdminAssetRow, "typeVersion" | "createdAt" | "updatedAt">) {
  return {
    name: asset.name, slug: asset.slug, path: asset.path, level: asset.level, parentId: asset.parentId,
    timeZone: asset.timeZone, notes: asset.notes, idealCycleTimeMs: asset.idealCycleTimeMs,
    typeVersionId: asset.typeVersionId, retired: asset.retiredAt !== null,
  };
}

/**
 * The asset hierarchy is plant configuration: changed by a signed-in admin, or an admin API token
 * (so a commissioning script can build a plant). Checked here too, not only by the route's role.
 */
export function assertAdmin(caller: TCaller) {
  if (caller.role !== "ADMIN") throw new AppError("forbidden", "This needs the admin role.");
}

/** Level rules that depend on the level: a time zone belongs to a site, an ideal cycle time to a machine. */
export function assertFieldsFitLevel(level: AssetLevel, input: { timeZone?: string | null; idealCycleTimeMs?: number | null }) {
  if (input.timeZone != null && level !== "SITE") throw new AppError("validation", "timeZone: only sites have a time zone (the areas, lines and machines below use their site's).", { issues: [{ path: "timeZone", message: "only sites have a time zone" }] });
  if (input.idealCycleTimeMs != null && level !== "WORK_CELL") throw new AppError("validation", "idealCycleTimeMs: only machines (work cells) have an ideal cycle time.", { issues: [{ path: "idealCycleTimeMs", message: "only machines (work cells) have an ideal cycle time" }] });
}

const levelLabels: Record<AssetLevel, string> = { ENTERPRISE: "Enterprise", SITE: "Site", AREA: "Area", LINE: "Line", WORK_CELL: "Machine" };
/** The name plants use for a level (a work cell is a machine). */
export function levelLabel(level: AssetLevel): string {
  return levelLabels[level];
}
