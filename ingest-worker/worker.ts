import type http from "node:http";
import os from "node:os";
import pino, { type Logger } from "pino";
import packageJson from "../package.json";
import { createPrismaClient } from "../lib/db";
import { runMaintenance } from "../lib/retention/run-maintenance";
import { withClient } from "../lib/runtime/scratch-database";
import type { PrismaClient } from "../lib/generated/prisma/client";
import type { TWorkerEnv } from "./env";
import { createIngestMetrics, serveMetrics } from "./metrics";
import { startIngest } from "./pipeline";

export type TWorker = { close: () => Promise<void> };

const { version } = packageJson;

/**
 * Starts the ingest worker: the MQTT → database pipeline, its Prometheus metrics, and a
 * heartbeat row that health reads (fresh whether or not telemetry is flowing).
 */
export async function startWorker(env: TWorkerEnv, logger: Logger = pino({ level: env.LOG_LEVEL, base: { service: "ingest-worker" } })): Promise<TWorker> {
  const db = createPrismaClient(env.DATABASE_URL, 2);
  await db.$queryRaw`SELECT 1`;
  const startedAt = new Date();
  const metrics = createIngestMetrics();
  const ingest = await startIngest(env, logger, metrics);
  let metricsServer: http.Server | undefined;
  if (env.METRICS_PORT > 0) {
    metricsServer = await serveMetrics(metrics.registry, env.METRICS_PORT, env.METRICS_HOST).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : error, port: env.METRICS_PORT }, "metrics port unavailable; metrics not served");
      return undefined;
    });
  }

  const beat = () =>
    writeHeartbeat(db, env.WORKER_ID, startedAt, ingest.connectedCount() > 0, ingest.lastMessageAt()).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : error }, "heartbeat write failed");
    });
  await beat();
  const heartbeatTimer = setInterval(beat, env.WORKER_HEARTBEAT_MS);
  const maintain = () =>
    withClient(env.DATABASE_URL, (client) => runMaintenance(client)).then(
      (report) => {
        if (!report.ran) return;
        for (const [table, rows] of Object.entries(report.deleted)) metrics.maintenanceRowsDeleted.inc({ table }, rows);
        metrics.maintenanceLastRun.set(Date.now() / 1000);
        logger.info({ engine: report.engine, deleted: report.deleted, droppedChunks: report.droppedChunks, compressedChunks: report.compressedChunks }, "retention pass done");
      },
      (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : error }, "retention pass failed; retrying next interval"),
    );
  // First pass shortly after start (not during it), then on the interval; an advisory lock keeps it to one worker at a time.
  const maintenanceTimers = env.MAINTENANCE_INTERVAL_MINUTES > 0
    ? [setTimeout(maintain, 30_000), setInterval(maintain, env.MAINTENANCE_INTERVAL_MINUTES * 60_000)]
    : [];
  logger.info({ workerId: env.WORKER_ID, broker: redactUrl(env.MQTT_URL), metricsPort: env.METRICS_PORT }, "ingest worker started");

  return {
    async close() {
      clearInterval(heartbeatTimer);
      for (const timer of maintenanceTimers) clearTimeout(timer);
      await ingest.close();
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      await db.$executeRaw`UPDATE worker_heartbeats SET stopped_at = now(), broker_connected = false WHERE worker_id = ${env.WORKER_ID}`.catch(() => undefined);
      await db.$disconnect();
      logger.info("ingest worker stopped");
    },
  };
}

async function writeHeartbeat(db: PrismaClient, workerId: string, startedAt: Date, brokerConnected: boolean, lastMessageAt: Date | null) {
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, version, started_at, beat_at, broker_connected, last_message_at)
    VALUES (${workerId}, ${os.hostname()}, ${process.pid}, ${version}, ${startedAt}, now(), ${brokerConnected}, ${lastMessageAt})
    ON CONFLICT (worker_id) DO UPDATE SET
      hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, version = EXCLUDED.version,
      started_at = EXCLUDED.started_at, beat_at = EXCLUDED.beat_at, broker_connected = EXCLUDED.broker_connected,
      last_message_at = COALESCE(EXCLUDED.last_message_at, worker_heartbeats.last_message_at),
      stopped_at = NULL`;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
