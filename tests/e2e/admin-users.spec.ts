import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInThroughForm } from "../support/sign-in-page";

test.use({ locale: "en-US" });

test.describe("user administration", () => {
  test("an admin adds a supervisor with inline validation and keyboard order; the supervisor cannot reach the page", async ({ page, browser }) => {
    await signInThroughForm(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

    const form = page.getByRole("form", { name: "Add a user" });
    // Focus order of the form: e-mail → name → password → role → submit.
    await form.getByLabel("E-mail").focus();
    for (const next of ["Name (optional)", "Initial password", "Role"]) {
      await page.keyboard.press("Tab");
      await expect(form.getByLabel(next)).toBeFocused();
    }
    await page.keyboard.press("Tab");
    await expect(form.locator("summary", { hasText: "All sites" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(form.getByRole("button", { name: "Add user" })).toBeFocused();

    // Too short a password is caught before sending; a bad e-mail comes back from the server inline.
    await form.getByLabel("Initial password").fill("short");
    await expect(form.getByRole("button", { name: "Add user" })).toBeDisabled();
    await form.getByLabel("Initial password").fill("a-long-enough-password");
    await form.getByLabel("E-mail").fill("not-an-email");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText("email must be an e-mail address")).toBeVisible();

    const email = `sup-${randomUUID().slice(0, 8)}@shopfloor.test`;
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Name (optional)").fill("<img src=x onerror=alert(1)>");
    await form.getByLabel("Role").selectOption("SUPERVISOR");
    // Limited to the demo plant's one site: the row says so instead of "All sites".
    await form.locator("summary", { hasText: "All sites" }).click();
    await form.getByRole("checkbox", { name: "Detroit Plant" }).check();
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByRole("status")).toHaveText(`Added ${email}.`);
    const row = page.getByTestId("users-table").locator(`tr[data-email="${email}"]`);
    // A name that looks like markup is shown as text.
    await expect(row).toContainText("<img src=x onerror=alert(1)>");
    await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("SUPERVISOR");
    await expect(row.getByLabel(`Sites of ${email}: Detroit Plant`)).toBeVisible();

    // A forgotten password: the admin sets a new one (too short is refused before sending).
    await row.locator("summary", { hasText: "Reset password" }).click();
    const reset = row.getByRole("form", { name: `Reset the password of ${email}` });
    await reset.getByLabel(`New password for ${email}`).fill("short");
    await expect(reset.getByRole("button", { name: "Set password" })).toBeDisabled();
    await reset.getByLabel(`New password for ${email}`).fill("a-brand-new-password");
    await reset.getByRole("button", { name: "Set password" }).click();
    await expect(reset.getByRole("status")).toHaveText("Password set.");

    const supervisor = await browser.newContext({ locale: "en-US" });
    try {
      const supervisorPage = await supervisor.newPage();
      await signInThroughForm(supervisorPage, email, "a-brand-new-password");
      await expect(supervisorPage.getByRole("link", { name: "Downtime" })).toBeVisible();
      await expect(supervisorPage.getByRole("link", { name: "Admin" })).toHaveCount(0);
      await supervisorPage.goto("/admin/users");
      await expect(supervisorPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    } finally {
      await supervisor.close();
    }
  });
});
