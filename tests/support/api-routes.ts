import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export type TApiRoute = { path: string; methods: string[] };

const methodNames = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Every /api/v1 route handler in app/, found on disk, so a new route is covered by the
 * authentication tests without anyone remembering to list it. Dynamic segments get a dummy value.
 */
export function listApiRoutes(root = process.cwd()): TApiRoute[] {
  const base = path.join(root, "app", "api", "v1");
  const routes: TApiRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = methodNames.filter((method) => new RegExp(`export const ${method}\\b|\\bas ${method}\\b`).test(source));
        const segments = path.relative(base, dir).split(path.sep).filter(Boolean).map((segment) =>
          segment.startsWith("[") ? "00000000-0000-4000-8000-000000000000" : segment,
        );
        routes.push({ path: `/api/v1/${segments.join("/")}`, methods });
      }
    }
  };
  walk(base);
  return routes;
}
