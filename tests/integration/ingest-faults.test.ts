import { randomUUID } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { testDb, uniqueEnterprise, uniquePath, waitFor } from "../support/ingest-harness";
import { findMosquitto, startPrivateMosquitto, type TPrivateMosquitto } from "../support/private-mosquitto";
import { TcpProxy } from "../support/tcp-proxy";
import { spawnWorkerProcess, type TWorkerProcess } from "../support/worker-process";

/**
 * Fault tests with the sequence-number oracle (security.md, "How to test it", rows 15–18): a
 * publisher sends seq 1..N as QoS 1 `_historian` messages; after the fault and the recovery the
 * database must hold exactly that set — nothing missing, nothing doubled — and the roll-ups must
 * count every value exactly once.
 */

const brokerUrl = process.env.MQTT_URL ?? "mqtt://127.0.0.1:1883";
const protocolVersion = process.env.MQTT_PROTOCOL_VERSION === "4" ? "4" : "5";
/** The embedded aedes broker has no shared subscriptions; the runner says so with "none". */
const sharedSubscriptions = process.env.INGEST_SHARE_GROUP !== "none" && protocolVersion === "5";
const mosquittoBinary = findMosquitto();
const enterprise = uniqueEnterprise("faults");
const total = 2_000;
const ratePerSecond = 1_000;
/** Event times an hour back, so the parser's clock checks never interfere. */
const base = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;

let db: pg.Pool;
const teardown: (() => Promise<unknown>)[] = [];

async function runTeardown() {
  for (const step of teardown.splice(0).reverse()) await step().catch((error: unknown) => console.error("[ingest-faults] cleanup:", error));
}

beforeAll(() => {
  db = testDb();
});
afterEach(runTeardown);
afterAll(async () => {
  await runTeardown();
  await db?.end();
});

/** Fault durations and the publisher's pace are the point of these waits; nothing else sleeps. */
function hold(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function workerEnv(workerId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    MQTT_URL: brokerUrl,
    MQTT_PROTOCOL_VERSION: protocolVersion,
    INGEST_SHARE_GROUP: sharedSubscriptions ? workerId : "none",
    INGEST_UNS_FILTER: `umh/v1/${enterprise}/#`,
    INGEST_CONNECTIONS: "8",
    ...overrides,
  };
}

async function startWorker(workerId: string, env: Record<string, string>): Promise<TWorkerProcess> {
  const worker = await spawnWorkerProcess(workerId, env);
  teardown.push(() => worker.stop());
  onTestFailed(() => console.error(`[ingest-faults] worker ${workerId} (pid ${worker.process.pid}) said:\n${worker.output() || "(nothing)"}`));
  return worker;
}

function newWorkerId() {
  return `faults-${randomUUID().slice(0, 8)}`;
}

/**
 * A publisher with a persistent session and a fixed client id: after a reconnect MQTT.js resends
 * every QoS 1 message whose PUBACK it has not seen, and queues what is published while offline.
 */
async function connectPublisher(url = brokerUrl, version = protocolVersion): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId: `faults-pub-${randomUUID().slice(0, 8)}`,
    protocolVersion: version === "4" ? 4 : 5,
    clean: false,
    reconnectPeriod: 250,
    ...(version === "5" ? { properties: { sessionExpiryInterval: 120 } } : {}),
  });
  teardown.push(() => client.endAsync(true));
  return client;
}

type TMessage = { topic: string; body: unknown };

/** Publishes the messages at a steady pace; `acknowledged` resolves once the broker has PUBACKed every one. */
function stream(client: MqttClient, messages: TMessage[], perSecond = ratePerSecond): { acknowledged: Promise<void> } {
  const slice = Math.max(1, Math.round(perSecond / 20));
  const acknowledged = (async () => {
    const acks: Promise<unknown>[] = [];
    for (const [index, message] of messages.entries()) {
      acks.push(client.publishAsync(message.topic, JSON.stringify(message.body), { qos: 1 }));
      if ((index + 1) % slice === 0) await hold(50);
    }
    await Promise.all(acks);
  })();
  return { acknowledged };
}

function sequence(path: string, count = total): TMessage[] {
  return Array.from({ length: count }, (_, index) => ({ topic: `umh/v1/${path}/_historian`, body: { timestamp_ms: base + index + 1, seq: index + 1 } }));
}

