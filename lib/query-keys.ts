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
};
