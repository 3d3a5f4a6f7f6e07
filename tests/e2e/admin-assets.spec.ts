import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signInThroughForm } from "../support/sign-in-page";

test.use({ locale: "en-US" });

const tree = (page: Page) => page.getByRole("tree", { name: "Hierarchy" });
const treeItem = (page: Page, name: string, level: string) => tree(page).getByRole("treeitem", { name: `${name}, ${level}`, exact: true });

test.describe("asset administration", () => {
  test("an admin builds an area with a line and three machines, renames, moves, retires and restores, and searches", async ({ page }) => {
    const tag = randomUUID().slice(0, 6);
    const areaName = `Paint Shop ${tag}`;
    const areaPath = `acme/detroit/paint-shop-${tag}`;
    // Moves, segment changes and retirements are confirmed; the test confirms them.
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });

    await signInThroughForm(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Assets" }).click();
    await expect(page.getByRole("heading", { name: "Assets", level: 1 })).toBeVisible();

    await treeItem(page, "Detroit Plant", "Site").click();
    // The suite's database also holds the integration tests' plants (a "Robot 1" too): this test's assets are told by path.
    const ours = (name: string, level: string) => treeItem(page, name, level).and(page.locator(`[data-path^="${areaPath}"]`));
    const addArea = page.getByRole("form", { name: "Add an area under Detroit Plant" });
    // Focus order of the create form: name → slug → notes → submit.
    await addArea.getByLabel("Name", { exact: true }).focus();
    for (const next of ["Topic segment (slug)", "Notes (optional)"]) {
      await page.keyboard.press("Tab");
      await expect(addArea.getByLabel(next)).toBeFocused();
    }
    await page.keyboard.press("Tab");
    await expect(addArea.getByRole("button", { name: "Add area" })).toBeFocused();

    // The slug follows the name, and a bad one is caught before sending.
    await addArea.getByLabel("Name", { exact: true }).fill(areaName);
    await expect(addArea.getByLabel("Topic segment (slug)")).toHaveValue(`paint-shop-${tag}`);
    await addArea.getByLabel("Topic segment (slug)").fill("paint shop");
    await expect(addArea.getByText("slug may contain only a-z A-Z 0-9 - _")).toBeVisible();
    await expect(addArea.getByRole("button", { name: "Add area" })).toBeDisabled();
    await addArea.getByLabel("Topic segment (slug)").fill(`paint-shop-${tag}`);
    await addArea.getByRole("button", { name: "Add area" }).click();
    await expect(page.getByRole("status")).toHaveText(new RegExp(`Added ${areaName} \\(${areaPath}\\)`));

    // A duplicate slug among the siblings comes back from the server inline.
    await addArea.getByLabel("Name", { exact: true }).fill("Another");
    await addArea.getByLabel("Topic segment (slug)").fill(`paint-shop-${tag}`);
    await addArea.getByRole("button", { name: "Add area" }).click();
    await expect(addArea.getByText(`"paint-shop-${tag}" is already used by ${areaName}`)).toBeVisible();

    await ours(areaName, "Area").click();
    const addLine = page.getByRole("form", { name: `Add a line under ${areaName}` });
    for (const line of ["Paint Line", "Paint Line 2"]) {
      await addLine.getByLabel("Name", { exact: true }).fill(line);
      await addLine.getByRole("button", { name: "Add line" }).click();
      await expect(ours(line, "Line").and(page.locator(`[data-path^="${areaPath}/"]`))).toBeVisible();
    }

    await tree(page).locator(`[data-path="${areaPath}/paint-line"]`).click();
    const addMachine = page.getByRole("form", { name: "Add a machine under Paint Line" });
    // Without asset types (or while their page is not there yet) the picker still lets a machine be saved.
    await expect(addMachine.getByLabel("Type")).toBeVisible();
    for (const machine of ["Robot 1", "Robot 2", "<img src=x onerror=alert(1)>"]) {
      await addMachine.getByLabel("Name", { exact: true }).fill(machine);
      await addMachine.getByLabel("Ideal cycle time (ms, optional)").fill("0");
      await expect(addMachine.getByText("idealCycleTimeMs must be greater than 0")).toBeVisible();
      await addMachine.getByLabel("Ideal cycle time (ms, optional)").fill("1500");
      await addMachine.getByRole("button", { name: "Add machine" }).click();
      await expect(page.getByRole("status")).toContainText(`Added ${machine}`);
      // Ready for the next machine.
      await expect(addMachine.getByLabel("Name", { exact: true })).toBeFocused();
    }
    // A name that looks like markup is shown as text.
    await expect(ours("<img src=x onerror=alert(1)>", "Machine")).toContainText("<img src=x onerror=alert(1)>");

    // Rename: the path stays.
    await tree(page).locator(`[data-path="${areaPath}/paint-line/robot-2"]`).click();
    const details = page.getByRole("form", { name: "Details" });
    await details.getByLabel("Name", { exact: true }).fill("Robot 2 (spare)");
    await details.getByRole("button", { name: "Save changes" }).click();
    await expect(ours("Robot 2 (spare)", "Machine")).toHaveAttribute("data-path", `${areaPath}/paint-line/robot-2`);

    // Move with the keyboard- and touch-friendly picker; the path follows and the move can be undone.
    await tree(page).locator(`[data-path="${areaPath}/paint-line/img-src-x-onerror-alert-1"]`).click();
    const moveForm = page.getByRole("form", { name: "Move to…" });
    await moveForm.getByLabel("New parent").selectOption({ label: `Paint Line 2 (${areaPath}/paint-line-2)` });
    await expect(moveForm.getByText(`${areaPath}/paint-line-2/img-src-x-onerror-alert-1`)).toBeVisible();
    await moveForm.getByRole("button", { name: "Move" }).click();
    await expect(page.getByRole("status")).toContainText(`to ${areaPath}/paint-line-2/img-src-x-onerror-alert-1`);
    expect(dialogs.at(-1)).toContain("will arrive as a new asset unless the old path is mapped");
    await expect(tree(page).locator(`[data-path="${areaPath}/paint-line-2/img-src-x-onerror-alert-1"]`)).toBeVisible();

    // Retire: hidden by default, shown with the toggle, undone with one click; restore from the retired view too.
    await tree(page).locator(`[data-path="${areaPath}/paint-line/robot-1"]`).click();
    await page.getByRole("region", { name: "Retire", exact: true }).getByRole("button", { name: "Retire", exact: true }).click();
    await expect(page.getByRole("status")).toContainText("Retired Robot 1");
    await expect(ours("Robot 1", "Machine")).toHaveCount(0);
    await page.getByRole("button", { name: "Undo retire" }).click();
    await expect(ours("Robot 1", "Machine")).toBeVisible();
    await page.getByRole("region", { name: "Retire", exact: true }).getByRole("button", { name: "Retire", exact: true }).click();
    await expect(ours("Robot 1", "Machine")).toHaveCount(0);
    await page.getByLabel("Show retired assets").check();
    await expect(ours("Robot 1", "Machine, retired")).toBeVisible();
    await page.getByRole("region", { name: "Retired", exact: true }).getByRole("button", { name: "Restore", exact: true }).click();
    await expect(ours("Robot 1", "Machine")).toBeVisible();

    // Retiring the line with machines in it says so and retires the whole subtree only when asked.
    await tree(page).locator(`[data-path="${areaPath}/paint-line"]`).click();
    await expect(page.getByRole("region", { name: "Retire", exact: true })).toContainText("Paint Line has 2 active assets below it");

    // Search by name or path: matches are highlighted, their ancestors shown, the rest hidden.
    await page.getByLabel("Search assets by name or path").fill("robot 2");
    await expect(ours("Robot 2 (spare)", "Machine").locator("mark")).toHaveText("Robot 2");
    await expect(ours(areaName, "Area")).toBeVisible();
    await expect(ours("Robot 1", "Machine")).toHaveCount(0);
    await page.getByLabel("Search assets by name or path").fill(`paint-shop-${tag}/paint-line-2`);
    await expect(ours("Paint Line 2", "Line")).toBeVisible();
    await expect(ours("<img src=x onerror=alert(1)>", "Machine")).toBeVisible();
    await expect(ours("Robot 1", "Machine")).toHaveCount(0);
  });
});
