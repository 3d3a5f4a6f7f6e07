/** Every react-query key in the console comes from here, so invalidation can name them exactly. */
export const queryKeys = {
  me: () => ["me"] as const,
  assets: {
    all: () => ["assets"] as const,
    tree: () => ["assets", "tree"] as const,
  },
};
