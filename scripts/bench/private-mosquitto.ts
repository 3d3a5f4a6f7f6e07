import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort } from "../../lib/runtime/free-port";

export type TPrivateBroker = { url: string; stop: () => Promise<void> };

/** The mosquitto binary, if this machine has one. */
export function findMosquitto(): string | null {
  for (const candidate of ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"]) {
    if (spawnSync(candidate, ["-h"]).error === undefined) return candidate;
  }
  return null;
}

/**
 * A Mosquitto of the benchmark's own, configured as the README's deployment section says
 * (no per-client queue cap), so a fast QoS 1 stream is measured rather than silently dropped.
 */
export async function startPrivateMosquitto(binary: string): Promise<TPrivateBroker> {
  const dir = mkdtempSync(path.join(tmpdir(), "shopfloor-bench-mosquitto-"));
  const port = await findFreePort();
  const config = path.join(dir, "mosquitto.conf");
  writeFileSync(config, [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous true",
    "persistence false",
    "max_queued_messages 0",
    "max_inflight_messages 0",
    "log_dest none",
    "",
  ].join("\n"));
  const child: ChildProcess = spawn(binary, ["-c", config], { stdio: "ignore" });
  await waitForPort(port, 5_000);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port}`);
}
