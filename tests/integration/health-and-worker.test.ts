import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { startTestWorker, uniqueEnterprise } from "../support/ingest-harness";
import { getDb } from "@/lib/db";
import { getHealth } from "@/lib/health/get-health";

const db = getDb();
afterAll(async () => {
  await db.$disconnect();
});

describe("health", () => {
  it("reports TimescaleDB exactly as the database has it", async () => {
    const health = await getHealth();
    expect(health.database.ok).toBe(true);
    const rows = await db.$queryRaw<{ extversion: string }[]>`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`;
    if (rows[0]) expect(health.database.timescaledb?.version).toBe(rows[0].extversion);
    else expect(health.database.timescaledb).toBeNull();
  });

  it("counts quarantined messages and unmapped paths", async () => {
    const before = (await getHealth()).ingest;
    await db.quarantinedMessage.create({ data: { topic: "umh/v1/x/_historian", reason: "test", payload: Buffer.from("{"), payloadBytes: 1 } });
    await db.unmappedTopic.create({ data: { path: `health-${randomUUID()}`, exampleTopic: "umh/v1/x/_historian", firstSeenAt: new Date(), lastSeenAt: new Date(), messageCount: 1 } });
    const after = (await getHealth()).ingest;
    // Other test files quarantine messages in parallel, so at least one more.
    expect(after?.quarantined24h).toBeGreaterThanOrEqual((before?.quarantined24h ?? 0) + 1);
    expect(after?.unmappedTopics).toBeGreaterThanOrEqual((before?.unmappedTopics ?? 0) + 1);
  });

  it("sees the real broker", async () => {
    expect((await getHealth()).broker.ok).toBe(true);
  });

  it("follows the worker: ok while it heartbeats, not ok once it has stopped", async () => {
    // Its own share group and topics: a stopped worker's persistent sessions stay in their group
    // (and take their share of its messages) until they expire.
    const { worker, env } = await startTestWorker(uniqueEnterprise("health"), { WORKER_HEARTBEAT_MS: "250" });
    const workerId = env.WORKER_ID;
    try {
      await expect.poll(async () => (await db.workerHeartbeat.findUnique({ where: { workerId } }))?.brokerConnected, { timeout: 10_000 }).toBe(true);
      const health = await getHealth();
      expect(health.worker.ok).toBe(true);
      expect(health.status).toBe("ok");
    } finally {
      await worker.close();
    }
    const row = await db.workerHeartbeat.findUnique({ where: { workerId } });
    expect(row?.stoppedAt).not.toBeNull();
    expect(row?.brokerConnected).toBe(false);
    const after = await getHealth();
    expect(after.worker.ok).toBe(false);
    expect(after.status).toBe("degraded");
  });
});

describe("npm run worker", () => {
  it("stops at start with a message naming a bad variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "ingest-worker/index.ts"], {
      env: { ...process.env, WORKER_HEARTBEAT_MS: "often" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("WORKER_HEARTBEAT_MS");
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
