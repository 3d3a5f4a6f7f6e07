import { getDb } from "../db";
import { AppError } from "../errors";
import { declarationSelect, toDeclaration } from "./asset-type-fields";
import type { TMetricDefinition } from "./declaration";
import { periodAt, periodsBetween, type TAssignment } from "./periods-in-force";

export type TTypeVersionInForce = {
  typeId: string;
  key: string;
  version: number;
  typeVersionId: string;
  metrics: TMetricDefinition[];
};

async function assignmentsOf(assetId: string): Promise<TAssignment[]> {
  const db = getDb();
  const [asset, rows] = await Promise.all([
    db.asset.findUnique({ where: { id: assetId }, select: { id: true } }),
    db.assetTypeAssignment.findMany({ where: { assetId }, select: { typeVersionId: true, validFrom: true, validTo: true } }),
  ]);
  if (!asset) throw new AppError("not_found", "No such asset.");
  return rows;
}

async function versionsById(ids: readonly string[]): Promise<Map<string, TTypeVersionInForce>> {
  const versions = await getDb().assetTypeVersion.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, version: true, typeId: true, type: { select: { key: true } }, ...declarationSelect },
  });
  return new Map(versions.map((version) => [version.id, {
    typeId: version.typeId, key: version.type.key, version: version.version, typeVersionId: version.id, metrics: toDeclaration(version).metrics,
  }]));
}

/** The type version (with its metric declarations) that applied to the asset at `time`; null when it had none. */
export async function typeVersionAt(assetId: string, time: Date): Promise<TTypeVersionInForce | null> {
  const period = periodAt(await assignmentsOf(assetId), time);
  if (!period) return null;
  return (await versionsById([period.typeVersionId])).get(period.typeVersionId) ?? null;
}

/**
 * The metric declarations that applied to the asset over [from, to), one entry per version period,
 * oldest first: a chart or export of that range reads each stretch with its own unit, precision
 * and expected range.
 */
export async function findMetricDefinitionsInForce(assetId: string, from: Date, to: Date): Promise<(TTypeVersionInForce & { from: Date; to: Date })[]> {
  if (!(from.getTime() < to.getTime())) throw new AppError("validation", "from must be before to.");
  const periods = periodsBetween(await assignmentsOf(assetId), from, to);
  const versions = await versionsById(periods.map((period) => period.typeVersionId));
  return periods.flatMap((period) => {
    const version = versions.get(period.typeVersionId);
    return version ? [{ ...version, from: period.from, to: period.to }] : [];
  });
}
