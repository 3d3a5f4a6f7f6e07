import { expect, test } from "@playwright/test";
import mqtt from "mqtt";
import { signInThroughForm } from "../support/sign-in-page";

const machineTopic = "umh/v1/acme/detroit/press-shop/line-1/press-1";

// Numbers are formatted in the reader's locale; pin it so the expected text is known.
test.use({ locale: "en-US" });

test.describe("live values", () => {
  test("the event stream needs a session", async ({ request }) => {
    const response = await request.get("/api/v1/events");
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  });

  test("a machine's new value and state appear on the open overview without a reload", async ({ page, request }) => {
    const brokerUrl = process.env.MQTT_URL;
    expect(brokerUrl, "MQTT_URL must name the broker the e2e server's ingest worker listens to").toBeTruthy();
    // Database, broker and ingest worker up: a message published now is stored and announced.
    await expect.poll(async () => (await (await request.get("/api/v1/health")).json()).status, { timeout: 20_000 }).toBe("ok");

    await signInThroughForm(page);
    await expect(page.getByText("Live", { exact: true })).toBeVisible();

    // By its path: the suite's database also holds the integration tests' plants, some with a "Press 1" too.
    const press = page.getByRole("tree", { name: "Asset hierarchy" }).getByRole("treeitem", { name: /^Press 1,/ }).and(page.locator('[title="acme/detroit/press-shop/line-1/press-1"]'));
    await expect(press).toBeVisible();
    // 10.0–99.9, shown with the stamping press's declared precision (1) and unit.
    const temperature = Math.round(100 + Math.random() * 899) / 10;
    const shown = `${new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(temperature)} °C`;
    await expect(press).not.toContainText(shown);
    // Survives only if the page is not reloaded.
    await page.evaluate(() => Object.assign(window, { liveSpecMarker: true }));

    const client = await mqtt.connectAsync(brokerUrl!, {
      protocolVersion: process.env.MQTT_PROTOCOL_VERSION === "5" ? 5 : 4,
      clientId: `e2e-live-${Date.now().toString(36)}`,
    });
    try {
      await client.publishAsync(`${machineTopic}/_historian`, JSON.stringify({ timestamp_ms: Date.now(), temperature }), { qos: 1 });
      await client.publishAsync(`${machineTopic}/_analytics/state`, JSON.stringify({ timestamp_ms: Date.now(), state: 180001 }), { qos: 1 });
    } finally {
      await client.endAsync();
    }

    await expect(press).toContainText(shown, { timeout: 5_000 });
    await expect(press).toContainText(/Equipment failure/i, { timeout: 5_000 });
    expect(await page.evaluate(() => (window as { liveSpecMarker?: boolean }).liveSpecMarker)).toBe(true);
  });
});
