// The dashboard, the categories page and budgets in a real headless Chromium against the real
// server (local mode, a temp DATA_DIR). The steps build on each other, so they run in order.
// The dashboard's screenshot is written to $TMPDIR/expense-tracker-browser/dashboard.png.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import {
  addTransaction,
  createOwner,
  describeInBrowser,
  expectOnlyOwnOrigin,
  SCREENSHOT_DIR,
} from "./support/browser-session.ts";

/** The server's today and month: the owner's time zone is UTC. */
const today = new Date().toISOString().slice(0, 10);
const thisMonth = today.slice(0, 7);
const monthName = new Intl.DateTimeFormat("en-US", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
}).format(new Date(`${thisMonth}-01T00:00:00Z`));

describeInBrowser("the dashboard in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;
  const card = (key: string) => page.locator(`[data-dashboard="${key}"]`);
  const heading = () => page.getByRole("heading", { level: 1 }).textContent();
  const flash = () => page.getByRole("status");
  const add = (t: Parameters<typeof addTransaction>[1]) => addTransaction(s, t);

  it("shows a month and a year of what was added", async () => {
    await createOwner(s);
    expect(await card("net").textContent()).toBe("$0.00");
    const t = { payment: "", notes: "" };
    await add({
      ...t,
      kind: "expense",
      title: "Coffee",
      amount: "0.10",
      category: "Food",
      date: "2026-03-14",
    });
    await add({
      ...t,
      kind: "income",
      title: "Salary",
      amount: "1000.05",
      category: "Salary",
      date: "2026-03-01",
    });

    await page.goto(`${origin()}/?period=2026-03`);
    expect(await heading()).toBe("March 2026");
    expect(await card("income").textContent()).toBe("$1,000.05");
    expect(await card("expense").textContent()).toBe("$0.10");
    expect(await page.locator("tr[data-category]").allInnerTexts()).toEqual([
      "Food\t$0.10\t100.0%",
    ]);
    // Spending by category, the trend, and the budgets (none set yet).
    expect(await page.locator('svg[role="img"]').count()).toBe(3);
    const budgets = page.locator('section[aria-labelledby="budgets-heading"]');
    expect(await budgets.textContent()).toContain("No budgets set");

    await page.getByRole("link", { name: "All of 2026" }).click();
    await page.waitForURL(`${origin()}/?period=2026`);
    expect(await heading()).toBe("2026");
    expect(await card("net").textContent()).toBe("$999.95");
    expect(await budgets.textContent()).toContain("Budgets are monthly");
  });

  it("a category added on its page is offered by the form and charted", async () => {
    await page.locator("nav.navbar").getByRole("link", { name: "Categories", exact: true }).click();
    await page.waitForURL(`${origin()}/categories`);
    await page.getByLabel("Name").fill("Pets");
    await page.getByLabel("Colour").selectOption({ label: "Green" });
    await page.getByRole("button", { name: "Add category" }).click();
    await page.waitForURL(`${origin()}/categories`);
    expect(await flash().textContent()).toBe("Added “Pets”.");

    await add({
      kind: "expense",
      title: "Cat food",
      amount: "12",
      category: "Pets",
      date: "2026-03-20",
    });
    await page.goto(`${origin()}/?period=2026-03`);
    expect(await page.locator("tr[data-category]").allInnerTexts()).toEqual([
      "Pets\t$12.00\t99.2%",
      "Food\t$0.10\t0.8%",
    ]);
  });

  it("a budget set on the budgets page goes over, and the dashboard says so in words", async () => {
    await page.locator("nav.navbar").getByRole("link", { name: "Budgets", exact: true }).click();
    await page.waitForURL(`${origin()}/budgets`);
    expect(await heading()).toBe(`Budgets for ${monthName}`);
    await page.getByLabel("Monthly budget for Food").fill("60");
    await page.getByRole("button", { name: "Save budget for Food" }).click();
    await page.waitForURL(`${origin()}/budgets?period=${thisMonth}`);
    expect(await flash().textContent()).toBe(`Budget of $60.00 a month set from ${monthName}.`);
    await page.getByLabel("Monthly budget for All spending").fill("2000");
    await page.getByRole("button", { name: "Save budget for All spending" }).click();
    await page.waitForURL(`${origin()}/budgets?period=${thisMonth}`);

    const t = { payment: "", notes: "" };
    await add({
      ...t,
      kind: "income",
      title: "Pay",
      amount: "3200",
      category: "Salary",
      date: `${thisMonth}-01`,
    });
    await add({
      ...t,
      kind: "expense",
      title: "Rent",
      amount: "1200",
      category: "Housing",
      date: `${thisMonth}-01`,
    });
    await add({
      ...t,
      kind: "expense",
      title: "Groceries",
      amount: "48.20",
      category: "Food",
      date: `${thisMonth}-01`,
    });
    await add({
      ...t,
      kind: "expense",
      title: "Market",
      amount: "25.35",
      category: "Food",
      date: today,
    });
    await add({
      ...t,
      kind: "expense",
      title: "Bus pass",
      amount: "45",
      category: "Transport",
      date: today,
    });

    await page.goto(`${origin()}/`);
    expect(await heading()).toBe(monthName);
    expect(await page.locator("[data-budgets-over]").textContent()).toContain("Over budget: Food");
    const bars = page.locator('svg[aria-labelledby^="budgets"] g.et-row');
    expect(await bars.count()).toBe(2);
    expect(await page.locator("g.et-budget-over").count()).toBe(1);
    expect(await page.locator("g.et-budget-over .et-icon").count()).toBe(1);
    expect(await page.locator("g.et-budget-over").textContent()).toContain(
      "Over budget: $73.55 of $60.00 · $13.55 over",
    );

    await page.goto(`${origin()}/budgets`);
    expect(await page.locator('tr[data-budget="Food"]').textContent()).toContain("$13.55 over");
    expect(await page.locator('tr[data-budget="All spending"]').textContent()).toContain(
      "$681.45 left",
    );

    await page.goto(`${origin()}/`);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const png = await page.screenshot({
      path: join(SCREENSHOT_DIR, "dashboard.png"),
      fullPage: true,
    });
    expect(png.length).toBeGreaterThan(10_000);
    expectOnlyOwnOrigin(s);
  });
});
