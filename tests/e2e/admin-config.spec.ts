import { randomInt, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInThroughForm } from "../support/sign-in-page";

test.use({ locale: "en-US", timezoneId: "Europe/Berlin" });

test.describe("admin configuration pages", () => {
  test("an admin adds a reason sub-code, creates and revokes a token, and finds both in the audit log", async ({ page, request }) => {
    const suffix = randomUUID().slice(0, 6);
    const code = 180_000 + randomInt(1, 10_000);
    const reasonName = `Hydraulic leak ${suffix}`;
    const tokenName = `e2e-bridge-${suffix}`;
    const sections = page.getByRole("navigation", { name: "Admin sections" });

    await signInThroughForm(page);
    await page.goto("/admin/reason-codes");
    await expect(page.getByRole("heading", { name: "Reason codes", level: 1 })).toBeVisible();

    // ── Reason code: inline validation, then a plant-wide sub-code of "Equipment failure".
    await page.getByLabel("Scope").selectOption("");
    const reasonForm = page.getByRole("form", { name: "Add a reason for the whole plant" });
    await reasonForm.getByLabel("Code").fill("999");
    await reasonForm.getByLabel("Name").focus();
    await expect(reasonForm.getByText("Code: Between 10000 and 999999.")).toBeVisible();
    await reasonForm.getByLabel("Code").fill(String(code));
    await expect(reasonForm.getByText("A kind of 180000 “Equipment failure”.")).toBeVisible();
    await reasonForm.getByLabel("Name").fill(reasonName);
    await expect(reasonForm.getByLabel("Category")).toHaveValue("unplannedStop");
    await reasonForm.getByRole("button", { name: "Add reason" }).click();
    await expect(page.getByText(`Added ${code} “${reasonName}” for the whole plant.`)).toBeVisible();
    const reasonRow = page.getByTestId("reason-codes-table").locator(`tr[data-code="${code}"]`);
    await expect(reasonRow).toContainText(reasonName);
    await expect(reasonRow).toContainText("Unplanned stop");
    await expect(reasonRow).toContainText("Plant-wide");

    // ── Token form: keyboard order name → role → expiry → submit.
    await sections.getByRole("link", { name: "API tokens" }).click();
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
    const tokenForm = page.getByRole("form", { name: "Create a token" });
    await tokenForm.getByLabel("Name").fill(tokenName);
    await tokenForm.getByLabel("Name").focus();
    await page.keyboard.press("Tab");
    await expect(tokenForm.getByLabel("Role")).toBeFocused();
    await page.keyboard.press("Tab");
    const expiry = tokenForm.getByLabel("Expires after (optional)");
    await expect(expiry).toBeFocused();
    // Chromium's date input takes a Tab per part (month, day, year, picker) before focus moves on.
    for (let part = 0; part < 5; part += 1) {
      await page.keyboard.press("Tab");
      if (!(await expiry.evaluate((element) => element === document.activeElement))) break;
    }
    await expect(tokenForm.getByRole("button", { name: "Create token" })).toBeFocused();

    // ── Create: the secret is shown once, works as a bearer, and is gone after a reload.
    await tokenForm.getByLabel("Role").selectOption("VIEWER");
    await expiry.fill(`${new Date().getFullYear() + 1}-06-30`);
    await tokenForm.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("heading", { name: `Copy the secret of “${tokenName}” now` })).toBeVisible();
    await expect(page.getByText("This is the only time it is shown.")).toBeVisible();
    const secret = await page.getByLabel("Secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);

    await page.reload();
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
    const tokenRow = page.getByTestId("tokens-table").locator(`tr[data-token-name="${tokenName}"]`);
    await expect(tokenRow).toContainText("Active");
    const tokenId = await tokenRow.getAttribute("data-token-id");
    expect(tokenId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(tokenRow).toContainText(secret.slice(0, 10));
    await expect(page.getByRole("heading", { name: /Copy the secret/ })).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    // ── Revoke (confirmed): refused from the next request on.
    let confirmation = "";
    page.once("dialog", (dialog) => {
      confirmation = dialog.message();
      void dialog.accept();
    });
    await tokenRow.getByRole("button", { name: `Revoke ${tokenName}` }).click();
    await expect(tokenRow).toContainText("Revoked");
    await expect(tokenRow.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    expect(confirmation).toContain(`Revoke the token "${tokenName}"`);
    expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);

    // ── Audit log, filtered by entity: both token changes, then the reason code.
    await sections.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "When (Europe/Berlin)" })).toBeVisible();
    const filters = page.getByRole("form", { name: "Filter" });
    await filters.getByLabel("Entity").fill("api_token");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    const auditTable = page.getByTestId("audit-table");
    // The revocation changes revokedAt only (the name is among the unchanged keys); both rows name the token's id.
    const revoked = auditTable.locator('tr[data-action="api_token.revoke"]').filter({ hasText: tokenId! });
    await expect(revoked).toHaveCount(1);
    await expect(revoked).toContainText("revokedAt");
    await expect(revoked).toContainText("4 unchanged");
    await expect(auditTable.locator('tr[data-action="api_token.create"]').filter({ hasText: tokenId! })).toContainText(tokenName);
    await expect(auditTable.locator("tr[data-entity]:not([data-entity='api_token'])")).toHaveCount(0);

    await filters.getByLabel("Entity").fill("reason_code");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    const reasonAudit = auditTable.locator('tr[data-action="reason_code.create"]').filter({ hasText: reasonName });
    await expect(reasonAudit).toHaveCount(1);
    await expect(reasonAudit).toContainText(String(code));
    await expect(auditTable.locator("tr[data-entity]:not([data-entity='reason_code'])")).toHaveCount(0);

    // The export link carries the same filter.
    await expect(filters.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /entity=reason_code.*format=csv/);
  });
});
