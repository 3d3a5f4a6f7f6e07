import { randomUUID } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import pg from "pg";
import pino from "pino";
import { parseWorkerEnv, type TWorkerEnv } from "../../ingest-worker/env";
import { startWorker, type TWorker } from "../../ingest-worker/worker";
import { getDb } from "../../lib/db";

/**
 * A worker of the test's own against the run's real broker and database: its own id and share
 * group, subscribed only to its own enterprise, so test files running in parallel never see
 * (and double-process) each other's messages.
 */
export async function startTestWorker(enterprise: string, overrides: Record<string, string> = {}): Promise<{ worker: TWorker; env: TWorkerEnv }> {
  const id = `it-${randomUUID().slice(0, 8)}`;
  const env = parseWorkerEnv({
    INGEST_UNS_FILTER: `umh/v1/${enterprise}/#`,
    ...process.env,
    WORKER_ID: id,
    INGEST_SHARE_GROUP: process.env.INGEST_SHARE_GROUP === "none" ? "none" : id,
    INGEST_CONNECTIONS: "4",
    MQTT_SESSION_EXPIRY_SECONDS: "60",
    METRICS_PORT: "0",
    SPARKPLUG_ENABLED: "false",
    LOG_LEVEL: "silent",
    // Retention on the shared test database would delete other test files' old rows mid-test;
    // tests/integration/retention.test.ts runs it on a database of its own.
    MAINTENANCE_INTERVAL_MINUTES: "0",
    ...overrides,
  });
  const worker = await startWorker(env, pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }));
  return { worker, env };
}

/** A publisher that resolves once the broker has acknowledged every QoS 1 message. */
export async function connectPublisher(): Promise<MqttClient> {
  const client = await mqtt.connectAsync(process.env.MQTT_URL ?? "mqtt://127.0.0.1:1883", {
    clientId: `it-pub-${randomUUID().slice(0, 8)}`,
    protocolVersion: process.env.MQTT_PROTOCOL_VERSION === "4" ? 4 : 5,
  });
  return client;
}

export function publishJson(client: MqttClient, topic: string, body: unknown) {
  return client.publishAsync(topic, typeof body === "string" ? body : JSON.stringify(body), { qos: 1 });
}

/** Waits until the worker's subscription exists on the broker (a probe message round-trips into the database). */
export function testDb() {
  return new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
}

export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(last, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/** An enterprise slug of the test file's own. */
export function uniqueEnterprise(prefix = "it") {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A fresh five-level asset path under the file's enterprise. */
export function uniquePath(enterprise: string) {
  return `${enterprise}/site-${randomUUID().slice(0, 8)}/area-1/line-1/cell-1`;
}

/** Publishes probe values under the enterprise until the worker has stored one: its subscription is live. */
export async function waitUntilSubscribed(publisher: MqttClient, db: pg.Pool, enterprise: string) {
  const probe = uniquePath(enterprise);
  await waitFor(async () => {
    await publishJson(publisher, `umh/v1/${probe}/_historian`, { timestamp_ms: Date.now(), probe: 1 });
    const { rows } = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id WHERE a.path = $1", [probe],
    );
    return Number(rows[0]?.n);
  }, (n) => n > 0);
}

/** Ends what a test file started, as far as it got: publisher, worker, its pool and the app's Prisma client. */
export async function closeHarness(parts: { publisher?: MqttClient; worker?: TWorker; pool?: pg.Pool }) {
  await parts.publisher?.endAsync();
  await parts.worker?.close();
  await parts.pool?.end();
  await getDb().$disconnect();
}
