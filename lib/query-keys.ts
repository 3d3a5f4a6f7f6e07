/** Every react-query key in the console comes from here, so invalidation can name them exactly. */
export const queryKeys = {
  me: () => ["me"] as const,
  assets: {
    all: () => ["assets"] as const,
    tree: () => ["assets", "tree"] as const,
    /** Every latest-values query, whatever its path. */
    latestAll: () => ["assets", "latest"] as const,
    /** Current state and latest values of the assets at or under `path`. */
    latest: (path: string) => ["assets", "latest", path] as const,
  },
  /** Figures computed from the stream (OEE, stops); live views refresh them on ingest events, at a gentler pace. */
  analytics: {
    all: () => ["analytics"] as const,
    /** `range` is a preset ("today") resolved at fetch time, so a live refresh moves "now" along. */
    oee: (asset: string, range: string, groupBy?: string) => ["analytics", "oee", asset, range, groupBy ?? "none"] as const,
    stops: (asset: string, range: string) => ["analytics", "stops", asset, range] as const,
  },
  reasonCodes: (site: string) => ["reason-codes", site] as const,
};
