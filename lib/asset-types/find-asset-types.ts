import { getDb } from "../db";
import { AppError } from "../errors";
import { declarationSelect, toDeclaration } from "./asset-type-fields";
import type { TDeclaration } from "./declaration";

export type TAssetTypeSummary = {
  id: string;
  key: string;
  name: string;
  description: string | null;
  /** Oldest first; assetCount counts the active (not retired) assets on that version now. */
  versions: { id: string; version: number; createdAt: Date; assetCount: number }[];
};

export type TAssetTypeVersionDetail = TAssetTypeSummary["versions"][number] & TDeclaration & {
  /** The active assets on this version now, by path. */
  assets: { id: string; name: string; path: string }[];
};

export type TAssetTypeDetail = Omit<TAssetTypeSummary, "versions"> & { createdAt: Date; versions: TAssetTypeVersionDetail[] };

const activeAssets = { where: { retiredAt: null } } as const;

/** Every type by name, with its versions and how many assets are on each. */
export async function findAssetTypes(): Promise<TAssetTypeSummary[]> {
  const types = await getDb().assetType.findMany({
    orderBy: [{ name: "asc" }, { key: "asc" }],
    select: {
      id: true, key: true, name: true, description: true,
      versions: { orderBy: { version: "asc" }, select: { id: true, version: true, createdAt: true, _count: { select: { assets: activeAssets } } } },
    },
  });
  return types.map(({ versions, ...type }) => ({
    ...type,
    versions: versions.map(({ _count, ...version }) => ({ ...version, assetCount: _count.assets })),
  }));
}

/** One type with every version's metrics, states, commands and assets; 404 when unknown. */
export async function getAssetType(id: string): Promise<TAssetTypeDetail> {
  const type = await getDb().assetType.findUnique({
    where: { id },
    select: {
      id: true, key: true, name: true, description: true, createdAt: true,
      versions: {
        orderBy: { version: "asc" },
        select: {
          id: true, version: true, createdAt: true, ...declarationSelect,
          assets: { ...activeAssets, orderBy: { path: "asc" }, select: { id: true, name: true, path: true } },
        },
      },
    },
  });
  if (!type) throw new AppError("not_found", "No such asset type.");
  return {
    ...type,
    versions: type.versions.map((version) => ({
      id: version.id, version: version.version, createdAt: version.createdAt, assetCount: version.assets.length,
      ...toDeclaration(version), assets: version.assets,
    })),
  };
}
