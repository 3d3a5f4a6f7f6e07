import { z } from "zod";
import { AppError } from "../errors";

export const unmappedStatuses = ["pending", "ignored", "rejected", "mapped"] as const;
export type TUnmappedStatus = (typeof unmappedStatuses)[number];

/** 1–5 levels of a-z A-Z 0-9 - _ (an asset path as the UNS topic carries it; domain.md §2a). */
const assetPathPattern = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,4}$/;

/**
 * The asset path of a route's `[path]` segment. Clients send it URL-encoded ("/" as %2F); a path
 * can never contain "%", so decoding once more when one is left is safe. Anything else is not found.
 */
export function parseTopicPath(value: unknown): string {
  let path = typeof value === "string" ? value : "";
  try {
    if (path.includes("%")) path = decodeURIComponent(path);
  } catch {
    path = "";
  }
  if (!assetPathPattern.test(path)) throw new AppError("not_found", "No such unmapped topic.");
  return path;
}

export const ZMapTopic = z.strictObject({
  assetId: z.uuid({ error: "assetId must be the id of an asset (pick one from the asset tree)" }),
});
export type TMapTopic = z.infer<typeof ZMapTopic>;

export const ZUnmappedQuery = z.strictObject({
  status: z.enum([...unmappedStatuses, "all"], { error: "status must be pending, ignored, rejected, mapped or all" }).default("pending"),
});
export type TUnmappedQuery = z.infer<typeof ZUnmappedQuery>;
