import os from "node:os";
import { z } from "zod";
import { parseEnv } from "../lib/env";

/** The ingest worker's own configuration, parsed once at start. */
export const ZWorkerEnv = z.object({
  DATABASE_URL: z
    .string({ error: "is required (postgresql://user:pass@host:5432/db)" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp|ssl):\/\//, "must be an mqtt://, mqtts://, ws:// or wss:// URL")
    .default("mqtt://127.0.0.1:1883"),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  /** 5 enables shared subscriptions and session expiry; 4 (3.1.1) for brokers without MQTT 5, such as the embedded aedes. */
  MQTT_PROTOCOL_VERSION: z.enum(["4", "5"]).transform(Number).default(5),
  /** PEM file of the CA that signed the broker's certificate, for mqtts:// with a private CA. */
  MQTT_CA_FILE: z.string().optional(),
  /** Stable per worker: the broker keeps this client's persistent session (QoS 1 backlog). */
  WORKER_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1–64 of A-Z a-z 0-9 _ -").default(`shopfloor-${os.hostname().replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 40)}`),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(250).max(60_000).default(5_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

export function parseWorkerEnv(source: Record<string, string | undefined> = process.env): TWorkerEnv {
  return parseEnv(ZWorkerEnv, source);
}
