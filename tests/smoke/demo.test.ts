import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../lib/runtime/free-port";

// `npm run demo` on embedded defaults: no DATABASE_URL, no MQTT_URL, a free web and MQTT
// port, a throwaway data directory. It must come up healthy and stop cleanly on SIGINT.
describe("npm run demo (embedded defaults)", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "shopfloor-demo-"));
  let demo: ChildProcess | undefined;
  let output = "";

  afterAll(() => {
    if (demo && demo.exitCode === null) demo.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts, reports health ok, prints the console URL and login, and stops on Ctrl-C", async () => {
    const port = await findFreePort();
    const mqttPort = await findFreePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SHOPFLOOR_MQTT_PORT: String(mqttPort), SHOPFLOOR_DATA_DIR: dataDir, SHOPFLOOR_SKIP_BUILD: "1" };
    for (const name of ["DATABASE_URL", "MQTT_URL", "MQTT_PROTOCOL_VERSION", "SHOPFLOOR_ADMIN_EMAIL", "SHOPFLOOR_ADMIN_PASSWORD", "NODE_ENV"]) delete env[name];

    demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    demo.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => demo?.once("exit", (code) => resolve(code)));

    await expect.poll(() => output, { timeout: 180_000, interval: 500 }).toContain("Shopfloor is running");
    expect(output).toContain(`http://localhost:${port}`);
    expect(output).toMatch(/sign in as admin@shopfloor\.local \/ demo-\S+/);
    expect(output).toContain("embedded MQTT broker listening");
    expect(output).toContain("starting embedded PostgreSQL");

    await expect
      .poll(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null);
        return response ? ((await response.json()) as { status: string }).status : "down";
      }, { timeout: 30_000, interval: 500 })
      .toBe("ok");

    // The simulator's data flows through the broker and the worker into the database.
    expect(output).toContain("the plant simulator is publishing");
    await expect
      .poll(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null);
        return response ? ((await response.json()) as { worker: { lastMessageAt: string | null } }).worker.lastMessageAt : null;
      }, { timeout: 30_000, interval: 500 })
      .not.toBeNull();

    demo.kill("SIGINT");
    await exited;
    expect(output).toContain("[demo] stopped");
    // Everything it started is gone: the web port and the MQTT port are free again.
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();

    // A second run reuses the data: nothing to migrate, the same admin password.
    const password = output.match(/sign in as admin@shopfloor\.local \/ (\S+)/)?.[1];
    const again = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let second = "";
    again.stdout?.on("data", (chunk: Buffer) => (second += chunk.toString()));
    again.stderr?.on("data", (chunk: Buffer) => (second += chunk.toString()));
    const secondExit = new Promise<number | null>((resolve) => again.once("exit", (code) => resolve(code)));
    await expect.poll(() => second, { timeout: 120_000, interval: 500 }).toContain("Shopfloor is running");
    expect(second).toContain("0 migration(s) applied now");
    expect(second).toContain(`sign in as admin@shopfloor.local / ${password}`);
    again.kill("SIGINT");
    await secondExit;
    expect(second).toContain("[demo] stopped");
  });

  it("refuses a taken MQTT port with a clear message instead of a stack trace", async () => {
    const { startEmbeddedBroker } = await import("../../lib/runtime/embedded-broker");
    const blocker = await startEmbeddedBroker(0);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(await findFreePort()), SHOPFLOOR_MQTT_PORT: String(blocker.port), SHOPFLOOR_DATA_DIR: dataDir, SHOPFLOOR_SKIP_BUILD: "1" };
    for (const name of ["DATABASE_URL", "MQTT_URL"]) delete env[name];
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
    await blocker.close();
    expect(code).not.toBe(0);
    expect(text).toContain(`Port ${blocker.port} is already in use`);
    expect(text).toContain("SHOPFLOOR_MQTT_PORT");
    expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  });
});
