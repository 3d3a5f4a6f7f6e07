import { z } from "zod";
import { defaultReasonCodes, findSiteOf, loadReasonCodeRows, type TReasonCode, type TReasonSource } from "./reason-codes";

export const ZReasonCodesQuery = z.object({
  /** A site, or any asset below one; without it the plant-wide list. */
  site: z.string().min(1).max(512).optional(),
});
export type TReasonCodesQuery = z.infer<typeof ZReasonCodesQuery>;

export type TEffectiveReasonCode = TReasonCode & { source: TReasonSource };

/** The codes a site's stops can carry: domain.md defaults, overridden by plant-wide rows, overridden by the site's rows. */
export async function findReasonCodes(query: TReasonCodesQuery): Promise<TEffectiveReasonCode[]> {
  const site = query.site ? await findSiteOf(query.site) : null;
  const rows = await loadReasonCodeRows(site ? [site.id] : []);
  const effective = new Map<number, TEffectiveReasonCode>(defaultReasonCodes.map((reason) => [reason.code, { ...reason, source: "default" }]));
  for (const row of rows.filter((candidate) => candidate.siteId === null)) effective.set(row.code, { code: row.code, name: row.name, category: row.category, source: "plant" });
  for (const row of rows.filter((candidate) => candidate.siteId !== null)) effective.set(row.code, { code: row.code, name: row.name, category: row.category, source: "site" });
  return [...effective.values()].sort((a, b) => a.code - b.code);
}
