import { expect, type Page } from "@playwright/test";
import { testAdmin } from "./test-admin";

/** Signs in through the sign-in form (the test admin by default) and waits for the plant overview. */
export async function signInThroughForm(page: Page, email = testAdmin.email, password = testAdmin.password) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Plant overview" })).toBeVisible();
}
