import { expect, test } from "@playwright/test";
import { testAdmin } from "../support/test-admin";

test.describe("signing in", () => {
  test("a visitor without a session is sent to the sign-in page", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });

  test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(testAdmin.email);
    await page.getByLabel("Password").fill("definitely-wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("E-mail or password is incorrect");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("the seeded admin signs in, sees the demo plant tree, and signs out", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(testAdmin.email);
    await page.getByLabel("Password").fill(testAdmin.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByRole("heading", { name: "Plant overview" })).toBeVisible();
    const tree = page.getByRole("tree", { name: "Asset hierarchy" });
    for (const name of ["Acme Manufacturing", "Detroit Plant", "Press Shop", "Press Line 1", "Press 1", "CNC Line", "Station 3"]) {
      await expect(tree.getByRole("treeitem", { name: new RegExp(name) }).first()).toBeVisible();
    }

    await page.getByRole("button", { name: /account|user menu|admin@shopfloor\.test/i }).first().click();
    await page.getByRole("menuitem", { name: "Sign out" }).or(page.getByRole("button", { name: "Sign out" })).first().click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
