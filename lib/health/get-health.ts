import { getDb } from "../db";
import { detectTimescale, type TTimescaleInfo } from "../db/detect-timescale";
import { getEnv } from "../env";
import { probeBroker } from "./broker-probe";

export type THealth = {
  status: "ok" | "degraded";
  database: { ok: boolean; timescaledb: TTimescaleInfo };
  broker: { ok: boolean };
  worker: { ok: boolean; lastMessageAt: string | null; lastBeatAt: string | null };
  /** Messages put in quarantine in the last 24 h, and asset paths waiting to be mapped. */
  ingest: { quarantined24h: number; unmappedTopics: number } | null;
};

// Health may be polled by load balancers every second; the broker probe opens a connection,
// so its answer is reused briefly.
let brokerCache: { at: number; ok: Promise<boolean> } | undefined;
const brokerCacheMs = 5_000;

function brokerOk(): Promise<boolean> {
  const now = Date.now();
  if (!brokerCache || now - brokerCache.at > brokerCacheMs) {
    const { MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD } = getEnv();
    brokerCache = { at: now, ok: probeBroker({ url: MQTT_URL, username: MQTT_USERNAME, password: MQTT_PASSWORD }) };
  }
  return brokerCache.ok;
}

export async function getHealth(): Promise<THealth> {
  const db = getDb();
  const broker = brokerOk();
  let database: THealth["database"] = { ok: false, timescaledb: null };
  let lastBeatAt: Date | null = null;
  let lastMessageAt: Date | null = null;
  let ingest: THealth["ingest"] = null;
  try {
    const [timescaledb, liveBeat, lastMessage] = await Promise.all([
      detectTimescale(db),
      db.workerHeartbeat.aggregate({ where: { stoppedAt: null }, _max: { beatAt: true } }),
      db.workerHeartbeat.aggregate({ _max: { lastMessageAt: true } }),
    ]);
    database = { ok: true, timescaledb };
    lastBeatAt = liveBeat._max.beatAt;
    lastMessageAt = lastMessage._max.lastMessageAt;
    const [quarantined, unmapped] = await Promise.all([
      db.quarantinedMessage.count({ where: { receivedAt: { gte: new Date(Date.now() - 86_400_000) } } }),
      db.unmappedTopic.count({ where: { status: "pending" } }),
    ]);
    ingest = { quarantined24h: quarantined, unmappedTopics: unmapped };
  } catch {
    // database stays { ok: false }: the route answers 503
  }
  // The worker heartbeats whether or not messages flow, so a quiet plant is still healthy.
  const workerOk = !!lastBeatAt && Date.now() - lastBeatAt.getTime() < getEnv().WORKER_STALE_SECONDS * 1000;
  const brokerIsOk = await broker;
  return {
    status: database.ok && brokerIsOk && workerOk ? "ok" : "degraded",
    database,
    broker: { ok: brokerIsOk },
    worker: { ok: workerOk, lastMessageAt: lastMessageAt?.toISOString() ?? null, lastBeatAt: lastBeatAt?.toISOString() ?? null },
    ingest,
  };
}
