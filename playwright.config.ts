import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// scripts/test.ts provides DATABASE_URL / MQTT_URL (a fresh database per run); Playwright
// starts the product the way users do (scripts/demo.ts with those services) on its own port.
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const systemChromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium when present (CI and offline machines); otherwise Playwright's own.
      executablePath: existsSync(systemChromium) ? systemChromium : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } },
  ],
  webServer: {
    command: "node --import tsx scripts/demo.ts",
    url: `${baseURL}/api/v1/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      SHOPFLOOR_SKIP_BUILD: "1",
      SHOPFLOOR_DATA_DIR: ".test-data/e2e",
      // Tests publish their own messages and expect to see exactly those.
      SHOPFLOOR_SIMULATE: "0",
    },
  },
});
