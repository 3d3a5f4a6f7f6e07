import { randomInt, randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Browser, type Page, test } from "@playwright/test";
import mqtt, { type MqttClient } from "mqtt";
import { signInThroughForm } from "../support/sign-in-page";
import { testAdmin } from "../support/test-admin";

// Issue 5's "done when": an admin builds a new line from nothing in the UI (area, line, three machines of a
// new type, its product, a shift calendar entry, a reason code), maps a new topic from the unmapped list and sees its data
// arrive; a viewer and a supervisor get only what their roles allow; the audit log shows every step.
test.use({ locale: "en-US" });

const tag = randomUUID().slice(0, 6);
const typeName = `Filler ${tag}`;
const areaName = `Bottling ${tag}`;
const areaPath = `acme/detroit/bottling-${tag}`;
const linePath = `${areaPath}/filler-line`;
const machinePath = `${linePath}/filler-1`;
// The PLC publishes under its own name: a path no asset has, to be mapped to Filler 1.
const plcPath = `${areaPath}/plc-${tag}`;
const reasonCode = 181_000 + randomInt(0, 8_999);

type TLatest = { path: string; state: number | null; values: { metric: string; value: unknown }[] }[];

async function latest(request: APIRequestContext, path: string): Promise<TLatest> {
  const response = await request.get(`/api/v1/assets/latest?path=${encodeURIComponent(path)}`);
  return response.ok() ? ((await response.json()) as { data: TLatest }).data : [];
}

async function signedInAs(browser: Browser, page: Page, role: "viewer" | "supervisor") {
  const email = `${role}-${tag}@shopfloor.test`;
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/v1/users", { headers: { origin }, data: { email, password: "walk-the-line-password", role } });
  expect(created.status()).toBe(201);
  const context = await browser.newContext({ locale: "en-US" });
  const other = await context.newPage();
  await signInThroughForm(other, email, "walk-the-line-password");
  return { page: other, close: () => context.close() };
}

