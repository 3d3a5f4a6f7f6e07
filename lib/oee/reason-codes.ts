import { z } from "zod";
import { describeState } from "../assets/state-category";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { classifyState, type TStateCategory } from "./state-classification";

export const ZReasonCategory = z.enum(["running", "plannedStop", "unplannedStop"], {
  error: "category must be one of running, plannedStop, unplannedStop",
});

/** The named codes of domain.md §3, with their default names and classification. */
const domainCodes = [
  10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 110_000, 120_000, 130_000,
  140_000, 150_000, 160_000, 170_000, 180_000, 190_000, 200_000, 210_000, 220_000,
];

export type TReasonCode = { code: number; name: string; category: TStateCategory };
export type TReasonSource = "default" | "plant" | "site";

export const defaultReasonCodes: readonly TReasonCode[] = domainCodes.map((code) => ({
  code, name: describeState(code).label, category: classifyState(code).category,
}));
const defaultByCode = new Map(defaultReasonCodes.map((reason) => [reason.code, reason]));

export type TReasonCodeRow = { siteId: string | null; code: number; name: string; category: TStateCategory };

/** How one site reads state codes: plant-wide rows over the defaults, the site's rows over both. */
export type TSiteReasons = {
  /** Overrides for classifyState (exact codes; a block's code also covers its sub-codes). */
  classification: ReadonlyMap<number, TStateCategory>;
  nameOf(code: number): string;
  sourceOf(code: number): TReasonSource | null;
  /** A code a stop may be classified with: a named domain code or one of the plant's or site's rows. */
  isKnown(code: number): boolean;
};

export function siteReasons(rows: readonly TReasonCodeRow[], siteId: string | null): TSiteReasons {
  const plant = new Map<number, TReasonCodeRow>();
  const site = new Map<number, TReasonCodeRow>();
  for (const row of rows) {
    if (row.siteId === null) plant.set(row.code, row);
    else if (row.siteId === siteId) site.set(row.code, row);
  }
  const rowOf = (code: number) => site.get(code) ?? plant.get(code);
  const classification = new Map<number, TStateCategory>();
  for (const [code, row] of plant) classification.set(code, row.category);
  for (const [code, row] of site) classification.set(code, row.category);
  return {
    classification,
    nameOf: (code) => rowOf(code)?.name ?? defaultByCode.get(code)?.name ?? describeState(code).label,
    sourceOf: (code) => (site.has(code) ? "site" : plant.has(code) ? "plant" : defaultByCode.has(code) ? "default" : null),
    isKnown: (code) => defaultByCode.has(code) || rowOf(code) !== undefined,
  };
}

type TReader = Pick<Prisma.TransactionClient, "$queryRaw">;

/** The plant-wide rows and those of the given sites, in one query. */
export async function loadReasonCodeRows(siteIds: readonly (string | null)[], reader: TReader = getDb()): Promise<TReasonCodeRow[]> {
  const ids = [...new Set(siteIds.filter((id): id is string => id !== null))];
  return reader.$queryRaw<TReasonCodeRow[]>`
    SELECT site_id AS "siteId", code, name, category FROM reason_codes
    WHERE site_id IS NULL OR site_id = ANY(${ids}::uuid[])`;
}

export type TSite = { id: string; path: string };

/** The SITE asset at or above `path`: reason codes are kept per site. */
export async function findSiteOf(path: string, reader: TReader = getDb()): Promise<TSite> {
  const rows = await reader.$queryRaw<{ id: string; path: string; level: string; depth: number }[]>`
    WITH RECURSIVE up AS (
      SELECT id, path, level, parent_id, 0 AS depth FROM assets WHERE path = ${path}
      UNION ALL
      SELECT a.id, a.path, a.level, a.parent_id, up.depth + 1 FROM assets a JOIN up ON a.id = up.parent_id WHERE up.depth < 16
    )
    SELECT id, path, level::text AS level, depth FROM up ORDER BY depth`;
  if (!rows.length) throw new AppError("not_found", `No asset with path "${path}".`);
  const site = rows.find((row) => row.level === "SITE");
  if (!site) throw new AppError("validation", `"${path}" is not a site and has no site above it; reason codes belong to a site (or leave site out for plant-wide codes).`);
  return { id: site.id, path: site.path };
}
