import os from "node:os";
import { z } from "zod";
import { connectionEnv, parseEnv } from "../lib/env";

/** The ingest worker's own configuration, parsed once at start. */
export const ZWorkerEnv = z.object({
  ...connectionEnv,
  /** 5 enables shared subscriptions and session expiry; 4 (3.1.1) for brokers without MQTT 5, such as the embedded aedes. */
  MQTT_PROTOCOL_VERSION: z.enum(["4", "5"]).transform(Number).default(5),
  /** PEM file of the CA that signed the broker's certificate, for mqtts:// with a private CA. */
  MQTT_CA_FILE: z.string().optional(),
  /** Stable per worker: the broker keeps this client's persistent session (QoS 1 backlog). */
  WORKER_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1–64 of A-Z a-z 0-9 _ -").default(`shopfloor-${os.hostname().replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 40)}`),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(250).max(60_000).default(5_000),
  /** MQTT connections that share the UNS subscription. */
  INGEST_CONNECTIONS: z.coerce.number().int().min(1).max(500).default(8),
  /** Messages per connection received but not yet acknowledged (waiting for their commit); the broker's own in-flight cap may be lower. */
  INGEST_ACK_WINDOW: z.coerce.number().int().min(1).max(65_535).default(256),
  /** Shared-subscription group ($share/<group>/…) so several workers split the load; "none" to subscribe plainly (one connection). */
  INGEST_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1–64 of A-Z a-z 0-9 _ -").default("shopfloor"),
  /** How long the broker keeps a disconnected worker's session and its queued messages (MQTT 5). */
  MQTT_SESSION_EXPIRY_SECONDS: z.coerce.number().int().min(0).max(4_294_967_295).default(7 * 24 * 3600),
  /** The UNS topic filter this worker subscribes to, e.g. umh/v1/acme/detroit/# for one site. */
  INGEST_UNS_FILTER: z.string().regex(/^umh\/v1\/([A-Za-z0-9_-]+\/)*#$/, "must look like umh/v1/# or umh/v1/<enterprise>/…/#").default("umh/v1/#"),
  /** auto: follow the admin's setting (ingest.autoRegister, default on); true/false override it. */
  INGEST_AUTO_REGISTER: z.enum(["auto", "true", "false"]).default("auto"),
  /** Most messages in one database transaction. */
  INGEST_MAX_BATCH: z.coerce.number().int().min(1).max(100_000).default(5_000),
  /** Bytes of a rejected payload kept in quarantine. */
  QUARANTINE_PAYLOAD_CAP: z.coerce.number().int().min(0).max(1_048_576).default(65_536),
  SPARKPLUG_ENABLED: z.enum(["true", "false"]).transform((value) => value === "true").default(true),
  /** Sparkplug primary host id (STATE topic spBv1.0/STATE/<id>). */
  SPARKPLUG_HOST_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1–64 of A-Z a-z 0-9 _ -").default("shopfloor"),
  /**
   * Sparkplug group/edge node/device → asset path; node metrics drop the "/{device}" part. Unset:
   * follow the admin's setting (ingest.sparkplugPathTemplate, default {group}/{edge_node}/{device}); set: pin it.
   */
  SPARKPLUG_PATH_TEMPLATE: z
    .string()
    .regex(/^([A-Za-z0-9_-]+|\{group\}|\{edge_node\}|\{device\})(\/([A-Za-z0-9_-]+|\{group\}|\{edge_node\}|\{device\}))*$/, "use path levels and {group}, {edge_node}, {device}")
    .optional(),
  /** Retention and compression pass (lib/retention); 0 turns it off in this worker. */
  MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().min(0).max(1_440).default(15),
  /** Prometheus metrics on http://METRICS_HOST:METRICS_PORT/metrics; 0 turns them off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  METRICS_HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

export function parseWorkerEnv(source: Record<string, string | undefined> = process.env): TWorkerEnv {
  return parseEnv(ZWorkerEnv, source);
}
