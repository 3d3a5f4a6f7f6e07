/**
 * `npm run bench:ingest`: Shopfloor's ingest against a bare MQTT subscriber on the same
 * machine, broker and database. Prints the ceiling, the sustained rate, their ratio, rows/s
 * for ten-value messages, and publish→commit latency at half the sustained rate.
 *
 * Uses DATABASE_URL (a fresh database is created and dropped) or an embedded PostgreSQL, and a
 * private Mosquitto configured as the README recommends (or MQTT_URL when no mosquitto binary).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import pg from "pg";
import pino from "pino";
import { parseWorkerEnv, ZWorkerEnv } from "../../ingest-worker/env";
import { createIngestMetrics } from "../../ingest-worker/metrics";
import { startIngest } from "../../ingest-worker/pipeline";
import { applyMigrations } from "../../lib/db/migrate";
import { createScratchDatabase } from "../../lib/runtime/scratch-database";
import { findMosquitto, startPrivateMosquitto } from "../../tests/support/private-mosquitto";

const connections = Number(process.env.BENCH_CONNECTIONS ?? ZWorkerEnv.shape.INGEST_CONNECTIONS.parse(undefined));
const singleMessages = Number(process.env.BENCH_MESSAGES ?? 60_000);
const tenValueMessages = Number(process.env.BENCH_TEN_VALUE_MESSAGES ?? 30_000);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const publisherConnections = 4;
const root = process.cwd();
const cleanups: (() => Promise<void>)[] = [];

function line(text: string) {
  process.stdout.write(`${text}\n`);
}

async function provisionDatabase(): Promise<string> {
  const database = await createScratchDatabase("shopfloor_bench", process.env.DATABASE_URL, path.join(root, ".test-data"));
  cleanups.push(database.drop);
  await applyMigrations({ connectionString: database.url, log: () => undefined });
  return database.url;
}

function runPublisher(url: string, enterprise: string, messages: number, values: number, rate: number, protocol: string): Promise<{ sent: number; seconds: number; rate: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/publisher.ts"), url, enterprise, String(messages), String(values), String(rate), String(publisherConnections), protocol], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(output.trim().split("\n").pop()!)) : reject(new Error(`publisher exited ${code}`))));
  });
}

/** The ceiling: the same connection count in a shared group, acknowledging at once, storing nothing. */
async function bareSubscriberRate(url: string, protocol: 4 | 5, shared: boolean): Promise<number> {
  const enterprise = `bare${randomBytes(2).toString("hex")}`;
  const filter = `umh/v1/${enterprise}/#`;
  const group = `bare-${enterprise}`;
  let received = 0;
  let first = 0;
  let last = 0;
  const count = shared ? connections : 1;
  const clients: MqttClient[] = await Promise.all(Array.from({ length: count }, async (_, index) => {
    const client = await mqtt.connectAsync(url, { clientId: `${group}-${index}`, protocolVersion: protocol, clean: true });
    client.on("message", () => {
      received += 1;
      last = Date.now();
      if (!first) first = last;
    });
    await client.subscribeAsync(shared ? `$share/${group}/${filter}` : filter, { qos: 1 });
    return client;
  }));
  await runPublisher(url, enterprise, singleMessages, 1, 0, String(protocol));
  const deadline = Date.now() + 60_000;
  while (received < singleMessages && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all(clients.map((client) => client.endAsync()));
  if (received < singleMessages) line(`  warning: bare subscriber got ${received} of ${singleMessages}`);
  return received / ((last - first) / 1000);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const databaseUrl = await provisionDatabase();
  const mosquitto = findMosquitto();
  let brokerUrl = process.env.MQTT_URL ?? "mqtt://127.0.0.1:1883";
  let brokerLabel = `${brokerUrl} (as given; its queue limits apply)`;
  if (mosquitto) {
    const broker = await startPrivateMosquitto(mosquitto);
    cleanups.push(broker.close);
    brokerUrl = broker.url;
    brokerLabel = `private Mosquitto (${mosquitto}) with max_queued_messages 0`;
  }
  const protocol = 5;
  line("Shopfloor ingest benchmark");
  line(`  machine: ${(await import("node:os")).cpus().length} cores; broker: ${brokerLabel}; database: fresh on ${new URL(databaseUrl).host}`);
  line(`  worker: ${connections} MQTT connections in one shared subscription, one group-committing writer; publisher: ${publisherConnections} connections in a child process`);

  const ceiling = await bareSubscriberRate(brokerUrl, protocol, true);
  line(`\n1. bare MQTT subscriber (acknowledge only), ${singleMessages} single-value QoS 1 messages: ${ceiling.toFixed(0)} msg/s`);

  // Shopfloor, in this process; publisher in a child process.
  const run = async (messages: number, values: number, rate: number, label: string) => {
    const enterprise = `sf${randomBytes(3).toString("hex")}`;
    const env = parseWorkerEnv({
      DATABASE_URL: databaseUrl, MQTT_URL: brokerUrl, MQTT_PROTOCOL_VERSION: String(protocol),
      WORKER_ID: `bench-${enterprise}`, INGEST_SHARE_GROUP: `bench-${enterprise}`, INGEST_CONNECTIONS: String(connections),
      INGEST_UNS_FILTER: `umh/v1/${enterprise}/#`, MQTT_SESSION_EXPIRY_SECONDS: "60", SPARKPLUG_ENABLED: "false", LOG_LEVEL: "warn",
    });
    let committed = 0;
    let first = 0;
    let lastCommit = 0;
    const latencies: number[] = [];
    const rss: number[] = [];
    const metrics = createIngestMetrics();
    const ingest = await startIngest(env, pino({ level: "warn" }), metrics, {
      onCommit: (batch, committedAt) => {
        committed += batch.length;
        lastCommit = committedAt;
        if (!first) first = Math.min(...batch.map((message) => message.receivedAt));
        for (const message of batch) {
          if (!("records" in message.outcome)) continue;
          const sentAt = message.outcome.records[0]?.kind === "sample" ? message.outcome.records[0].time : undefined;
          if (sentAt) latencies.push(committedAt - sentAt);
        }
      },
    });
    const deadline = Date.now() + 10_000;
    while (ingest.connectedCount() < connections && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const rssTimer = setInterval(() => rss.push(process.memoryUsage().rss / 1_048_576), 1_000);
    const published = await runPublisher(brokerUrl, enterprise, messages, values, rate, String(protocol));
    const waitUntil = Date.now() + 120_000;
    while (committed < messages && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(rssTimer);
    await ingest.close();
    const seconds = (lastCommit - first) / 1000;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const stored = Number((await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id WHERE a.path LIKE $1", [`${enterprise}/%`],
    )).rows[0]?.n);
    await db.end();
    if (committed < messages) line(`  warning (${label}): committed ${committed} of ${messages}`);
    latencies.sort((a, b) => a - b);
    const batchSeconds = (await metrics.batchSeconds.get()).values;
    const writeSeconds = batchSeconds.find((value) => value.metricName?.endsWith("_sum"))?.value ?? 0;
    const batches = batchSeconds.find((value) => value.metricName?.endsWith("_count"))?.value ?? 0;
    line(`   (${label}: publisher ${published.rate.toFixed(0)} msg/s; ${batches} commits, mean ${(committed / batches).toFixed(0)} messages; writer busy ${((writeSeconds / seconds) * 100).toFixed(0)} % of the run)`);
    return { rate: committed / seconds, rows: stored, rowsPerSecond: stored / seconds, publisherRate: published.rate, latencies, rss };
  };

  const single = await run(singleMessages, 1, 0, "single-value");
  line(`2. Shopfloor, same ${singleMessages} single-value messages: ${single.rate.toFixed(0)} msg/s committed (${single.rows} rows stored)`);
  line(`   ratio to the bare subscriber: ${((single.rate / ceiling) * 100).toFixed(1)} %   (target ≥ 85 %)`);

  const ten = await run(tenValueMessages, 10, 0, "ten-value");
  line(`3. Shopfloor, ${tenValueMessages} ten-value _historian messages: ${ten.rowsPerSecond.toFixed(0)} rows/s committed (${ten.rate.toFixed(0)} msg/s, ${ten.rows} rows)   (target ≥ 100,000 rows/s)`);

  const halfRate = Math.floor(single.rate / 2);
  const latencyRun = await run(halfRate * latencySeconds, 1, halfRate, "latency");
  const p50 = percentile(latencyRun.latencies, 50);
  const p99 = percentile(latencyRun.latencies, 99);
  line(`4. publish→commit latency at half the sustained rate (${halfRate} msg/s for ${latencySeconds} s): p50 ${p50} ms, p99 ${p99} ms   (target p99 < 500 ms)`);
  const rss = latencyRun.rss;
  line(`   worker RSS during that run: min ${Math.min(...rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB, last ${rss.at(-1)?.toFixed(0)} MiB (samples every second)`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
