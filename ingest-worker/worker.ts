import { readFileSync } from "node:fs";
import os from "node:os";
import mqtt, { type MqttClient } from "mqtt";
import pino, { type Logger } from "pino";
import { createPrismaClient } from "../lib/db";
import type { PrismaClient } from "../lib/generated/prisma/client";
import packageJson from "../package.json";
import type { TWorkerEnv } from "./env";

export type TWorker = { close: () => Promise<void> };

const { version } = packageJson;

/**
 * Starts the ingest worker: one MQTT connection, one Prisma client, and a heartbeat row in
 * the database that health reads (fresh whether or not telemetry is flowing).
 */
export async function startWorker(env: TWorkerEnv, logger: Logger = pino({ level: env.LOG_LEVEL, base: { service: "ingest-worker" } })): Promise<TWorker> {
  const db = createPrismaClient(env.DATABASE_URL, 5);
  await db.$queryRaw`SELECT 1`;
  const startedAt = new Date();
  const mqttClient = connectBroker(env, logger);

  const beat = () => writeHeartbeat(db, env.WORKER_ID, startedAt, mqttClient.connected).catch((error: unknown) => {
    logger.warn({ err: error }, "heartbeat write failed");
  });
  await beat();
  const heartbeatTimer = setInterval(beat, env.WORKER_HEARTBEAT_MS);
  mqttClient.on("connect", () => void beat());
  mqttClient.on("close", () => void beat());
  logger.info({ workerId: env.WORKER_ID, broker: redactUrl(env.MQTT_URL) }, "ingest worker started");

  return {
    async close() {
      clearInterval(heartbeatTimer);
      await mqttClient.endAsync();
      await db.$executeRaw`UPDATE worker_heartbeats SET stopped_at = now(), broker_connected = false WHERE worker_id = ${env.WORKER_ID}`.catch(() => undefined);
      await db.$disconnect();
      logger.info("ingest worker stopped");
    },
  };
}

function connectBroker(env: TWorkerEnv, logger: Logger): MqttClient {
  const client = mqtt.connect(env.MQTT_URL, {
    clientId: env.WORKER_ID,
    protocolVersion: env.MQTT_PROTOCOL_VERSION === 5 ? 5 : 4,
    // A persistent session: the broker keeps QoS 1 messages for us while we are away.
    clean: false,
    ...(env.MQTT_PROTOCOL_VERSION === 5 ? { properties: { sessionExpiryInterval: 7 * 24 * 3600 } } : {}),
    username: env.MQTT_USERNAME,
    password: env.MQTT_PASSWORD,
    ca: env.MQTT_CA_FILE ? readFileSync(env.MQTT_CA_FILE) : undefined,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  client.on("connect", () => logger.info("connected to broker"));
  client.on("reconnect", () => logger.debug("reconnecting to broker"));
  client.on("offline", () => logger.warn("broker offline"));
  client.on("error", (error) => logger.warn({ err: error }, "broker error"));
  return client;
}

async function writeHeartbeat(db: PrismaClient, workerId: string, startedAt: Date, brokerConnected: boolean) {
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, version, started_at, beat_at, broker_connected)
    VALUES (${workerId}, ${os.hostname()}, ${process.pid}, ${version}, ${startedAt}, now(), ${brokerConnected})
    ON CONFLICT (worker_id) DO UPDATE SET
      hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, version = EXCLUDED.version,
      started_at = EXCLUDED.started_at, beat_at = EXCLUDED.beat_at, broker_connected = EXCLUDED.broker_connected,
      stopped_at = NULL`;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
