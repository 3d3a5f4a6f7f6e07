import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import pg from "pg";
import type { Logger } from "pino";
import { defaultIngestSettings, ingestSettingKeys, sparkplugPathMapper, sparkplugTemplateProblem } from "../lib/ingest/ingest-settings";
import { parseUnsMessage } from "../lib/ingest/parse-uns";
import { SparkplugHost } from "../lib/ingest/sparkplug/host";
import { IngestCaches, type TBatchMessage, writeBatch } from "../lib/ingest/write-batch";
import { CommitGatedAcks } from "./commit-gated-acks";
import type { TWorkerEnv } from "./env";
import type { TIngestMetrics } from "./metrics";

type TPending = TBatchMessage & { ack: () => void };

export type TIngest = {
  close: () => Promise<void>;
  connectedCount: () => number;
  lastMessageAt: () => Date | null;
};

const retryDelaysMs = [100, 250, 500, 1_000, 2_000, 5_000];
// SQLSTATE classes that mean "this data", not "the database": retrying the same batch cannot help.
const dataErrorClasses = new Set(["22", "23", "42"]);

/**
 * MQTT in, database out. N connections share the UNS subscription; each acknowledges a message
 * only when the commit holding it is done, with at most INGEST_ACK_WINDOW waiting per connection
 * (commit-gated-acks.ts), so memory is bounded and a slow database slows the broker, not our heap.
 * One writer commits whatever has arrived while the previous commit ran (group commit).
 */
export type TIngestHooks = {
  /** Called after each commit with the messages it held (the benchmark measures latency with it). */
  onCommit?: (messages: TBatchMessage[], committedAt: number) => void;
};

