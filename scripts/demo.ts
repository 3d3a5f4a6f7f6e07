/**
 * `npm run demo`: the whole product on embedded defaults. With no DATABASE_URL an embedded
 * PostgreSQL (data in SHOPFLOOR_DATA_DIR), with no MQTT_URL an embedded MQTT broker on
 * SHOPFLOOR_MQTT_PORT; then migrations, the demo plant, the ingest worker and the console.
 * Ctrl-C stops everything; a second run reuses the data.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import exitHook from "async-exit-hook";
import { z } from "zod";
import { ensureFirstAdmin } from "../lib/auth/bootstrap-admin";
import { createPrismaClient } from "../lib/db";
import { applyMigrations } from "../lib/db/migrate";
import { EnvError, parseEnv } from "../lib/env";
import { type TChild, startChild, stopChild } from "../lib/runtime/child";
import { PortInUseError, startEmbeddedBroker } from "../lib/runtime/embedded-broker";
import { startEmbeddedPostgres } from "../lib/runtime/embedded-postgres";
import { isBuildFresh } from "../lib/runtime/next-build";
import { seedDemoPlant } from "../lib/seed/demo-plant";

const ZDemoEnv = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional(),
  MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\//, "must be an mqtt:// or mqtts:// URL").optional(),
  MQTT_PROTOCOL_VERSION: z.enum(["4", "5"]).default("5"),
  INGEST_SHARE_GROUP: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  SHOPFLOOR_MQTT_PORT: z.coerce.number().int().min(1).max(65_535).default(1883),
  SHOPFLOOR_DATA_DIR: z.string().default(".data"),
  SHOPFLOOR_ADMIN_EMAIL: z.email().default("admin@shopfloor.local"),
  SHOPFLOOR_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** 1: run the plant simulator against the broker, so the console shows live data. */
  SHOPFLOOR_SIMULATE: z.enum(["0", "1"]).default("1"),
  /** Skip `next build` even when sources look newer (CI builds once before the browser tests). */
  SHOPFLOOR_SKIP_BUILD: z.enum(["0", "1"]).default("0"),
});

const root = process.cwd();
/** Hours of simulated history the first demo run replays (one shift). */
const demoHistoryHours = 8;
const stoppers: (() => Promise<void>)[] = [];
let children: TChild[] = [];
let stopping = false;

function log(line: string) {
  process.stdout.write(`[demo] ${line}\n`);
}

