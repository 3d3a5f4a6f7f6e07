import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../../lib/runtime/free-port";
import { waitFor } from "./ingest-harness";

export type TPrivateMosquitto = {
  url: string;
  port: number;
  /** SIGTERM (Mosquitto saves its persistence file on a clean shutdown), then start it again. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
  output: () => string;
};

const searchDirs = ["/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin", "/usr/local/opt/mosquitto/sbin"];

/** The mosquitto binary on PATH or in the usual sbin folders, or null when it is not installed. */
export function findMosquitto(): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...searchDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, process.platform === "win32" ? "mosquitto.exe" : "mosquitto");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * A Mosquitto of the test's own on a free loopback port, with persistence in a temp folder and
 * no queue cap, so a test may restart the broker without touching the run's shared one.
 */
export async function startPrivateMosquitto(binary: string): Promise<TPrivateMosquitto> {
  const port = await findFreePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "shopfloor-mosquitto-"));
  const config = path.join(dir, "mosquitto.conf");
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence true",
      `persistence_location ${dir}${path.sep}`,
      "max_queued_messages 0",
      "log_dest stderr",
      // As root Mosquitto would switch to the "mosquitto" user, which cannot write the temp folder.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      "",
    ].join("\n"),
  );
  const lines: string[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  // A crashed test run must not leave a broker behind.
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  const start = async () => {
    const proc = spawn(binary, ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(line);
      lines.splice(0, Math.max(0, lines.length - 200));
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    await waitFor(() => accepts(port), (ok) => ok || proc.exitCode !== null, 10_000);
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}:\n${lines.join("\n")}`);
  };
  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      process.off("exit", killOnExit);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => lines.join("\n"),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