export async function startIngest(env: TWorkerEnv, logger: Logger, metrics: TIngestMetrics, hooks: TIngestHooks = {}): Promise<TIngest> {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, application_name: `shopfloor-ingest:${env.WORKER_ID}` });
  pool.on("error", (error) => logger.warn({ err: error.message }, "idle database connection failed"));
  const caches = new IngestCaches();
  await pool.query<{ asset_id: string }>("SELECT DISTINCT asset_id FROM series WHERE stale_since IS NOT NULL").then(
    ({ rows }) => rows.forEach((row) => caches.staleAssetIds.add(row.asset_id)),
    (error: unknown) => logger.warn({ err: errorMessage(error) }, "could not read stale series"),
  );
  let queue: TPending[] = [];
  let writing = false;
  let closing = false;
  let lastMessageAt: Date | null = null;
  // Settings are polled (every 5 s), not cached for the worker's life: an admin's change applies
  // without a restart. Mappings and ignore/reject decisions need no polling: unknown paths are
  // looked up again in every batch (write-batch.ts).
  const pinnedAutoRegister = env.INGEST_AUTO_REGISTER === "auto" ? undefined : env.INGEST_AUTO_REGISTER === "true";
  let settings = await readIngestSettings(pool, logger, { autoRegister: defaultIngestSettings.autoRegister, sparkplugPathTemplate: defaultIngestSettings.sparkplugPathTemplate });
  let autoRegister = pinnedAutoRegister ?? settings.autoRegister;
  let sparkplugTemplate = env.SPARKPLUG_PATH_TEMPLATE ?? settings.sparkplugPathTemplate;
  /** Set by startSparkplug: asks every born edge node to rebirth, so a new template applies now. */
  let onSparkplugTemplateChange: (() => void) | undefined;
  const pendingNotify = new Set<string>();

  const enqueue = (message: TPending) => {
    queue.push(message);
    metrics.pending.set(queue.length);
    void drain();
  };

  const drain = async () => {
    if (writing || closing || queue.length === 0) return;
    writing = true;
    try {
      while (queue.length && !closing) {
        const batch = queue.slice(0, env.INGEST_MAX_BATCH);
        queue = queue.slice(batch.length);
        metrics.lagSeconds.set((Date.now() - Math.min(...batch.map((message) => message.receivedAt))) / 1000);
        await commitWithRetry(batch);
        for (const message of batch) message.ack();
        hooks.onCommit?.(batch, Date.now());
        lastMessageAt = new Date();
        metrics.pending.set(queue.length);
      }
    } catch (error) {
      // Only when closing with the database down: the batch stays unacknowledged and is redelivered.
      logger.warn({ err: errorMessage(error) }, "ingest writer stopped");
    } finally {
      writing = false;
    }
  };

  const commitWithRetry = async (batch: TPending[]) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await commit(batch);
        return;
      } catch (caught) {
        let error = caught;
        if (isDataError(error)) {
          // One message the parsers let through is refused by the database: find it, quarantine it, keep the rest.
          try {
            await commitOneByOne(batch);
            return;
          } catch (during) {
            // The database failed half-way: retry the whole batch (what was committed is a no-op).
            error = during;
          }
        }
        metrics.databaseRetries.inc();
        const delay = retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)]!;
        logger.warn({ err: errorMessage(error), attempt, retryInMs: delay, messages: batch.length }, "database write failed; holding acknowledgements and retrying");
        await sleep(delay);
        if (closing) throw new Error("worker closing with an uncommitted batch (it stays unacknowledged and the broker redelivers it)");
      }
    }
  };

  const commit = async (batch: TBatchMessage[]) => {
    const started = performance.now();
    const client = await pool.connect();
    // A checked-out client has no error listener of the pool's: a connection lost mid-commit would
    // be an unhandled 'error' event that kills the worker. The pending query rejects anyway.
    const onConnectionError = (error: Error) => logger.debug({ err: error.message }, "database connection lost during a commit");
    client.on("error", onConnectionError);
    try {
      // Between batches only: a batch reads the cache from start to end.
      if (assetPathsChanged) {
        caches.assetIdByPath.clear();
        assetPathsChanged = false;
      }
      const result = await writeBatch(client, batch, caches, { autoRegister, quarantinePayloadCap: env.QUARANTINE_PAYLOAD_CAP });
      metrics.batchSeconds.observe((performance.now() - started) / 1000);
      metrics.batchMessages.observe(batch.length);
      metrics.messagesAccepted.inc(batch.length - result.quarantined - result.ignored);
      metrics.messagesQuarantined.inc(result.quarantined);
      metrics.messagesIgnored.inc(result.ignored);
      metrics.rowsInserted.inc({ table: "samples" }, result.samplesInserted);
      metrics.rowsInserted.inc({ table: "production_counts" }, result.countsInserted);
      metrics.rowsInserted.inc({ table: "state_events" }, result.statesInserted);
      for (const assetId of result.assetIds) pendingNotify.add(assetId);
      if (result.quarantined) logger.debug({ quarantined: result.quarantined }, "messages quarantined");
    } finally {
      client.removeListener("error", onConnectionError);
      client.release();
    }
  };

  const commitOneByOne = async (batch: TPending[]) => {
    for (const message of batch) {
      try {
        await commit([message]);
      } catch (error) {
        if (!isDataError(error)) throw error;
        logger.warn({ topic: message.topic, err: errorMessage(error) }, "database refused a message; quarantined");
        await commit([{ ...message, outcome: { quarantine: `database refused it: ${errorMessage(error)}` } }]);
      }
    }
  };

  // Live views listen for this; one notification per quarter second carries every changed asset.
  const notifyTimer = setInterval(() => {
    if (!pendingNotify.size) return;
    const assetIds = [...pendingNotify].slice(0, 200);
    pendingNotify.clear();
    pool.query("SELECT pg_notify('shopfloor_ingest', $1)", [JSON.stringify({ assetIds, at: new Date().toISOString() })]).catch((error: unknown) => {
      logger.debug({ err: errorMessage(error) }, "notify failed");
    });
  }, 250);
  // The path → asset cache is dropped when the hierarchy changes (checked with the settings).
  let assetHierarchyVersion: string | undefined;
  let assetPathsChanged = false;
  const settingsTimer = setInterval(async () => {
    settings = await readIngestSettings(pool, logger, settings);
    // An admin moved, renamed the topic segment of, retired or restored an asset: paths now lead elsewhere.
    try {
      const { rows } = await pool.query<{ version: string }>("SELECT count(*) || '@' || coalesce(max(updated_at)::text, '') AS version FROM assets");
      const version = rows[0]?.version;
      // The first look has nothing to compare with: the cache may predate it, so it is dropped once.
      if (version !== assetHierarchyVersion) assetPathsChanged = true;
      assetHierarchyVersion = version;
    } catch (error) {
      logger.debug({ err: errorMessage(error) }, "could not check the asset hierarchy for changes");
    }
    autoRegister = pinnedAutoRegister ?? settings.autoRegister;
    const template = env.SPARKPLUG_PATH_TEMPLATE ?? settings.sparkplugPathTemplate;
    if (template !== sparkplugTemplate) {
      logger.info({ from: sparkplugTemplate, to: template }, "Sparkplug mapping rule changed; requesting rebirths");
      sparkplugTemplate = template;
      onSparkplugTemplateChange?.();
    }
  }, 5_000);

  const baseOptions: IClientOptions = {
    protocolVersion: env.MQTT_PROTOCOL_VERSION === 5 ? 5 : 4,
    username: env.MQTT_USERNAME,
    password: env.MQTT_PASSWORD,
    ca: env.MQTT_CA_FILE ? readFileSync(env.MQTT_CA_FILE) : undefined,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  };

  const connections: MqttClient[] = [];
  const connectUns = (clientId: string) => mqtt.connect(env.MQTT_URL, {
    ...baseOptions,
    clientId,
    // A persistent session: the broker keeps QoS 1 messages for us while we are away.
    clean: false,
    // Receive Maximum tells an MQTT 5 broker how many unacknowledged messages we take per connection.
    ...(env.MQTT_PROTOCOL_VERSION === 5 ? { properties: { sessionExpiryInterval: env.MQTT_SESSION_EXPIRY_SECONDS, receiveMaximum: env.INGEST_ACK_WINDOW } } : {}),
  });
  /** Parse on arrival (a bad message is quarantined with its reason) and queue for the writer. */
  const takeUnsMessage = (packet: { topic: string; payload: Buffer | string }, ack: () => void) => {
    const payload = toBuffer(packet.payload);
    const receivedAt = Date.now();
    metrics.messagesReceived.inc({ source: "uns" });
    const parsed = parseUnsMessage(packet.topic, payload, receivedAt);
    enqueue({ topic: packet.topic, payload, receivedAt, outcome: parsed.ok ? { records: parsed.records } : { quarantine: parsed.reason }, ack });
  };
  const shared = env.INGEST_SHARE_GROUP !== "none";
  const unsConnections = shared ? env.INGEST_CONNECTIONS : 1;
  const subscription = shared ? `$share/${env.INGEST_SHARE_GROUP}/${env.INGEST_UNS_FILTER}` : env.INGEST_UNS_FILTER;
  for (let index = 0; index < unsConnections; index += 1) {
    const client = connectUns(`${env.WORKER_ID}-${index}`);
    const acks = new CommitGatedAcks(client, env.INGEST_ACK_WINDOW);
    client.handleMessage = (packet, done) => {
      const ack = acks.admit(packet, () => done());
      // Shift add/delete must apply in publish order, which a shared subscription does not keep
      // across connections: the ordered connection below takes them.
      if (isOrderSensitive(packet.topic)) {
        ack();
        return;
      }
      takeUnsMessage(packet, ack);
    };
    // SUBSCRIBE on every connect, even when the session is present: MQTT.js would skip a topic it
    // subscribed before, yet Mosquitto 2.0 restores a $share subscription from its persistence file
    // without delivering to it, so after a broker restart nothing would arrive again.
    watchConnection(client, `uns-${index}`, () => client.subscribe(Object.assign({ [subscription]: { qos: 1 as const } }, { resubscribe: true }), (error) => {
      if (error) logger.error({ err: error.message, subscription }, "subscribe failed");
    }));
    connections.push(client);
  }

  connections.push(startOrderedPlanning());
  if (env.SPARKPLUG_ENABLED) connections.push(startSparkplug());

  /**
   * One connection of its own, not shared, for the topics whose effect depends on their order
   * (shift/add then shift/delete of the same shift). One connection keeps the broker's order and
   * the single writer keeps it through the commits. With several workers each applies them all,
   * in the same order, to the same end state.
   */
  function startOrderedPlanning(): MqttClient {
    const client = connectUns(`${env.WORKER_ID}-ordered`);
    const acks = new CommitGatedAcks(client, env.INGEST_ACK_WINDOW);
    client.handleMessage = (packet, done) => takeUnsMessage(packet, acks.admit(packet, () => done()));
    const filters = orderSensitiveFilters(env.INGEST_UNS_FILTER);
    watchConnection(client, "ordered", () => client.subscribe(Object.assign(Object.fromEntries(filters.map((filter) => [filter, { qos: 1 as const }])), { resubscribe: true }), (error) => {
      if (error) logger.error({ err: error.message, filters }, "subscribe failed");
    }));
    return client;
  }

  function startSparkplug(): MqttClient {
    // Paths are mapped at each birth; a changed rule applies from the rebirths it triggers.
    let mapper = { template: sparkplugTemplate, map: sparkplugPathMapper(sparkplugTemplate) };
    const mapPath = (group: string, edgeNode: string, device?: string) => {
      if (mapper.template !== sparkplugTemplate) mapper = { template: sparkplugTemplate, map: sparkplugPathMapper(sparkplugTemplate) };
      return mapper.map(group, edgeNode, device);
    };
    const host = new SparkplugHost({ hostId: env.SPARKPLUG_HOST_ID, mapPath });
    const death = host.stateDeath();
    // Sparkplug hosts connect with Clean Start and no session (spec); edge nodes store and forward while we are offline.
    const client = mqtt.connect(env.MQTT_URL, {
      ...baseOptions,
      clientId: `${env.WORKER_ID}-sparkplug`,
      clean: true,
      will: { topic: death.topic, payload: death.payload, qos: 1, retain: true },
    });
    const publishCommands = (commands: { topic: string; payload: Buffer; qos: 0 | 1; retain: boolean }[]) => {
      for (const command of commands) client.publish(command.topic, command.payload, { qos: command.qos, retain: command.retain });
    };
    const acks = new CommitGatedAcks(client, env.INGEST_ACK_WINDOW);
    client.handleMessage = (packet, done) => {
      const ack = acks.admit(packet, () => done());
      const payload = toBuffer(packet.payload);
      const receivedAt = Date.now();
      metrics.messagesReceived.inc({ source: "sparkplug" });
      const result = host.handle(packet.topic, payload, receivedAt);
      publishCommands(result.commands);
      for (const note of result.notes ?? []) logger.info({ topic: packet.topic }, note);
      if (!result.records.length && !result.quarantine && !result.stale?.length) {
        ack();
        return;
      }
      enqueue({
        topic: packet.topic, payload, receivedAt,
        outcome: result.quarantine ? { quarantine: result.quarantine.reason } : { records: result.records, stale: result.stale },
        ack,
      });
    };
    const tick = setInterval(() => publishCommands(host.tick(Date.now())), 500);
    onSparkplugTemplateChange = () => host.requestRebirthOfAll("the asset path mapping rule changed");
    client.once("end", () => clearInterval(tick));
    watchConnection(client, "sparkplug", () => {
      client.subscribe(host.subscriptions(), { qos: 1 }, (error) => {
        if (error) logger.error({ err: error.message }, "sparkplug subscribe failed");
        const birth = host.stateBirth(Date.now());
        client.publish(birth.topic, birth.payload, { qos: 1, retain: true });
      });
    });
    return client;
  }

  function watchConnection(client: MqttClient, name: string, onConnect: () => void) {
    client.on("connect", () => {
      metrics.brokerConnections.set(connections.filter((connection) => connection.connected).length);
      logger.debug({ connection: name }, "connected to broker");
      onConnect();
    });
    client.on("close", () => metrics.brokerConnections.set(connections.filter((connection) => connection.connected).length));
    client.on("error", (error) => logger.warn({ connection: name, err: error.message }, "broker error"));
  }

  logger.info({ connections: unsConnections, shared, subscription, sparkplug: env.SPARKPLUG_ENABLED }, "ingest started");

  return {
    connectedCount: () => connections.filter((connection) => connection.connected).length,
    lastMessageAt: () => lastMessageAt,
    async close() {
      // Let the commit in progress finish and its acknowledgements go out, then disconnect;
      // whatever arrived but was not committed is redelivered by the broker next time.
      closing = true;
      while (writing) await sleep(20);
      await Promise.all(connections.map((connection) => connection.endAsync(false).catch(() => undefined)));
      clearInterval(notifyTimer);
      clearInterval(settingsTimer);
      await pool.end();
    },
  };
}

