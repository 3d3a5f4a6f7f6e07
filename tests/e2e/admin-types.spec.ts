import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { signInThroughForm } from "../support/sign-in-page";

// A 10-inch tablet in landscape, touch input.
test.use({ locale: "en-US", viewport: { width: 1280, height: 800 }, hasTouch: true });

/** A machine of the new type on version 1, under the seeded demo plant's press line (no API creates typed assets yet here). */
async function addOvenOnVersion1(typeKey: string, slug: string): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ path: string }>(
      `INSERT INTO "assets" ("id", "name", "slug", "path", "level", "parent_id", "type_version_id", "updated_at")
       SELECT gen_random_uuid(), $2, $3, line."path" || '/' || $3, 'WORK_CELL', line."id", v."id", now()
       FROM "assets" line, "asset_type_versions" v JOIN "asset_types" t ON t."id" = v."type_id"
       WHERE line."path" = 'acme/detroit/press-shop/line-1' AND t."key" = $1 AND v."version" = 1
       RETURNING "path"`,
      [typeKey, `Oven ${slug}`, slug],
    );
    if (rows.length !== 1) throw new Error("the demo plant's press line or the new type is missing");
    return rows[0]!.path;
  } finally {
    await client.end();
  }
}

test.describe("asset types", () => {
  test("an admin creates a type, edits it into version 2, moves an asset to it and reads the history", async ({ page }) => {
    const key = `oven-${randomUUID().slice(0, 6)}`;
    await signInThroughForm(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Asset types" }).click();
    await expect(page.getByRole("heading", { name: "Asset types", level: 1 })).toBeVisible();
    // The demo plant's types are listed with their versions.
    await expect(page.getByTestId("types-table").locator('tr[data-key="stamping-press"]')).toContainText("v1");

    await page.getByRole("button", { name: "New type" }).click();
    const form = page.getByRole("form", { name: "New asset type" });
    await form.getByLabel("Key").fill(key);
    await form.getByLabel("Name", { exact: true }).fill("Curing oven <b>hot</b>");

    // A new metric row takes focus; Tab walks its inputs left to right, then its remove button.
    await form.getByRole("button", { name: "Add metric" }).click();
    await expect(form.getByLabel("Name of metric 1", { exact: true })).toBeFocused();
    for (const next of ["Unit of metric 1", "Data type of metric 1", "Min of metric 1", "Max of metric 1", "Precision of metric 1"]) {
      await page.keyboard.press("Tab");
      await expect(form.getByLabel(next, { exact: true })).toBeFocused();
    }
    await page.keyboard.press("Tab");
    await expect(form.getByRole("button", { name: "Remove metric 1" })).toBeFocused();

    await form.getByLabel("Name of metric 1", { exact: true }).fill("temperature");
    await form.getByLabel("Unit of metric 1", { exact: true }).fill("°C");
    await form.getByLabel("Min of metric 1", { exact: true }).fill("95");
    await form.getByLabel("Max of metric 1", { exact: true }).fill("90");
    await form.getByLabel("Precision of metric 1", { exact: true }).fill("1");
    await form.getByRole("button", { name: "Add metric" }).click();
    await form.getByLabel("Name of metric 2", { exact: true }).fill("temperature");
    await form.getByRole("button", { name: "Add the standard states" }).click();

    // Inline validation before anything is sent: a range upside down and a duplicate name.
    await form.getByRole("button", { name: "Create type (version 1)" }).click();
    await expect(form.getByText("max must not be below min")).toBeVisible();
    await expect(form.getByText("metric temperature is declared twice")).toBeVisible();
    await form.getByLabel("Min of metric 1", { exact: true }).fill("10");
    await form.getByLabel("Name of metric 2", { exact: true }).fill("power");
    await form.getByLabel("Unit of metric 2", { exact: true }).fill("kW");
    await expect(form.getByText("max must not be below min")).toHaveCount(0);
    await form.getByRole("button", { name: "Create type (version 1)" }).click();

    const detail = page.getByRole("region", { name: "Curing oven <b>hot</b>" });
    // The name that looks like markup is shown as text.
    await expect(detail.getByRole("heading", { name: "Curing oven <b>hot</b>", level: 2 })).toBeVisible();
    const history = detail.getByTestId("version-history");
    await expect(history.getByRole("listitem").filter({ hasText: "Version 1" })).toBeVisible();

    const assetPath = await addOvenOnVersion1(key, key);

    // Edit: temperature in °F now. Rows come back by name: power, temperature.
    const editor = detail.getByRole("form", { name: "Edit (saves version 2)" });
    await expect(editor.getByLabel("Name of metric 2", { exact: true })).toHaveValue("temperature");
    await editor.getByLabel("Unit of metric 2", { exact: true }).fill("°F");
    await editor.getByLabel("Max of metric 2", { exact: true }).fill("194");
    await editor.getByLabel("Min of metric 2", { exact: true }).fill("50");
    await editor.getByRole("button", { name: "Save as version 2" }).click();
    await expect(detail.getByRole("status").filter({ hasText: "Saved as version 2." })).toBeVisible();
    await expect(detail.getByRole("form", { name: "Edit (saves version 3)" })).toBeVisible();

    // Version 2: its read-only view, the diff to version 1, and the asset still on version 1 to move.
    const version2 = history.locator('li[data-version="2"]');
    await version2.getByRole("button", { name: "Show version 2" }).click();
    await expect(version2.getByTestId("version-diff")).toContainText("Changed metric temperature: unit °C → °F, min 10 → 50, max 90 → 194");
    const move = version2.getByRole("group", { name: "Move assets to this version" });
    await move.getByRole("checkbox", { name: new RegExp(assetPath) }).check();
    await move.getByRole("button", { name: "Move 1 asset to version 2" }).click();
    await expect(move.getByRole("status")).toContainText("Moved 1 asset to version 2.");
    await expect(version2).toContainText("1 asset");
    await expect(history.locator('li[data-version="1"]')).toContainText("0 assets");
    await expect(move.getByRole("checkbox")).toHaveCount(0);

    // Version 1 still reads as it was saved.
    const version1 = history.locator('li[data-version="1"]');
    await version1.getByRole("button", { name: "Show version 1" }).click();
    await expect(version1.getByRole("row", { name: /temperature/ })).toContainText("°C");
    await expect(version1).toContainText("The first version: nothing to compare with.");
    await expect(page.getByTestId("types-table").locator(`tr[data-key="${key}"]`)).toContainText("v2");
  });
});
