/** Every react-query key in the console comes from here, so invalidation can name them exactly. */
export const queryKeys = {
  me: () => ["me"] as const,
  assets: {
    all: () => ["assets"] as const,
    tree: () => ["assets", "tree"] as const,
    /** Every asset with the admin fields, retired ones too (GET /api/v1/assets?retired=include). */
    admin: () => ["assets", "admin"] as const,
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
  /** Topic mapping admin: unmapped paths, ingest settings, quarantine. */
  topics: {
    unmappedAll: () => ["topics", "unmapped"] as const,
    unmapped: (status: string) => ["topics", "unmapped", status] as const,
    settings: () => ["topics", "settings"] as const,
    quarantineAll: () => ["topics", "quarantine"] as const,
    quarantine: (reason: string, topic: string) => ["topics", "quarantine", reason, topic] as const,
  },
  /** Every reason-code query, plant-wide and per site: a change to any row may show in all of them. */
  reasonCodesAll: () => ["reason-codes"] as const,
  /** The admin page's list of a scope ("" for plant-wide), with what each plant or site row hides. */
  reasonCodeLayers: (site: string) => ["reason-codes", site, "layers"] as const,
  apiTokens: () => ["api-tokens"] as const,
  /** GET /api/v1/users; the same key the users page uses, so both share one cache entry. */
  users: () => ["admin", "users"] as const,
  /** The audit log's pages under one set of filters. */
  audit: (filters: { entity: string; user: string; from: string; to: string }) => ["audit", filters] as const,
  productTypes: () => ["product-types"] as const,
  /** A site's shift calendar and the planned shifts expanded from it. */
  shiftCalendar: (siteId: string) => ["shift-calendar", siteId] as const,
  plannedShifts: (siteId: string, from: string) => ["shift-calendar", siteId, "planned", from] as const,
  assetTypes: {
    all: () => ["asset-types"] as const,
    /** Types with their versions and asset counts (GET /api/v1/asset-types). */
    list: () => ["asset-types", "list"] as const,
    /** One type with every version's declarations and assets. */
    detail: (id: string) => ["asset-types", "detail", id] as const,
  },
};
