import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { findFreePort } from "../../lib/runtime/free-port";

export type TWorkerProcess = {
  workerId: string;
  process: ChildProcess;
  exited: Promise<void>;
  /** SIGKILL: no shutdown code runs, nothing in flight is acknowledged. */
  kill: () => Promise<void>;
  /** SIGTERM (the worker's clean shutdown), SIGKILL after the grace period. */
  stop: (graceMs?: number) => Promise<void>;
  /** The worker's Prometheus metrics, "name{labels}" → value. */
  metrics: () => Promise<Map<string, number>>;
  /** The last lines the worker wrote, for a failing test's message. */
  output: () => string;
};

/**
 * `npm run worker` as a real child process, so a test can kill -9 it. Only the variables given
 * here differ from the test run's own environment (DATABASE_URL, MQTT_URL, protocol version).
 */
export async function spawnWorkerProcess(workerId: string, env: Record<string, string>): Promise<TWorkerProcess> {
  const metricsPort = await findFreePort();
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", "ingest-worker/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      WORKER_ID: workerId,
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: "127.0.0.1",
      SPARKPLUG_ENABLED: "false",
      LOG_LEVEL: "warn",
      // Retention on the shared test database would delete other test files' old rows mid-test;
      // tests/integration/retention.test.ts runs it on a database of its own.
      MAINTENANCE_INTERVAL_MINUTES: "0",
      MQTT_SESSION_EXPIRY_SECONDS: "120",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(line);
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  // A crashed test run must not leave a worker behind, reconnecting forever.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  return {
    workerId,
    process: child,
    exited,
    async kill() {
      if (running()) child.kill("SIGKILL");
      await exited;
    },
    async stop(graceMs = 8_000) {
      if (!running()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async metrics() {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      if (!response.ok) throw new Error(`worker ${workerId} metrics: HTTP ${response.status}`);
      return parsePrometheus(await response.text());
    },
    output: () => lines.join("\n"),
  };
}

function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const split = line.lastIndexOf(" ");
    values.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return values;
}
