import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const sourceRoots = ["app", "components", "lib", "public", "next.config.js", "postcss.config.mjs", "package-lock.json", "proxy.ts", "instrumentation.ts"];

/** True when `.next` holds a production build newer than every source file. */
export function isBuildFresh(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return sourceRoots.every((entry) => newestMtime(path.join(root, entry)) <= builtAt);
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    // The generated client is rewritten at every install without changing.
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}
