import { z } from "zod";

const maxRangeDays = 400;
const dayMs = 86_400_000;

export const ZIsoDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T06:00:00Z" });

/** asset, from and to: the query of every report over a time range of an asset (OEE, stops). */
export const ZAssetRange = z.object({
  asset: z.string({ error: "is required: an asset path such as acme/detroit/press-shop" }).min(1, { error: "must not be empty" }).max(512),
  from: z.string({ error: "is required (ISO 8601 date-time)" }).pipe(ZIsoDateTime),
  to: z.string({ error: "is required (ISO 8601 date-time)" }).pipe(ZIsoDateTime),
});

/** A non-empty range of at most 400 days. */
export function refineRange<TShape extends { from: string; to: string }>(schema: z.ZodType<TShape>) {
  return schema
    .refine((query) => Date.parse(query.from) < Date.parse(query.to), { message: "from must be before to", path: ["from"] })
    .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= maxRangeDays * dayMs, { message: `the range may span at most ${maxRangeDays} days`, path: ["to"] });
}
