import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { findFreePort } from "@/lib/runtime/free-port";
import { connectPublisher, publishJson, startTestWorker, uniqueEnterprise, uniquePath, waitFor } from "../support/ingest-harness";

let worker: TWorker;
let publisher: MqttClient;
let metricsUrl: string;
const enterprise = uniqueEnterprise("metrics");

async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = line.match(/^([a-z_]+(?:\{[^}]*\})?) ([0-9.eE+-]+)$/);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

beforeAll(async () => {
  const port = await findFreePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  ({ worker } = await startTestWorker(enterprise, { METRICS_PORT: String(port), METRICS_HOST: "127.0.0.1" }));
  publisher = await connectPublisher();
});

afterAll(async () => {
  await publisher?.endAsync();
  await worker?.close();
});

describe("the worker's Prometheus metrics", () => {
  it("count messages received, accepted and quarantined, and rows inserted", async () => {
    const path = uniquePath(enterprise);
    // Publish until the subscription is live and the first message is counted.
    await waitFor(async () => {
      await publishJson(publisher, `umh/v1/${path}/_historian`, { timestamp_ms: Date.now(), a: 1, b: 2 });
      return (await scrape()).get("shopfloor_ingest_messages_accepted_total") ?? 0;
    }, (n) => n > 0);
    // Let the probe messages still in flight settle before taking the baseline.
    let previous = "";
    const before = await waitFor(scrape, (values) => {
      const current = JSON.stringify([...values].filter(([name]) => name.startsWith("shopfloor_ingest_messages") || name.startsWith("shopfloor_ingest_rows")));
      const settled = current === previous;
      previous = current;
      return settled;
    });
    await publishJson(publisher, `umh/v1/${path}/_historian`, { timestamp_ms: Date.now() + 1, a: 1, b: 2 });
    await publisher.publishAsync(`umh/v1/${path}/_historian`, "{not json", { qos: 1 });
    const after = await waitFor(scrape, (values) => (values.get("shopfloor_ingest_messages_quarantined_total") ?? 0) > (before.get("shopfloor_ingest_messages_quarantined_total") ?? 0));
    expect(after.get('shopfloor_ingest_messages_received_total{source="uns"}')).toBeGreaterThanOrEqual((before.get('shopfloor_ingest_messages_received_total{source="uns"}') ?? 0) + 2);
    expect(after.get("shopfloor_ingest_messages_quarantined_total")).toBe((before.get("shopfloor_ingest_messages_quarantined_total") ?? 0) + 1);
    expect(after.get('shopfloor_ingest_rows_inserted_total{table="samples"}')).toBe((before.get('shopfloor_ingest_rows_inserted_total{table="samples"}') ?? 0) + 2);
    expect(after.has("shopfloor_ingest_batch_seconds_count")).toBe(true);
    expect(after.has("shopfloor_ingest_lag_seconds")).toBe(true);
    expect(after.get("shopfloor_ingest_broker_connections")).toBeGreaterThan(0);
  });
});
