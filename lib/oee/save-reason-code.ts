import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import type { TStateCategory } from "./state-classification";
import { findSiteOf, ZReasonCategory } from "./reason-codes";

// Control characters would end up in CSV exports and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;

export const ZSaveReasonCode = z.object({
  /** A site (or an asset below one) for a site code; left out for a plant-wide code. */
  site: z.string().min(1).max(512).optional(),
  code: z.int({ error: "code must be an integer" }).min(10_000, { error: "code must be at least 10000" }).max(999_999, { error: "code must be at most 999999" }),
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
