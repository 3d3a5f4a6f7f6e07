import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import mqtt from "mqtt";
import { signInThroughForm } from "../support/sign-in-page";

// Figures are formatted in the reader's locale; pin it so the expected text is known.
// A 10-inch tablet in portrait, touch input: where supervisors classify stops on the floor.
test.use({ locale: "en-US", timezoneId: "UTC", viewport: { width: 800, height: 1280 }, hasTouch: true });

const minute = 60_000;

/**
 * A machine's last two hours through MQTT: a shift, a product at 1 s per part, a work order,
 * 60 min running, 30 min unspecified stop (40000), 30 min running, and the parts made.
 */
async function publishShift(line: string, now: number) {
  const machine = `${line}/press`;
  const client = await mqtt.connectAsync(process.env.MQTT_URL!, {
    protocolVersion: process.env.MQTT_PROTOCOL_VERSION === "5" ? 5 : 4,
    clientId: `e2e-oee-${randomUUID().slice(0, 8)}`,
  });
  const publish = (topic: string, body: unknown) => client.publishAsync(`umh/v1/${machine}/_analytics/${topic}`, JSON.stringify(body), { qos: 1 });
  try {
    const start = now - 120 * minute;
    await publish("shift/add", { startTime: start, endTime: now + 360 * minute });
    await publish("product-type/create", { externalProductTypeId: "W-1", cycleTimeMs: 1000 });
    await publish("work-order/create", { externalWorkOrderId: "WO-1", externalProductTypeId: "W-1", quantity: 10_000 });
    await publish("work-order/start", { externalWorkOrderId: "WO-1", startTime: start });
    await publish("state", { timestamp_ms: start, state: 10000 });
    await publish("state", { timestamp_ms: now - 60 * minute, state: 40000 });
    await publish("state", { timestamp_ms: now - 30 * minute, state: 10000 });
    await publish("count", { timestamp_ms: now - 61 * minute, count: 3000, scrap: 30 });
    await publish("count", { timestamp_ms: now - 1 * minute, count: 1500, scrap: 15 });
    for (const minutesAgo of [20, 10, 2]) {
      await client.publishAsync(`umh/v1/${machine}/_historian`, JSON.stringify({ timestamp_ms: now - minutesAgo * minute, temperature: 60 + minutesAgo }), { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }
  return machine;
}

test.describe("OEE and downtime", () => {
  test("a supervisor classifies an unspecified stop on a tablet and sees availability change", async ({ page, request }) => {
    await expect.poll(async () => (await (await request.get("/api/v1/health")).json()).status, { timeout: 20_000 }).toBe("ok");
    const line = `acme/oee-${randomUUID().slice(0, 6)}/area/line-1`;
    const machine = await publishShift(line, Date.now());
    await signInThroughForm(page);

    // 120 min planned, 30 min unplanned stop: availability 90/120 = 75 %.
    await page.goto(`/oee?${new URLSearchParams({ asset: machine, range: "8h" })}`);
    const availability = page.getByTestId("oee-kpis").locator('[data-kpi="Availability"]');
    await expect(availability).toContainText(/7[45]\.\d%/, { timeout: 15_000 });
    // Inputs are shown beside the figure.
    await expect(availability).toContainText("unplanned stops 30 min");
    await expect(page.getByTestId("oee-kpis").locator('[data-kpi="Quality"]')).toContainText("99.0%");
    // The machine's latest process value, with its sparkline.
    const values = page.getByRole("region", { name: /Process values/ });
    await expect(values).toContainText("62");
    await expect(values.getByRole("img", { name: /temperature over the last two hours/ })).toBeVisible();

    await page.goto(`/downtime?${new URLSearchParams({ asset: machine, range: "8h" })}`);
    const stop = page.getByTestId("stops-table").locator('tr[data-reason="40000"]');
    await expect(stop).toHaveCount(1);
    await stop.getByRole("button", { name: /Classify/ }).tap();
    const dialog = page.getByRole("dialog", { name: /Why did press stop/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("radio", { name: /150000/ }).tap();
    await dialog.getByLabel("Comment (optional)").fill("Team meeting");
    await dialog.getByRole("button", { name: "Save reason" }).tap();
    await expect(dialog).toBeHidden();
    const classified = page.getByTestId("stops-table").locator('tr[data-reason="150000"]');
    await expect(classified).toContainText("Team meeting");

    // A break is a planned stop: planned time 90 min, all of it run time.
    await page.goto(`/oee?${new URLSearchParams({ asset: machine, range: "8h" })}`);
    await expect(availability).toContainText("100.0%", { timeout: 15_000 });
    await expect(page.getByTestId("oee-kpis").locator('[data-kpi="TEEP"]')).toContainText("planned stops 30 min");

    // The line's tile on the overview shows the current shift's OEE.
    await page.goto("/");
    const tile = page.locator(`[data-testid="line-tile"][data-line="${line}"]`);
    await expect(tile.getByTestId("line-oee")).toHaveText(/\d+\.\d%/, { timeout: 15_000 });
  });
});
