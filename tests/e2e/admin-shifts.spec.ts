import { expect, test } from "@playwright/test";
import { signInThroughForm } from "../support/sign-in-page";

test.use({ locale: "en-US" });

test.describe("shift calendars", () => {
  test("an admin plans a new pattern version and a holiday, with inline validation, and removes them again", async ({ page }) => {
    page.on("dialog", (dialog) => dialog.accept());
    await signInThroughForm(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Shift calendars" }).click();
    await expect(page.getByRole("heading", { name: "Shift calendars", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Site")).toContainText("Detroit Plant");

    // The demo site is seeded with the simulator's three shifts, in force, and the next week shows them.
    const versions = page.getByRole("list", { name: "Pattern versions" });
    await expect(versions.getByRole("listitem")).toHaveCount(1);
    await expect(versions).toContainText("From 2000-01-01");
    await expect(versions).toContainText("Early 06:00–14:00 every day");
    await expect(page.getByTestId("planned-week")).toContainText("Night");

    const form = page.getByRole("form", { name: "Weekly pattern" });
    // Focus order in a shift row: name → start → end → remove → the day toggles. A time input takes one Tab
    // per part (hours, minutes), so Tab is pressed until focus leaves it.
    const tabOutOf = async (label: string) => {
      const field = form.getByLabel(label).first();
      for (let part = 0; part < 4 && (await field.evaluate((element) => element === document.activeElement)); part += 1) await page.keyboard.press("Tab");
    };
    await form.getByLabel("Shift name").first().focus();
    await page.keyboard.press("Tab");
    await expect(form.getByLabel("Starts").first()).toBeFocused();
    await tabOutOf("Starts");
    await expect(form.getByLabel("Ends").first()).toBeFocused();
    await tabOutOf("Ends");
    await expect(form.getByRole("button", { name: "Remove Early" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(form.getByRole("group", { name: "Days of Early" }).getByLabel("Monday")).toBeFocused();

    // A new version from 2030 on: no night shift, Saturdays and Sundays off for the early shift.
    await form.getByRole("button", { name: "Remove Night" }).click();
    const earlyDays = form.getByRole("group", { name: "Days of Early" });
    await earlyDays.getByText("Sat").click();
    await earlyDays.getByText("Sun").click();
    await form.getByLabel("Applies from").fill("2030-01-01");
    // A break outside its shift is refused with the reason beside the row, and nothing is saved.
    const late = form.getByRole("group", { name: "Shift 2" });
    await late.getByRole("button", { name: "Add break" }).click();
    await late.getByLabel("Break 4 from").fill("23:00");
    await late.getByLabel("to", { exact: true }).last().fill("23:30");
    await form.getByRole("button", { name: "Save pattern" }).click();
    await expect(form.getByText("break 4 must lie inside the shift (14:00–22:00)")).toBeVisible();
    await expect(versions.getByRole("listitem")).toHaveCount(1);

    await late.getByRole("button", { name: "Remove break 4 of Late" }).click();
    await form.getByRole("button", { name: "Save pattern" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved: this pattern applies from 2030-01-01 on.");
    await expect(versions.getByRole("listitem")).toHaveCount(2);
    await expect(versions.getByRole("listitem").nth(1)).toContainText("Early 06:00–14:00 Mon–Fri · Late 14:00–22:00 every day");

    // A holiday on a date of the new version; shown with its note, which is text, not markup.
    const exceptionForm = page.getByRole("form", { name: "Add an exception" });
    await exceptionForm.getByLabel("Date").fill("2030-12-25");
    await exceptionForm.getByLabel("What happens").selectOption("closed");
    await exceptionForm.getByLabel("Note (optional)").fill("<b>Christmas</b>");
    await exceptionForm.getByRole("button", { name: "Save exception" }).click();
    await expect(exceptionForm.getByRole("status")).toHaveText("Saved the exception on 2030-12-25.");
    const exceptions = page.getByRole("list", { name: "Exceptions" });
    await expect(exceptions).toContainText("2030-12-25Closed (holiday): no shifts<b>Christmas</b>");

    // Undo both: the seeded pattern is the only one again.
    await exceptions.getByRole("button", { name: "Delete the exception on 2030-12-25" }).click();
    await expect(page.getByText("No exceptions: every date follows the weekly pattern.")).toBeVisible();
    await versions.getByRole("listitem").nth(1).getByRole("button", { name: "Delete" }).click();
    await expect(versions.getByRole("listitem")).toHaveCount(1);
  });
});