test.describe("build a line from nothing", () => {
  let client: MqttClient;
  const publish = (path: string, schema: string, body: object) => client.publishAsync(`umh/v1/${path}/${schema}`, JSON.stringify(body), { qos: 1 });

  test.beforeAll(async () => {
    client = await mqtt.connectAsync(process.env.MQTT_URL!, { protocolVersion: process.env.MQTT_PROTOCOL_VERSION === "5" ? 5 : 4, clientId: `e2e-walk-${tag}` });
  });
  test.afterAll(async () => {
    await client?.endAsync();
  });

  test("an admin builds and connects a line; roles and the audit log hold", async ({ page, browser }) => {
    test.setTimeout(120_000);
    page.on("dialog", (dialog) => void dialog.accept());
    const sections = page.getByRole("navigation", { name: "Admin sections" });
    await signInThroughForm(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();

    // 1. A new machine type.
    await sections.getByRole("link", { name: "Asset types" }).click();
    await page.getByRole("button", { name: "New type" }).click();
    const typeForm = page.getByRole("form", { name: "New asset type" });
    await typeForm.getByLabel("Key").fill(`filler-${tag}`);
    await typeForm.getByLabel("Name", { exact: true }).fill(typeName);
    await typeForm.getByRole("button", { name: "Add metric" }).click();
    await typeForm.getByLabel("Name of metric 1", { exact: true }).fill("fill_level");
    await typeForm.getByLabel("Unit of metric 1", { exact: true }).fill("%");
    await typeForm.getByRole("button", { name: "Add the standard states" }).click();
    await typeForm.getByRole("button", { name: "Create type (version 1)" }).click();
    await expect(page.getByRole("region", { name: typeName }).getByRole("heading", { name: typeName, level: 2 })).toBeVisible();

    // 2. Area, line and three machines of that type.
    await sections.getByRole("link", { name: "Assets" }).click();
    const tree = page.getByRole("tree", { name: "Hierarchy" });
    await tree.getByRole("treeitem", { name: "Detroit Plant, Site", exact: true }).click();
    const addArea = page.getByRole("form", { name: "Add an area under Detroit Plant" });
    await addArea.getByLabel("Name", { exact: true }).fill(areaName);
    await addArea.getByRole("button", { name: "Add area" }).click();
    await tree.locator(`[data-path="${areaPath}"]`).click();
    const addLine = page.getByRole("form", { name: `Add a line under ${areaName}` });
    await addLine.getByLabel("Name", { exact: true }).fill("Filler Line");
    await addLine.getByRole("button", { name: "Add line" }).click();
    await tree.locator(`[data-path="${linePath}"]`).click();
    const addMachine = page.getByRole("form", { name: "Add a machine under Filler Line" });
    for (const machine of ["Filler 1", "Filler 2", "Filler 3"]) {
      await addMachine.getByLabel("Name", { exact: true }).fill(machine);
      await addMachine.getByLabel("Type").selectOption({ label: `${typeName} v1` });
      await addMachine.getByRole("button", { name: "Add machine" }).click();
      await expect(page.getByRole("status")).toContainText(`Added ${machine}`);
    }
    await expect(tree.locator(`[data-path^="${linePath}/"]`)).toHaveCount(3);

    // 3. The product the line makes, with its ideal cycle time.
    await sections.getByRole("link", { name: "Product types" }).click();
    const productForm = page.getByRole("form", { name: "Add a product type" });
    await productForm.getByLabel("Made on").selectOption({ label: `Filler Line (${linePath})` });
    await productForm.getByLabel("Product id").fill(`BTL-${tag}`);
    await productForm.getByLabel("Ideal cycle time (ms)").fill("0");
    await expect(productForm.getByText("a number of milliseconds greater than 0")).toBeVisible();
    await productForm.getByLabel("Ideal cycle time (ms)").fill("1200");
    await productForm.getByRole("button", { name: "Add product type" }).click();
    await expect(productForm.getByRole("status")).toHaveText(`Saved BTL-${tag} on ${linePath}: 1200 ms per part.`);
    await expect(page.getByTestId("product-types-table").locator(`tr[data-product="BTL-${tag}"]`)).toContainText(linePath);

    // 4. The site's calendar: overtime on a Saturday to commission the line.
    await sections.getByRole("link", { name: "Shift calendars" }).click();
    const exceptionForm = page.getByRole("form", { name: "Add an exception" });
    await exceptionForm.getByLabel("Date").fill("2031-01-04");
    await exceptionForm.getByLabel("What happens").selectOption("add");
    await exceptionForm.getByLabel("Note (optional)").fill(`Commissioning ${areaName}`);
    await exceptionForm.getByLabel("Shift name").fill("Commissioning");
    await exceptionForm.getByRole("button", { name: "Save exception" }).click();
    await expect(exceptionForm.getByRole("status")).toHaveText("Saved the exception on 2031-01-04.");

    // 5. A reason code of the new line's own.
    await sections.getByRole("link", { name: "Reason codes" }).click();
    await page.getByLabel("Scope").selectOption("");
    const reasonForm = page.getByRole("form", { name: "Add a reason for the whole plant" });
    await reasonForm.getByLabel("Code").fill(String(reasonCode));
    await reasonForm.getByLabel("Name").fill(`Capper jam ${tag}`);
    await reasonForm.getByRole("button", { name: "Add reason" }).click();
    await expect(page.getByTestId("reason-codes-table").locator(`tr[data-code="${reasonCode}"]`)).toContainText(`Capper jam ${tag}`);

    // 6. The PLC's topic: with auto-registration off it waits in the unmapped list; mapped, its data arrives.
    await sections.getByRole("link", { name: "Topics" }).click();
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("switch", { name: "Register new asset paths automatically" }).uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("tabpanel").getByRole("status")).toHaveText("Saved. Workers apply it within 5 seconds.");
    try {
      const unmapped = async () => ((await (await page.request.get("/api/v1/topics/unmapped")).json()) as { data: { path: string }[] }).data.map((topic) => topic.path);
      // The worker follows the switch within 5 s; until then a probe path would become an asset, so each try uses a new one.
      await expect.poll(async () => {
        const probe = `${areaPath}-probe-${randomUUID().slice(0, 6)}`;
        await publish(probe, "_historian", { timestamp_ms: Date.now(), probe: 1 });
        await expect.poll(async () => (await latest(page.request, probe)).length + (await unmapped()).filter((path) => path === probe).length, { timeout: 5_000 }).toBe(1);
        return (await unmapped()).includes(probe);
      }, { timeout: 30_000 }).toBe(true);
      await publish(plcPath, "_historian", { timestamp_ms: Date.now(), fill_level: 1 });
      await expect.poll(async () => (await unmapped()).includes(plcPath), { timeout: 10_000 }).toBe(true);

      await page.reload();
      await page.getByRole("tab", { name: "Unmapped topics" }).click();
      const row = page.getByTestId("unmapped-table").locator(`tr[data-path="${plcPath}"]`);
      await row.getByLabel(`Asset for ${plcPath}`).selectOption({ label: `${machinePath} (Filler 1)` });
      await row.getByRole("button", { name: "Map" }).click();
      await expect(page.getByRole("tabpanel").getByRole("status")).toContainText(`Mapped ${plcPath} to ${machinePath}.`);

      const stopAt = Date.now() - 60_000;
      await publish(plcPath, "_historian", { timestamp_ms: Date.now(), fill_level: 87.5 });
      await publish(plcPath, "_analytics/state", { timestamp_ms: stopAt, state: 180_000 });
      await expect.poll(async () => (await latest(page.request, machinePath))[0]?.values.find((value) => value.metric === "fill_level")?.value, { timeout: 15_000 }).toBe(87.5);
      // And the console shows it: Filler 1's latest value on the OEE page's process values.
      await page.goto(`/oee?asset=${encodeURIComponent(machinePath)}`);
      await expect(page.getByText("87.5")).toBeVisible();

      // 7. Roles: the viewer reads but neither configures nor classifies; the supervisor classifies.
      const viewer = await signedInAs(browser, page, "viewer");
      try {
        await expect(viewer.page.getByRole("link", { name: "Admin" })).toHaveCount(0);
        await viewer.page.goto("/admin/assets");
        await expect(viewer.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
        const origin = new URL(viewer.page.url()).origin;
        const classify = { asset: machinePath, start: new Date(stopAt).toISOString(), reasonCode };
        expect((await viewer.page.request.patch("/api/v1/stops", { headers: { origin }, data: classify })).status()).toBe(403);
        expect((await viewer.page.request.post("/api/v1/assets", { headers: { origin }, data: { parentId: null, name: "x", level: "ENTERPRISE" } })).status()).toBe(403);
        const supervisor = await signedInAs(browser, page, "supervisor");
        try {
          expect((await supervisor.page.request.patch("/api/v1/stops", { headers: { origin }, data: classify })).status()).toBe(200);
          await supervisor.page.goto("/admin/topics");
          await expect(supervisor.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
        } finally {
          await supervisor.close();
        }
      } finally {
        await viewer.close();
      }
    } finally {
      const origin = new URL(page.url()).origin;
      await page.request.put("/api/v1/settings/ingest", { headers: { origin }, data: { autoRegister: true } });
    }

    // 8. Every step is in the audit log, by whoever made it.
    await page.goto("/admin/audit");
    const filters = page.getByRole("form", { name: "Filter" });
    const table = page.getByTestId("audit-table");
    const expectAudited = async (entity: string, text: string, count = 1, user = testAdmin.email) => {
      await filters.getByLabel("Entity").fill(entity);
      await filters.getByLabel("User").fill(user);
      await filters.getByRole("button", { name: "Apply filters" }).click();
      await expect(table.locator(`tr[data-entity="${entity}"]`).filter({ hasText: text })).toHaveCount(count);
    };
    await expectAudited("asset_type", `filler-${tag}`);
    await expectAudited("asset", `${areaPath}`, 5);
    await expectAudited("product_type", `BTL-${tag}`);
    await expectAudited("shift_exception", "2031-01-04");
    await expectAudited("reason_code", `Capper jam ${tag}`);
    await expectAudited("topic", plcPath);
    // The supervisor's classification, under the supervisor's name.
    await expectAudited("stop", machinePath, 1, `supervisor-${tag}@shopfloor.test`);
  });
});
