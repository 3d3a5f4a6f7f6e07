import { getDb } from "../db";
import { AppError } from "../errors";
import type { TCaller } from "./caller";

/**
 * Which sites a caller may see and change: the paths of its SITE assets, or null for every site.
 * An empty list sees nothing (a user limited to sites that no longer exist), never everything.
 * Every data function takes it and checks it itself, so no route can forget it (issue: access rules).
 */
export type TSiteScope = readonly string[] | null;

export function siteScopeOf(caller: TCaller | null): TSiteScope {
  return caller?.kind === "user" ? caller.sitePaths : null;
}

/** The SITE paths of these ids (unknown ids drop out: the scope shrinks, it never widens). */
export async function sitePathsOf(siteIds: readonly string[]): Promise<string[]> {
  if (siteIds.length === 0) return [];
  const sites = await getDb().asset.findMany({ where: { id: { in: [...siteIds] }, level: "SITE" }, select: { path: true } });
  return sites.map((site) => site.path);
}

/** At or below one of the scope's sites. An enterprise above them is not: it holds other sites' data. */
export function isPathInScope(scope: TSiteScope, path: string): boolean {
  if (scope === null) return true;
  return scope.some((site) => path === site || path.startsWith(`${site}/`));
}

/** An ancestor of an in-scope site (the enterprise): shown as a container in the tree, never with data. */
export function isPathAboveScope(scope: TSiteScope, path: string): boolean {
  if (scope === null) return false;
  return scope.some((site) => site.startsWith(`${path}/`));
}

/**
 * Refuses a path outside the scope with the very answer an unknown path gets, so a scoped user
 * cannot even learn which other assets exist.
 */
export function assertPathInScope(scope: TSiteScope, path: string, notFoundMessage = `No asset with path "${path}".`): void {
  if (!isPathInScope(scope, path)) throw new AppError("not_found", notFoundMessage);
}
