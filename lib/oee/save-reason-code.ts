import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";
import type { TStateCategory } from "./state-classification";
import { defaultReasonCodes, findSiteOf, ZReasonCategory } from "./reason-codes";

// Control characters would end up in CSV exports and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;

const ZReasonCodeNumber = z.int({ error: "code must be an integer" }).min(10_000, { error: "code must be at least 10000" }).max(999_999, { error: "code must be at most 999999" });

export const ZSaveReasonCode = z.strictObject({
  /** A site (or an asset below one) for a site code; left out for a plant-wide code. */
  site: z.string().min(1).max(512).optional(),
  code: ZReasonCodeNumber,
  name: z.string({ error: "name is required" }).trim().min(1, { error: "name must not be empty" }).max(80, { error: "name must be at most 80 characters" })
    .refine((name) => !controlCharacters.test(name), { error: "name must not contain control characters" }),
  category: ZReasonCategory,
});
export type TSaveReasonCode = z.infer<typeof ZSaveReasonCode>;

type TSaved = { code: number; name: string; category: TStateCategory; source: "plant" | "site"; site: string | null };

/** Creates or updates a plant-wide or site reason code, audited in the same transaction. */
export async function saveReasonCode(input: TSaveReasonCode, caller: TCaller): Promise<{ created: boolean; reasonCode: TSaved }> {
  return getDb().$transaction(async (tx) => {
    const site = input.site ? await findSiteOf(input.site, tx) : null;
    const siteId = site?.id ?? null;
    // Locks the row so that two admins saving the same code audit a consistent before/after.
    const before = await tx.$queryRaw<{ id: string; name: string; category: TStateCategory }[]>`
      SELECT id, name, category FROM reason_codes WHERE site_id IS NOT DISTINCT FROM ${siteId}::uuid AND code = ${input.code} FOR UPDATE`;
    const saved = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO reason_codes (id, site_id, code, name, category, updated_at)
      VALUES (gen_random_uuid(), ${siteId}::uuid, ${input.code}, ${input.name}, ${input.category}, now())
      ON CONFLICT (site_id, code) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, updated_at = now()
      RETURNING id`;
    const previous = before[0];
    const reasonCode: TSaved = { code: input.code, name: input.name, category: input.category, source: site ? "site" : "plant", site: site?.path ?? null };
    await recordAudit(tx, caller, {
      action: previous ? "reason_code.update" : "reason_code.create",
      entity: "reason_code",
      entityId: saved[0]?.id ?? null,
      before: previous ? { ...reasonCode, name: previous.name, category: previous.category } : null,
      after: reasonCode,
    });
    return { created: !previous, reasonCode };
  });
}

// ── Removal ──────────────────────────────────────────────────────────────────────────────────

export const ZReasonCodeScope = z.object({
  /** A site (or an asset below one) for the site's row; left out for the plant-wide row. */
  site: z.string().min(1).max(512).optional(),
});
export type TReasonCodeScope = z.infer<typeof ZReasonCodeScope>;

/** The code of a route's `[code]` segment; anything that is not a reason code is simply not found. */
export function parseReasonCodeParam(value: unknown): number {
  const parsed = z.coerce.number().pipe(ZReasonCodeNumber).safeParse(typeof value === "string" && /^\d{1,7}$/.test(value) ? value : "");
  if (!parsed.success) throw new AppError("not_found", "No such reason code.");
  return parsed.data;
}

const standardCodes: ReadonlySet<number> = new Set(defaultReasonCodes.map((reason) => reason.code));

type TRemoved = { removed: TSaved; reverted: { name: string; category: TStateCategory; source: "default" | "plant" } | null };

/**
 * Removes a plant-wide or site row, audited in the same transaction: the code reverts to the layer beneath
 * (the site to the plant-wide row, the plant-wide row to the domain.md default). A code that would then be
 * unknown while stops are still classified with it is refused with 409: reclassify those stops first.
 */
export async function removeReasonCode(code: number, scope: TReasonCodeScope, caller: TCaller): Promise<TRemoved> {
  return getDb().$transaction(async (tx) => {
    const site = scope.site ? await findSiteOf(scope.site, tx) : null;
    const siteId = site?.id ?? null;
    const where = site ? `site ${site.path}` : "the plant";
    // Every row of the code, the one to remove locked, so a concurrent save or removal waits for this one.
    const rows = await tx.$queryRaw<{ id: string; siteId: string | null; name: string; category: TStateCategory }[]>`
      SELECT id, site_id AS "siteId", name, category FROM reason_codes WHERE code = ${code} ORDER BY site_id NULLS FIRST FOR UPDATE`;
    const target = rows.find((row) => row.siteId === siteId);
    if (!target) throw new AppError("not_found", `${where} has no row of its own for code ${code}${standardCodes.has(code) ? ": it already uses the standard one" : ""}.`);

    const plantRow = rows.find((row) => row.siteId === null);
    const knownAt = (machineSiteId: string | null, without: string | null) =>
      standardCodes.has(code) || rows.some((row) => row.id !== without && (row.siteId === null || row.siteId === machineSiteId));
    const used = await stopsClassifiedWith(tx, code);
    const orphaned = used.filter((usage) => knownAt(usage.siteId, null) && !knownAt(usage.siteId, target.id)).reduce((sum, usage) => sum + usage.stops, 0);
    if (orphaned > 0) {
      throw new AppError(
        "conflict",
        `Code ${code} "${target.name}" is still the reason of ${orphaned} classified stop${orphaned === 1 ? "" : "s"}${site ? ` at ${site.path}` : ""}; ` +
          "without this row it would be unknown. Reclassify those stops first, or rename the code instead of removing it.",
      );
    }

    await tx.reasonCode.delete({ where: { id: target.id } });
    const standard = defaultReasonCodes.find((reason) => reason.code === code);
    const reverted = site && plantRow
      ? { name: plantRow.name, category: plantRow.category, source: "plant" as const }
      : standard ? { name: standard.name, category: standard.category, source: "default" as const } : null;
    const removed: TSaved = { code, name: target.name, category: target.category, source: site ? "site" : "plant", site: site?.path ?? null };
    await recordAudit(tx, caller, {
      action: "reason_code.delete", entity: "reason_code", entityId: target.id,
      before: removed,
      after: reverted ? { code, ...reverted, site: site?.path ?? null } : null,
    });
    return { removed, reverted };
  });
}

type TUsage = { siteId: string | null; stops: number };

/** How many classified stops carry the code, per site of their machine (null: a machine above any site). */
function stopsClassifiedWith(tx: Pick<Prisma.TransactionClient, "$queryRaw">, code: number): Promise<TUsage[]> {
  return tx.$queryRaw<TUsage[]>`
    WITH RECURSIVE used AS (
      SELECT asset_id, count(*)::int AS stops FROM stop_classifications WHERE reason_code = ${code} GROUP BY asset_id
    ), up AS (
      SELECT u.asset_id AS machine_id, a.id, a.parent_id, a.level, 0 AS depth FROM used u JOIN assets a ON a.id = u.asset_id
      UNION ALL
      SELECT up.machine_id, p.id, p.parent_id, p.level, up.depth + 1 FROM assets p JOIN up ON p.id = up.parent_id WHERE up.depth < 16
    )
    SELECT (SELECT up.id FROM up WHERE up.machine_id = u.asset_id AND up.level = 'SITE' ORDER BY up.depth LIMIT 1) AS "siteId", u.stops
    FROM used u`;
}
