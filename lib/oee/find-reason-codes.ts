import { assertPathInScope, type TSiteScope } from "../auth/site-scope";
import { z } from "zod";
import { defaultReasonCodes, findSiteOf, loadReasonCodeRows, type TReasonCode, type TReasonCodeRow, type TReasonSource } from "./reason-codes";

export const ZReasonCodesQuery = z.object({
  /** A site, or any asset below one; without it the plant-wide list. */
  site: z.string().min(1).max(512).optional(),
  inherited: z
    .enum(["true", "false"], { error: "inherited must be true or false" })
    .optional()
    .meta({ description: "true: each row of the scope itself also names what applies without it (`inherited`, null for a code that would then be unknown)." }),
});
export type TReasonCodesQuery = z.infer<typeof ZReasonCodesQuery>;

export type TEffectiveReasonCode = TReasonCode & { source: TReasonSource };
/** With `inherited=true`, on the scope's own rows: what the row hides, i.e. what the code reverts to when it is removed. */
export type TLayeredReasonCode = TEffectiveReasonCode & { inherited?: TEffectiveReasonCode | null };

/**
 * The codes a site's stops can carry: domain.md defaults, overridden by plant-wide rows, overridden by the site's rows.
 * With `inherited=true` every row of the scope itself (plant-wide rows for the plant, the site's rows for a site) carries
 * the layer beneath it: what removing the row reverts to.
 */
export async function findReasonCodes(query: TReasonCodesQuery, siteScope: TSiteScope): Promise<TLayeredReasonCode[]> {
  if (query.site) assertPathInScope(siteScope, query.site);
  const site = query.site ? await findSiteOf(query.site) : null;
  const rows = await loadReasonCodeRows(site ? [site.id] : []);
  const defaults = new Map<number, TEffectiveReasonCode>(defaultReasonCodes.map((reason) => [reason.code, { ...reason, source: "default" }]));
  const plant = overlay(defaults, rows.filter((row) => row.siteId === null), "plant");
  const effective = site ? overlay(plant, rows.filter((row) => row.siteId !== null), "site") : plant;
  // Only the scope's own rows: a plant-wide row seen from a site is not the site's to remove.
  const own = site ? "site" : "plant";
  const below = site ? plant : defaults;
  return [...effective.values()]
    .map((reason) => (query.inherited === "true" && reason.source === own ? { ...reason, inherited: below.get(reason.code) ?? null } : reason))
    .sort((a, b) => a.code - b.code);
}

function overlay(under: ReadonlyMap<number, TEffectiveReasonCode>, rows: readonly TReasonCodeRow[], source: "plant" | "site") {
  const layers = new Map(under);
  for (const row of rows) layers.set(row.code, { code: row.code, name: row.name, category: row.category, source });
  return layers;
}