async function main() {
  const env = parseEnv(ZDemoEnv, process.env);
  const dataDir = path.resolve(root, env.SHOPFLOOR_DATA_DIR);
  await mkdir(dataDir, { recursive: true });

  // The broker first: a taken port is the likeliest start-up problem, so report it before anything else.
  let mqttUrl = env.MQTT_URL;
  let mqttProtocolVersion = env.MQTT_PROTOCOL_VERSION;
  let shareGroup = env.INGEST_SHARE_GROUP;
  if (!mqttUrl) {
    const broker = await startEmbeddedBroker(env.SHOPFLOOR_MQTT_PORT);
    stoppers.unshift(broker.close);
    mqttUrl = broker.url;
    mqttProtocolVersion = "4"; // aedes speaks MQTT 3.1.1 and has no shared subscriptions
    shareGroup = "none";
    log(`embedded MQTT broker listening on ${broker.url}`);
  }

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    log(`starting embedded PostgreSQL (data in ${path.relative(root, dataDir) || "."}/pg)…`);
    const postgres = await startEmbeddedPostgres({ dataDir, database: "shopfloor" });
    stoppers.unshift(postgres.stop);
    databaseUrl = postgres.url;
    log(`PostgreSQL ready on 127.0.0.1:${postgres.port}`);
  }

  const migrations = await applyMigrations({ connectionString: databaseUrl, log: (line) => log(line) });
  log(`database schema up to date (${migrations.applied.length} migration(s) applied now)`);

  const adminPassword = env.SHOPFLOOR_ADMIN_PASSWORD ?? (await demoAdminPassword(dataDir));
  const db = createPrismaClient(databaseUrl, 2);
  let firstRun = false;
  try {
    await ensureFirstAdmin(db, env.SHOPFLOOR_ADMIN_EMAIL, adminPassword);
    const seeded = await seedDemoPlant(db);
    log(`demo plant ready (${seeded.assets} assets)`);
    firstRun = (await db.$queryRaw<{ any: boolean }[]>`SELECT EXISTS (SELECT 1 FROM state_events) AS any`)[0]?.any === false;
  } finally {
    await db.$disconnect();
  }

  if (env.SHOPFLOOR_SKIP_BUILD === "0" && !isBuildFresh(root)) {
    log("building the console (first run, or the sources changed; takes a minute or two)…");
    const build = startChild("build", process.execPath, [nextBin(), "build"], { ...process.env, NODE_ENV: "production" });
    children.push(build);
    if ((await build.exited) !== 0) throw new Error("next build failed (see the output above)");
    children = children.filter((child) => child !== build);
  }

  const childEnv = {
    ...process.env,
    NODE_ENV: "production" as const,
    DATABASE_URL: databaseUrl,
    MQTT_URL: mqttUrl,
    MQTT_PROTOCOL_VERSION: mqttProtocolVersion,
    INGEST_SHARE_GROUP: shareGroup,
    // The simulator's Sparkplug edge node stands for Assembly Line A of the demo plant.
    ...(env.SHOPFLOOR_SIMULATE === "1" ? { SPARKPLUG_PATH_TEMPLATE: "acme/detroit/assembly/line-a/{device}" } : {}),
    SHOPFLOOR_ADMIN_EMAIL: env.SHOPFLOOR_ADMIN_EMAIL,
    SHOPFLOOR_ADMIN_PASSWORD: adminPassword,
  };
  const worker = startChild("worker", process.execPath, ["--import", "tsx", path.join(root, "ingest-worker/index.ts")], childEnv);
  const web = startChild("web", process.execPath, [nextBin(), "start", "-p", String(env.PORT)], childEnv);
  children.push(worker, web);

  for (const child of children) watchUnexpectedExit(child);

  const consoleUrl = `http://localhost:${env.PORT}`;
  await waitForHealth(`${consoleUrl}/api/v1/health`, 120_000);
  if (env.SHOPFLOOR_SIMULATE === "1") {
    // Only once the worker is up and subscribed: the simulator's first messages (shifts, product
    // types, work orders, each machine's initial state) would otherwise reach no subscriber.
    await waitForWorker(`${consoleUrl}/api/v1/health`, 60_000);
    const simulate = (name: string, extra: string[]) =>
      startChild(name, process.execPath, ["--import", "tsx", path.join(root, "scripts/simulate.ts"), "--url", mqttUrl, "--mqtt-version", mqttProtocolVersion, ...extra], childEnv);
    const simulator = simulate("simulator", []);
    children.push(simulator);
    watchUnexpectedExit(simulator);
    if (firstRun) {
      // A fresh plant would open on a shift that started hours before anyone was watching (all of
      // it unknown time). Replay the last 8 hours at 480× in the background: by the time it ends
      // (a minute) the history reaches the moment the live simulator started.
      // Line A speaks UNS JSON in the replay: a second Sparkplug edge node with the live one's id would take over its session.
      const history = simulate("history", [`--start=-${demoHistoryHours}h`, "--speed", String(demoHistoryHours * 60), "--duration", "60", "--no-sparkplug"]);
      children.push(history);
      void history.exited.then((code) => {
        children = children.filter((child) => child !== history);
        log(code === 0 ? `the last ${demoHistoryHours} hours of plant history are in` : `the history replay stopped early (exit ${code}); live data is unaffected`);
      });
    }
  }
  log("");
  log(`Shopfloor is running: ${consoleUrl}`);
  log(`  sign in as ${env.SHOPFLOOR_ADMIN_EMAIL} / ${adminPassword}`);
  log(`  MQTT broker: ${mqttUrl}   health: ${consoleUrl}/api/v1/health`);
  if (env.SHOPFLOOR_SIMULATE === "1") log("  the plant simulator is publishing (SHOPFLOOR_SIMULATE=0 to turn it off)");
  log("  press Ctrl-C to stop");
}

async function demoAdminPassword(dataDir: string): Promise<string> {
  // Generated once per data directory, so a demo reachable on the LAN has no well-known password.
  const file = path.join(dataDir, "demo-admin-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = `demo-${randomBytes(9).toString("base64url")}`;
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the console did not answer ${url} within ${timeoutMs / 1000} s`);
}

function watchUnexpectedExit(child: TChild) {
  void child.exited.then((code) => {
    if (!stopping) {
      console.error(`[demo] ${child.name} exited unexpectedly (code ${code}); stopping.`);
      process.kill(process.pid, "SIGTERM");
    }
  });
}

async function waitForWorker(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await fetch(url).then((response) => response.json() as Promise<{ worker?: { ok?: boolean } }>, () => null);
    if (health?.worker?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error("the ingest worker did not report in (see its output above)");
}

function nextBin() {
  return path.join(root, "node_modules/next/dist/bin/next");
}

async function shutdown() {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((child) => stopChild(child)));
  for (const stop of stoppers) await stop().catch(() => undefined);
  log("stopped");
}

// Ctrl-C and SIGTERM: async-exit-hook (also used by embedded-postgres) waits for this before exiting.
exitHook((done) => void shutdown().then(done));

main().catch(async (error: unknown) => {
  const message = error instanceof EnvError || error instanceof PortInUseError || error instanceof Error ? error.message : String(error);
  console.error(`[demo] cannot start: ${message}`);
  await shutdown();
  process.exit(1);
});
