import http from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The worker's Prometheus metrics (served on METRICS_PORT at /metrics). */
export function createIngestMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "shopfloor_worker_" });
  const metrics = {
    registry,
    messagesReceived: new Counter({ name: "shopfloor_ingest_messages_received_total", help: "MQTT messages received", labelNames: ["source"] as const, registers: [registry] }),
    messagesAccepted: new Counter({ name: "shopfloor_ingest_messages_accepted_total", help: "Messages committed to the database", registers: [registry] }),
    messagesQuarantined: new Counter({ name: "shopfloor_ingest_messages_quarantined_total", help: "Messages put in quarantine (invalid, unmapped or refused by the database)", registers: [registry] }),
    messagesIgnored: new Counter({ name: "shopfloor_ingest_messages_ignored_total", help: "Messages dropped because an admin chose to ignore their asset path (counted in unmapped_topics)", registers: [registry] }),
    rowsInserted: new Counter({ name: "shopfloor_ingest_rows_inserted_total", help: "Rows inserted (duplicates excluded)", labelNames: ["table"] as const, registers: [registry] }),
    batchSeconds: new Histogram({ name: "shopfloor_ingest_batch_seconds", help: "Time to write and commit one batch", buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    batchMessages: new Histogram({ name: "shopfloor_ingest_batch_messages", help: "Messages per committed batch", buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], registers: [registry] }),
    pending: new Gauge({ name: "shopfloor_ingest_pending_messages", help: "Messages received but not yet committed (bounded by connections × INGEST_ACK_WINDOW)", registers: [registry] }),
    lagSeconds: new Gauge({ name: "shopfloor_ingest_lag_seconds", help: "Age of the oldest message not yet committed", registers: [registry] }),
    databaseRetries: new Counter({ name: "shopfloor_ingest_database_retries_total", help: "Batches retried because the database failed", registers: [registry] }),
    maintenanceRowsDeleted: new Counter({ name: "shopfloor_maintenance_rows_deleted_total", help: "Rows removed by retention", labelNames: ["table"] as const, registers: [registry] }),
    maintenanceLastRun: new Gauge({ name: "shopfloor_maintenance_last_run_timestamp_seconds", help: "When this worker last completed a retention pass", registers: [registry] }),
    brokerConnections: new Gauge({ name: "shopfloor_ingest_broker_connections", help: "Connected MQTT connections", registers: [registry] }),
  };
  return metrics;
}

export type TIngestMetrics = ReturnType<typeof createIngestMetrics>;

export function serveMetrics(registry: Registry, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { "content-type": registry.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