/** Asset paths have 1–5 levels plus an optional origin id (domain.md §2). */
const maxPathLevels = 6;
// Exactly what orderSensitiveFilters subscribes to ("+" matches any level, even an empty one),
// so every such topic is handled by one connection, never by both or neither.
const orderSensitiveTopic = new RegExp(`^umh/v1/([^/]*/){1,${maxPathLevels}}_analytics/shift/`);

export function isOrderSensitive(topic: string): boolean {
  return orderSensitiveTopic.test(topic);
}

/**
 * The shift topics under the worker's UNS filter, one filter per path depth (a topic filter
 * cannot put anything after "#"): umh/v1/acme/# gives umh/v1/acme/_analytics/shift/#,
 * umh/v1/acme/+/_analytics/shift/#, … down to six path levels.
 */
export function orderSensitiveFilters(unsFilter: string): string[] {
  const prefix = unsFilter.slice(0, -1); // "umh/v1/…/" without the "#"
  const fixedLevels = prefix.split("/").length - 3;
  return Array.from({ length: maxPathLevels - fixedLevels + 1 }, (_, extra) => `${prefix}${"+/".repeat(extra)}_analytics/shift/#`)
    .filter((filter) => filter.split("/").length - 5 >= 1);
}

type TIngestSettings = { autoRegister: boolean; sparkplugPathTemplate: string };

