import { getDb } from "../db";
import type { TUnmappedQuery, TUnmappedStatus } from "./topic-fields";

export type TUnmappedTopic = {
  path: string;
  exampleTopic: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  messageCount: number;
  status: TUnmappedStatus;
  /** The asset its messages now go to, once mapped (null if that asset was retired since). */
  mappedTo: { id: string; name: string; path: string } | null;
};

const listLimit = 1_000;

/** Asset paths seen on the broker without an asset, most recently seen first. */
export async function findUnmappedTopics(query: TUnmappedQuery): Promise<TUnmappedTopic[]> {
  const db = getDb();
  const rows = await db.unmappedTopic.findMany({
    where: query.status === "all" ? {} : { status: query.status },
    orderBy: [{ lastSeenAt: "desc" }, { path: "asc" }],
    take: listLimit,
  });
  const mappings = await db.topicMapping.findMany({ where: { path: { in: rows.filter((row) => row.status === "mapped").map((row) => row.path) } } });
  const assets = await db.asset.findMany({ where: { id: { in: mappings.map((mapping) => mapping.assetId) }, retiredAt: null }, select: { id: true, name: true, path: true } });
  const assetByPath = new Map(mappings.map((mapping) => [mapping.path, assets.find((asset) => asset.id === mapping.assetId) ?? null]));
  return rows.map((row) => ({
    path: row.path,
    exampleTopic: row.exampleTopic,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    messageCount: Number(row.messageCount),
    status: row.status as TUnmappedStatus,
    mappedTo: assetByPath.get(row.path) ?? null,
  }));
}
