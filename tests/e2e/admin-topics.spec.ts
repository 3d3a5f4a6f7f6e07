import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, test } from "@playwright/test";
import mqtt, { type MqttClient } from "mqtt";
import { signInThroughForm } from "../support/sign-in-page";

test.use({ locale: "en-US" });

const enterprise = `e2e-topics-${randomUUID().slice(0, 8)}`;
const targetPath = `${enterprise}/site-1/area-1/line-1/press-target`;
const newPath = `${enterprise}/site-1/area-1/line-1/press-new`;
const hostile = "<img src=x onerror=alert(1)>";

type TLatest = { path: string; values: { metric: string; value: unknown }[] }[];

async function latestValues(request: APIRequestContext, path: string): Promise<TLatest> {
  const response = await request.get(`/api/v1/assets/latest?path=${encodeURIComponent(path)}`);
  return response.ok() ? ((await response.json()) as { data: TLatest }).data : [];
}

test.describe("topic mapping admin", () => {
  let client: MqttClient;
  const publish = (path: string, body: string) => client.publishAsync(`umh/v1/${path}/_historian`, body, { qos: 1 });

  test.beforeAll(async () => {
    expect(process.env.MQTT_URL, "MQTT_URL must name the broker the e2e server's ingest worker listens to").toBeTruthy();
    client = await mqtt.connectAsync(process.env.MQTT_URL!, {
      protocolVersion: process.env.MQTT_PROTOCOL_VERSION === "5" ? 5 : 4,
      clientId: `e2e-topics-${Date.now().toString(36)}`,
    });
  });

  test.afterAll(async () => {
    await client?.endAsync();
  });

  test("an admin turns auto-registration off, maps a new topic from the unmapped list and sees its data arrive", async ({ page }) => {
    page.on("dialog", (dialog) => {
      // Only our own confirmations may appear; an alert would mean a payload ran as script.
      expect(dialog.type()).toBe("confirm");
      void dialog.accept();
    });
    await signInThroughForm(page);
    const request = page.request;
    // The target asset registers itself while auto-registration is still on (the default).
    await expect.poll(async () => {
      await publish(targetPath, JSON.stringify({ timestamp_ms: Date.now(), warmup: 1 }));
      return (await latestValues(request, targetPath)).length;
    }, { timeout: 20_000 }).toBe(1);

    await page.goto("/admin/topics");
    await expect(page.getByRole("heading", { name: "Topics", level: 1 })).toBeVisible();
    await page.getByRole("tab", { name: "Settings" }).click();
    const autoRegister = page.getByRole("switch", { name: "Register new asset paths automatically" });
    await expect(autoRegister).toBeChecked();
    try {
      // The Sparkplug rule previews as it is typed and refuses a rule that would merge devices.
      const rule = page.getByLabel("Sparkplug mapping rule");
      await rule.fill("acme/{group}/{edge_node}/{device}");
      await expect(page.getByTestId("preview-device")).toHaveText("acme/plant-1/line-a/press-3");
      await expect(page.getByTestId("preview-node")).toHaveText("acme/plant-1/line-a");
      await rule.fill("acme/{group}/{edge_node}");
      await expect(page.getByText("Fix the rule: end with /{device}, so that every device gets an asset of its own.")).toBeVisible();
      await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
      await rule.fill("{group}/{edge_node}/{device}");

      await autoRegister.uncheck();
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect(page.getByRole("tabpanel").getByRole("status")).toHaveText("Saved. Workers apply it within 5 seconds.");

      // Workers read the switch every 5 s: until then a new path would still become an asset, so
      // each attempt uses a throw-away path; once one waits in the unmapped list, the worker follows.
      const unmappedPaths = async () => ((await (await request.get("/api/v1/topics/unmapped")).json()) as { data: { path: string }[] }).data.map((topic) => topic.path);
      await expect.poll(async () => {
        const probePath = `${enterprise}/probe-${randomUUID().slice(0, 8)}`;
        await publish(probePath, JSON.stringify({ timestamp_ms: Date.now(), probe: 1 }));
        await expect.poll(async () => (await latestValues(request, probePath)).length + (await unmappedPaths()).filter((path) => path === probePath).length, { timeout: 5_000 }).toBe(1);
        return (await unmappedPaths()).includes(probePath);
      }, { timeout: 20_000 }).toBe(true);
      await publish(newPath, JSON.stringify({ timestamp_ms: Date.now(), probe: 1 }));
      await expect.poll(async () => (await unmappedPaths()).includes(newPath), { timeout: 10_000 }).toBe(true);

      await page.reload();
      await page.getByRole("tab", { name: "Unmapped topics" }).click();
      const row = page.getByTestId("unmapped-table").locator(`tr[data-path="${newPath}"]`);
      await expect(row).toContainText(`umh/v1/${newPath}/_historian`);
      await expect(row.getByRole("button", { name: "Map" })).toBeDisabled();
      await row.getByLabel(`Asset for ${newPath}`).selectOption({ label: `${targetPath} (press-target)` });
      await row.getByRole("button", { name: "Map" }).click();
      await expect(page.getByRole("tabpanel").getByRole("status")).toContainText(`Mapped ${newPath} to ${targetPath}.`);
      await expect(row).toHaveCount(0);

      // No restart: the next message on the new path is stored for the chosen asset.
      await publish(newPath, JSON.stringify({ timestamp_ms: Date.now(), mapped_value: 77.5 }));
      await expect.poll(async () => (await latestValues(request, targetPath))[0]?.values.find((value) => value.metric === "mapped_value")?.value, { timeout: 10_000 }).toBe(77.5);

      // The messages that waited meanwhile are one click away, in the quarantine.
      await page.getByRole("button", { name: "Show waiting messages" }).click();
      await expect(page.getByLabel("Topic contains")).toHaveValue(newPath);
      await expect(page.getByTestId("quarantine-list").getByTestId("quarantine-reason").first()).toHaveText(`unmapped asset path "${newPath}"`);
    } finally {
      // Other specs rely on auto-registration: put it back whatever happened above.
      const origin = new URL(page.url()).origin;
      await request.put("/api/v1/settings/ingest", { headers: { origin }, data: { autoRegister: true } });
    }
  });

  test("a hostile payload in quarantine is shown as text, never run, and can be deleted after confirming", async ({ page }) => {
    let alerted = false;
    page.on("dialog", (dialog) => {
      if (dialog.type() === "alert") alerted = true;
      void dialog.accept();
    });
    const topicPath = `${enterprise}/hostile-${randomUUID().slice(0, 6)}`;
    await publish(topicPath, hostile);
    await signInThroughForm(page);
    await expect.poll(async () => {
      const response = await page.request.get(`/api/v1/quarantine?topic=${encodeURIComponent(topicPath)}`);
      return ((await response.json()) as { meta: { total: number } }).meta.total;
    }, { timeout: 15_000 }).toBe(1);

    await page.goto("/admin/topics");
    await page.getByRole("tab", { name: "Quarantine" }).click();
    await page.getByLabel("Topic contains").fill(topicPath);
    await page.getByRole("button", { name: "Filter" }).click();
    const list = page.getByTestId("quarantine-list");
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list.getByTestId("quarantine-payload")).toHaveText(hostile);
    await expect(list.getByText("Payload (text)")).toBeVisible();
    await expect(list.getByTestId("quarantine-reason")).toContainText("not valid JSON");
    await expect(list.locator("img")).toHaveCount(0);

    // Retrying the same bytes fails again, and says why.
    await list.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByRole("tabpanel").getByRole("status")).toContainText("Retried, but it was refused again: payload is not valid JSON");

    await list.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("tabpanel").getByRole("status")).toHaveText("Deleted the message.");
    await expect(page.getByText("No quarantined message matches this filter.")).toBeVisible();
    expect(alerted).toBe(false);
  });
});