/** Waits until the worker's subscription is live: a probe message on the path round-trips into the database. */
async function probe(client: MqttClient, path: string) {
  await waitFor(async () => {
    await client.publishAsync(`umh/v1/${path}/_historian`, JSON.stringify({ timestamp_ms: Date.now(), probe: 1 }), { qos: 1 });
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id
       WHERE a.path = $1 AND r.metric = 'probe'`,
      [path],
    );
    return rows[0]!.n;
  }, (n) => n > 0, 20_000);
}

async function storedSeq(path: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id
     WHERE a.path = $1 AND r.metric = 'seq'`,
    [path],
  );
  return rows[0]!.n;
}

/** What the database holds of the sequence: raw rows and both roll-ups. */
async function readOracle(path: string) {
  const { rows } = await db.query<{
    rows: number; distinct: number; min: number | null; max: number | null; in_range: number; on_time: number;
    minute_count: number; minute_sum: number; hour_count: number; hour_sum: number;
  }>(
    `WITH s AS (
       SELECT r.id AS series_id, s.time, s.value_num FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id
       WHERE a.path = $1 AND r.metric = 'seq'
     )
     SELECT count(*)::int AS rows, count(DISTINCT value_num)::int AS distinct, min(value_num) AS min, max(value_num) AS max,
            count(*) FILTER (WHERE value_num BETWEEN 1 AND $3 AND value_num = trunc(value_num))::int AS in_range,
            count(*) FILTER (WHERE time = $2::timestamptz + value_num * interval '1 millisecond')::int AS on_time,
            (SELECT coalesce(sum(m.count), 0)::int FROM sample_minutes m JOIN series r ON r.id = m.series_id JOIN assets a ON a.id = r.asset_id
              WHERE a.path = $1 AND r.metric = 'seq') AS minute_count,
            (SELECT coalesce(sum(m.sum), 0)::float8 FROM sample_minutes m JOIN series r ON r.id = m.series_id JOIN assets a ON a.id = r.asset_id
              WHERE a.path = $1 AND r.metric = 'seq') AS minute_sum,
            (SELECT coalesce(sum(h.count), 0)::int FROM sample_hours h JOIN series r ON r.id = h.series_id JOIN assets a ON a.id = r.asset_id
              WHERE a.path = $1 AND r.metric = 'seq') AS hour_count,
            (SELECT coalesce(sum(h.sum), 0)::float8 FROM sample_hours h JOIN series r ON r.id = h.series_id JOIN assets a ON a.id = r.asset_id
              WHERE a.path = $1 AND r.metric = 'seq') AS hour_sum
     FROM s`,
    [path, new Date(base), total],
  );
  return rows[0]!;
}

/** Exactly 1..N, each once, at its own event time; roll-ups count each value once. */
async function expectExactSequence(path: string) {
  await waitFor(() => storedSeq(path), (n) => n >= total, 45_000);
  const sum = (total * (total + 1)) / 2;
  expect(await readOracle(path)).toEqual({
    rows: total, distinct: total, min: 1, max: total, in_range: total, on_time: total,
    minute_count: total, minute_sum: sum, hour_count: total, hour_sum: sum,
  });
}

function untilStored(path: string, share: number) {
  return waitFor(() => storedSeq(path), (n) => n >= total * share, 30_000);
}

describe("ingest under faults (sequence oracle: exactly 1..N, roll-ups exact)", () => {
  it("worker kill -9 mid-batch: the restarted worker gets the unacknowledged messages again", { timeout: 90_000 }, async () => {
    const path = uniquePath(enterprise);
    const workerId = newWorkerId();
    const first = await startWorker(workerId, workerEnv(workerId));
    const publisher = await connectPublisher();
    await probe(publisher, path);

    const publishing = stream(publisher, sequence(path));
    await untilStored(path, 0.3);
    await first.kill();
    const stored = await storedSeq(path);
    expect(stored).toBeLessThan(total);
    // Same WORKER_ID, so the same client ids: the broker hands the persistent sessions back.
    await startWorker(workerId, workerEnv(workerId));
    await publishing.acknowledged;
    await expectExactSequence(path);
  });

  describe.skipIf(!mosquittoBinary)(`broker restart${mosquittoBinary ? "" : " (skipped: no mosquitto binary to run a private broker)"}`, () => {
    let broker: TPrivateMosquitto;

    async function privateBroker() {
      broker = await startPrivateMosquitto(mosquittoBinary!);
      teardown.push(() => broker.close());
      onTestFailed(() => console.error(`[ingest-faults] private mosquitto said:\n${broker.output()}`));
      return broker;
    }

    it("mid-stream, plain persistent subscription: the publisher resends what was not PUBACKed, the session keeps the rest", { timeout: 90_000 }, async () => {
      await privateBroker();
      const path = uniquePath(enterprise);
      const workerId = newWorkerId();
      await startWorker(workerId, workerEnv(workerId, { MQTT_URL: broker.url, MQTT_PROTOCOL_VERSION: "5", INGEST_SHARE_GROUP: "none" }));
      const publisher = await connectPublisher(broker.url, "5");
      await probe(publisher, path);

      const publishing = stream(publisher, sequence(path));
      await untilStored(path, 0.3);
      await broker.restart();
      await publishing.acknowledged;
      await expectExactSequence(path);
    });

    // Mosquitto 2.0 restores a $share subscription's queued messages from its persistence file but
    // routes nothing new to it until the client subscribes again; messages published in between
    // are lost by the broker. So this backlog is complete before the restart, and the new messages
    // afterwards prove the worker subscribed again.
    it("shared subscription: the persisted backlog is delivered and new messages arrive again", { timeout: 90_000 }, async () => {
      await privateBroker();
      const path = uniquePath(enterprise);
      const workerId = newWorkerId();
      // One connection taking one message per commit: slow enough that a backlog is still queued at the restart.
      await startWorker(workerId, workerEnv(workerId, { MQTT_URL: broker.url, MQTT_PROTOCOL_VERSION: "5", INGEST_SHARE_GROUP: workerId, INGEST_CONNECTIONS: "1", INGEST_ACK_WINDOW: "1" }));
      const publisher = await connectPublisher(broker.url, "5");
      await probe(publisher, path);

      await stream(publisher, sequence(path), 100_000).acknowledged;
      await untilStored(path, 0.3);
      expect(await storedSeq(path)).toBeLessThan(total);
      await broker.restart();
      await expectExactSequence(path);
      await probe(publisher, uniquePath(enterprise));
    });
  });

  it("database outage: acknowledgements held, memory flat, then it drains", { timeout: 90_000 }, async () => {
    const database = new URL(process.env.DATABASE_URL!);
    const proxy = await new TcpProxy(database.hostname, Number(database.port || 5432)).start();
    teardown.push(() => proxy.close());
    database.host = `127.0.0.1:${proxy.port}`;
    const path = uniquePath(enterprise);
    const workerId = newWorkerId();
    const connections = 8;
    const ackWindow = 16;
    const worker = await startWorker(workerId, workerEnv(workerId, { DATABASE_URL: database.toString(), INGEST_CONNECTIONS: String(connections), INGEST_ACK_WINDOW: String(ackWindow) }));
    const publisher = await connectPublisher();
    await probe(publisher, path);

    const publishing = stream(publisher, sequence(path));
    await untilStored(path, 0.3);
    const before = await worker.metrics();
    proxy.refuse(true);
    proxy.cut();
    // The publisher keeps sending for the whole outage; sample the worker meanwhile.
    let maxHeap = 0;
    let maxPending = 0;
    const outageEnds = Date.now() + 3_000;
    while (Date.now() < outageEnds) {
      const during = await worker.metrics();
      maxHeap = Math.max(maxHeap, during.get("shopfloor_worker_nodejs_heap_size_used_bytes") ?? 0);
      maxPending = Math.max(maxPending, during.get("shopfloor_ingest_pending_messages") ?? 0);
      await hold(200);
    }
    const storedDuringOutage = await storedSeq(path);
    proxy.refuse(false);

    await publishing.acknowledged;
    await expectExactSequence(path);
    expect(storedDuringOutage).toBeLessThan(total);
    const after = await worker.metrics();
    expect(after.get("shopfloor_ingest_database_retries_total")).toBeGreaterThan(0);
    // Unacknowledged messages stay with the broker: each connection holds at most its window
    // (and, on an MQTT 3.1.1 broker that ignores Receive Maximum, the one message past it).
    expect(maxPending).toBeGreaterThan(0);
    expect(maxPending).toBeLessThanOrEqual(connections * (ackWindow + 1));
    const heapBefore = before.get("shopfloor_worker_nodejs_heap_size_used_bytes") ?? 0;
    expect(heapBefore).toBeGreaterThan(0);
    expect(maxHeap - heapBefore).toBeLessThan(32 * 1024 * 1024);
  });

  describe("flaky network between worker and broker", () => {
    async function workerBehindProxy() {
      const broker = new URL(brokerUrl);
      const proxy = await new TcpProxy(broker.hostname, Number(broker.port || 1883)).start();
      teardown.push(() => proxy.close());
      const workerId = newWorkerId();
      await startWorker(workerId, workerEnv(workerId, { MQTT_URL: `mqtt://127.0.0.1:${proxy.port}` }));
      return proxy;
    }

    it("connection cut mid-stream: the worker reconnects and the session redelivers", { timeout: 90_000 }, async () => {
      const proxy = await workerBehindProxy();
      const path = uniquePath(enterprise);
      const publisher = await connectPublisher();
      await probe(publisher, path);

      const publishing = stream(publisher, sequence(path));
      await untilStored(path, 0.3);
      proxy.cut();
      await publishing.acknowledged;
      await expectExactSequence(path);
    });

    it("connection stalled for 3 s mid-stream: it resumes where it stopped", { timeout: 90_000 }, async () => {
      const proxy = await workerBehindProxy();
      const path = uniquePath(enterprise);
      const publisher = await connectPublisher();
      await probe(publisher, path);

      const publishing = stream(publisher, sequence(path));
      await untilStored(path, 0.3);
      proxy.stall(true);
      await hold(3_000);
      const storedDuringStall = await storedSeq(path);
      proxy.stall(false);
      expect(storedDuringStall).toBeLessThan(total);
      await publishing.acknowledged;
      await expectExactSequence(path);
    });
  });

  it.skipIf(!sharedSubscriptions)(
    `two workers on one shared subscription, one killed and restarted: no double effect${sharedSubscriptions ? "" : " (skipped: the embedded broker has no shared subscriptions)"}`,
    { timeout: 90_000 },
    async () => {
      const group = `faults-${randomUUID().slice(0, 8)}`;
      const [idA, idB] = [newWorkerId(), newWorkerId()];
      const workerA = await startWorker(idA, workerEnv(idA, { INGEST_SHARE_GROUP: group }));
      let workerB = await startWorker(idB, workerEnv(idB, { INGEST_SHARE_GROUP: group }));
      const received = async (worker: TWorkerProcess) => (await worker.metrics()).get('shopfloor_ingest_messages_received_total{source="uns"}') ?? 0;
      const path = uniquePath(enterprise);
      const publisher = await connectPublisher();
      // Both are subscribed once each has taken a share of the probes.
      await waitFor(async () => {
        await probe(publisher, path);
        // A worker still starting has no metrics endpoint yet: it has received nothing.
        return [await received(workerA).catch(() => 0), await received(workerB).catch(() => 0)];
      }, (counts) => counts.every((count) => count > 0), 20_000);
      const startA = await received(workerA);
      const startB = await received(workerB);

      // A count stream beside the sequence: production totals must not double either.
      const countPath = uniquePath(enterprise);
      const counts = Array.from({ length: total / 5 }, (_, index) => ({
        topic: `umh/v1/${countPath}/_analytics/count`,
        body: { timestamp_ms: base + index + 1, count: (index % 5) + 1, scrap: index % 3 === 0 ? 1 : 0 },
      }));
      const sentParts = counts.reduce((sum, message) => sum + message.body.count, 0);
      const sentScrap = counts.reduce((sum, message) => sum + message.body.scrap, 0);
      const seq = sequence(path);
      const interleaved = seq.flatMap((message, index) => (index % 5 === 0 && counts[index / 5] ? [message, counts[index / 5]!] : [message]));
      const publishing = stream(publisher, interleaved, 1_200);

      await untilStored(path, 0.4);
      // Both took a share of the stream before one of them dies.
      expect(await received(workerA)).toBeGreaterThan(startA);
      expect(await received(workerB)).toBeGreaterThan(startB);
      await workerB.kill();
      workerB = await startWorker(idB, workerEnv(idB, { INGEST_SHARE_GROUP: group }));

      await publishing.acknowledged;
      await expectExactSequence(path);
      const production = await waitFor(
        async () => (await db.query<{ rows: number; parts: number; scrap: number; hour_parts: number; hour_scrap: number }>(
          `SELECT count(*)::int AS rows, coalesce(sum(c.count), 0)::int AS parts, coalesce(sum(c.scrap), 0)::int AS scrap,
                  (SELECT coalesce(sum(h.count), 0)::int FROM production_hours h WHERE h.asset_id = a.id) AS hour_parts,
                  (SELECT coalesce(sum(h.scrap), 0)::int FROM production_hours h WHERE h.asset_id = a.id) AS hour_scrap
           FROM assets a LEFT JOIN production_counts c ON c.asset_id = a.id WHERE a.path = $1 GROUP BY a.id`,
          [countPath],
        )).rows[0],
        (row) => (row?.rows ?? 0) >= counts.length,
      );
      expect(production).toEqual({ rows: counts.length, parts: sentParts, scrap: sentScrap, hour_parts: sentParts, hour_scrap: sentScrap });
    },
  );
});

