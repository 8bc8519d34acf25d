// Recurring rules in a real headless Chromium against the real server (local mode, embedded
// database): the worker in the server creates the occurrences, once, across restarts, and a
// deleted one stays deleted. Screenshots go to $TMPDIR/expense-tracker-browser/recurring*.png.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { addDays, isoWeekday, weekdayName } from "../src/lib/recurrence.ts";
import {
  createOwner,
  describeInBrowser,
  expectOnlyOwnOrigin,
  SCREENSHOT_DIR,
} from "./support/browser-session.ts";

/** The server's today: the owner's time zone is UTC. */
const today = new Date().toISOString().slice(0, 10);
const start = addDays(today, -36);
/** Weekly on today's weekday from 36 days ago: five past occurrences and today's. */
const expected = [35, 28, 21, 14, 7, 0].map((d) => addDays(today, -d));

describeInBrowser("recurring rules in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;

  /** The dates of the rule's transactions in the list, oldest first, once there are `n`. */
  async function gymDates(n: number): Promise<string[]> {
    for (let i = 0; ; i++) {
      await page.goto(`${origin()}/transactions?q=Gym`);
      const dates = await page.locator("tbody tr td:first-child").allTextContents();
      if (dates.length >= n || i >= 40) return dates.sort();
      await page.waitForTimeout(250);
    }
  }

  it("adds a weekly rule starting in the past and creates its past occurrences", async () => {
    await createOwner(s);
    await page
      .getByRole("navigation")
      .getByRole("link", { name: "Recurring", exact: true })
      .click();
    await page.waitForURL(`${origin()}/recurring`);
    await page.getByRole("link", { name: "Add recurring rule" }).click();
    await page.getByLabel("Title").fill("Gym");
    await page.getByLabel("Amount").fill("25");
    await page.getByLabel("Category").selectOption({ label: "Health" });
    await page.getByLabel("Every", { exact: true }).fill("1");
    await page.getByLabel("Weeks, months or years").selectOption({ label: "Weeks" });
    await page.getByLabel("Starting on").fill(start);
    await page.getByLabel("On (weekly)").selectOption({ label: weekdayName(isoWeekday(today)) });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "recurring-form.png"), fullPage: true });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Create the past occurrences?",
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, "recurring-past.png"), fullPage: true });
    await page.getByRole("button", { name: "Create the 5 past occurrences" }).click();
    await page.waitForURL(`${origin()}/recurring`);
    expect(await page.getByRole("status").textContent()).toContain("5 past occurrences");
    // The worker, woken by the form, creates them (and today's) within moments.
    expect(await gymDates(6)).toEqual(expected);
    await page.goto(`${origin()}/recurring`);
    expect(await page.locator("[data-rule] td").nth(4).textContent()).toBe(addDays(today, 7));
    await page.screenshot({ path: join(SCREENSHOT_DIR, "recurring.png"), fullPage: true });
  });

  it("creates nothing twice across a restart, and a deleted occurrence does not come back", async () => {
    expect(await s.restart()).toBe(0);
    await page.goto(`${origin()}/transactions?q=Gym`);
    expect(await gymDates(6)).toEqual(expected);
    // Skip one by deleting it.
    await page.locator("tbody tr").first().getByRole("link", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    // Back to the list it was deleted from.
    await page.waitForURL(`${origin()}/transactions?q=Gym`);
    expect(await s.restart()).toBe(0);
    // The worker's first pass runs as the server becomes ready; give it a moment.
    await page.waitForTimeout(1_000);
    expect(await gymDates(0)).toEqual(expected.slice(0, 5));
  });

  it("pauses and resumes the rule, and the dashboard lists what is due", async () => {
    await page.goto(`${origin()}/`);
    const due = page.locator("section", { has: page.locator("#due-heading") });
    expect(await due.textContent()).toContain("Gym");
    await page
      .getByRole("navigation")
      .getByRole("link", { name: "Recurring", exact: true })
      .click();
    await page.getByRole("button", { name: "Pause" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Paused “Gym”");
    await page.getByRole("button", { name: "Resume" }).click();
    expect(await page.getByRole("status").textContent()).toContain(
      `Resumed “Gym”: next on ${addDays(today, 7)}.`,
    );
    await page.goto(`${origin()}/`);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "recurring-dashboard.png"),
      fullPage: true,
    });
    expectOnlyOwnOrigin(s);
  });
});
