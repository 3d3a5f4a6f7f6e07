/**
 * `npm test`: the whole suite against a real PostgreSQL and a real MQTT broker.
 * DATABASE_URL / MQTT_URL when set (a fresh database is created on that server for this run
 * and dropped afterwards), otherwise an embedded PostgreSQL and an embedded broker.
 * Order: vitest (unit + integration) → next build → Playwright (browser + HTTP) → demo smoke.
 * Ends with one line: "Tests: N passed, N failed".
 *
 *   npm test                               everything
 *   npm test -- --suite vitest lib/auth    one suite, optionally filtered (vitest | e2e | smoke)
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createPrismaClient } from "../lib/db";
import { ensureFirstAdmin } from "../lib/auth/bootstrap-admin";
import { applyMigrations } from "../lib/db/migrate";
import { startChild } from "../lib/runtime/child";
import { startEmbeddedBroker } from "../lib/runtime/embedded-broker";
import { createScratchDatabase } from "../lib/runtime/scratch-database";
import { findFreePort } from "../lib/runtime/free-port";
import { isBuildFresh } from "../lib/runtime/next-build";
import { seedDemoPlant } from "../lib/seed/demo-plant";
import { testAdmin } from "../tests/support/test-admin";

type TSuite = "vitest" | "e2e" | "smoke";
type TCounts = { passed: number; failed: number; skipped: number };

const root = process.cwd();
const resultsDir = path.join(root, "test-results");
const cleanups: (() => Promise<void>)[] = [];
const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

function parseArgs(argv: string[]) {
  const suites: TSuite[] = [];
  const filters: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === "--suite") suites.push(argv[++index] as TSuite);
    else if (arg) filters.push(arg);
  }
  for (const suite of suites) if (!["vitest", "e2e", "smoke"].includes(suite)) throw new Error(`unknown suite "${suite}" (vitest, e2e, smoke)`);
  return { suites: suites.length ? suites : (["vitest", "e2e", "smoke"] as TSuite[]), filters };
}

async function provisionDatabase(): Promise<string> {
  const database = await createScratchDatabase("shopfloor_test", process.env.DATABASE_URL, path.join(root, ".test-data"));
  cleanups.push(database.drop);
  console.log(`[test] ${database.where}`);
  return database.url;
}

async function provisionBroker(): Promise<{ url: string; protocolVersion: string; shared: boolean }> {
  if (process.env.MQTT_URL) return { url: process.env.MQTT_URL, protocolVersion: process.env.MQTT_PROTOCOL_VERSION ?? "5", shared: true };
  const broker = await startEmbeddedBroker(0);
  cleanups.push(broker.close);
  console.log(`[test] embedded MQTT broker on ${broker.url}`);
  return { url: broker.url, protocolVersion: "4", shared: false };
}

async function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  console.log(`\n[test] ── ${name} ──`);
  return startChild(name, command, args, env).exited;
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

function vitestCounts(file: string): TCounts | null {
  const report = readJson(file) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number } | null;
  return report && { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): TCounts | null {
  const report = readJson(file) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } } | null;
  return report && { passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky, skipped: report.stats.skipped };
}

async function main() {
  const { suites, filters } = parseArgs(process.argv.slice(2));
  rmSync(resultsDir, { recursive: true, force: true });
  await mkdir(resultsDir, { recursive: true });

  const databaseUrl = await provisionDatabase();
  const broker = await provisionBroker();
  await applyMigrations({ connectionString: databaseUrl });
  const db = createPrismaClient(databaseUrl, 2);
  await ensureFirstAdmin(db, testAdmin.email, testAdmin.password);
  await seedDemoPlant(db);
  await db.$disconnect();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    MQTT_URL: broker.url,
    MQTT_PROTOCOL_VERSION: broker.protocolVersion,
    SHOPFLOOR_ADMIN_EMAIL: testAdmin.email,
    SHOPFLOOR_ADMIN_PASSWORD: testAdmin.password,
    E2E_PORT: String(await findFreePort()),
    // A worker id and share group of this run's own: sessions left on a shared broker by
    // earlier runs (or by this run's integration tests) must not take this run's messages.
    WORKER_ID: `test-${runId}`,
    INGEST_SHARE_GROUP: broker.shared ? `vitest-${runId}` : "none",
    MQTT_SESSION_EXPIRY_SECONDS: "120",
    METRICS_PORT: "0",
  };
  const totals: TCounts = { passed: 0, failed: 0, skipped: 0 };
  const add = (suite: string, counts: TCounts | null, exitCode: number | null) => {
    // A runner that crashed before writing its report counts as one failure, never as zero tests.
    const effective = counts ?? { passed: 0, failed: 1, skipped: 0 };
    if (exitCode !== 0 && effective.failed === 0) effective.failed = 1;
    totals.passed += effective.passed;
    totals.failed += effective.failed;
    totals.skipped += effective.skipped;
    console.log(`[test] ${suite}: ${effective.passed} passed, ${effective.failed} failed, ${effective.skipped} skipped`);
  };

  if (suites.includes("vitest")) {
    const report = path.join(resultsDir, "vitest.json");
    const code = await run("vitest", process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...filters], env);
    add("unit + integration", vitestCounts(report), code);
  }

  if ((suites.includes("e2e") || suites.includes("smoke")) && !isBuildFresh(root)) {
    const code = await run("build", process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { ...env, NODE_ENV: "production" });
    if (code !== 0) add("build", null, code);
  }

  if (suites.includes("e2e")) {
    const report = path.join(resultsDir, "playwright.json");
    const e2eEnv = { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report, ...(broker.shared ? { INGEST_SHARE_GROUP: `e2e-${runId}` } : {}) };
    const code = await run("playwright", process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...filters], e2eEnv);
    add("browser + HTTP (Playwright)", playwrightCounts(report), code);
  }

  if (suites.includes("smoke")) {
    const report = path.join(resultsDir, "smoke.json");
    const code = await run("smoke", process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "tests/smoke/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], env);
    add("demo smoke", vitestCounts(report), code);
  }

  console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals.failed === 0 ? 0 : 1;
}

async function cleanup() {
  for (const step of cleanups.reverse()) await step().catch((error: unknown) => console.error("[test] cleanup:", error));
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    await cleanup();
    console.log("\nTests: 0 passed, 1 failed");
    process.exit(1);
  });