/** The admin's ingest settings; a missing row is the default, an unreadable one keeps `current`. */
async function readIngestSettings(pool: pg.Pool, logger: Logger, current: TIngestSettings): Promise<TIngestSettings> {
  try {
    const { rows } = await pool.query<{ key: string; value: unknown }>(
      "SELECT key, value FROM settings WHERE key = ANY($1::text[])", [[ingestSettingKeys.autoRegister, ingestSettingKeys.sparkplugPathTemplate]],
    );
    const stored = new Map(rows.map((row) => [row.key, row.value]));
    const autoRegister = stored.get(ingestSettingKeys.autoRegister);
    const template = stored.get(ingestSettingKeys.sparkplugPathTemplate);
    const templateUsable = typeof template === "string" && sparkplugTemplateProblem(template) === undefined;
    if (template !== undefined && !templateUsable) logger.warn({ template }, "stored Sparkplug mapping rule is invalid; keeping the current one");
    return {
      autoRegister: typeof autoRegister === "boolean" ? autoRegister : defaultIngestSettings.autoRegister,
      sparkplugPathTemplate: templateUsable ? template : template === undefined ? defaultIngestSettings.sparkplugPathTemplate : current.sparkplugPathTemplate,
    };
  } catch (error) {
    logger.debug({ err: errorMessage(error) }, "could not read ingest settings");
    return current;
  }
}

function toBuffer(payload: Buffer | string): Buffer {
  return typeof payload === "string" ? Buffer.from(payload) : payload;
}

function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && dataErrorClasses.has(code.slice(0, 2));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
