// End to end in a real headless Chromium against the real server (local mode, a temp DATA_DIR):
// first run, the form, edit, filter, delete, sign out and in, a restart. The steps build on each
// other, so they run in order. The dashboard, categories and budgets are in browser-dashboard.test.ts.
// The screenshot of the transactions list is written to $TMPDIR/expense-tracker-browser/.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { AMOUNT_RULE } from "../src/lib/money.ts";
import {
  addTransaction,
  describeInBrowser,
  EMAIL,
  expectOnlyOwnOrigin,
  PASSWORD,
  SCREENSHOT_DIR,
} from "./support/browser-session.ts";

/** The brand colour, #1a6b6b, on Bootstrap's primary buttons (brand.css). */
const BOOTSTRAP_PRIMARY = "rgb(26, 107, 107)";

describeInBrowser("in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;
  const rows = () => page.locator("tbody tr[data-id]");
  const row = (title: string) => rows().filter({ hasText: title });
  const total = (which: "income" | "expense" | "net") => page.locator(`[data-total="${which}"]`);
  const flash = () => page.getByRole("status");

  it("first visit lands on the setup page, which creates the owner and opens the empty list", async () => {
    await page.goto(`${origin()}/`);
    expect(new URL(page.url()).pathname).toBe("/setup");
    await expect(page.title()).resolves.toBe("Create your account · Expense Tracker");

    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL(`${origin()}/`);
    expect(await flash().textContent()).toBe("Your account is ready. Add your first transaction.");
    expect(await page.locator('[data-dashboard="net"]').textContent()).toBe("$0.00");
    await page
      .locator("nav.navbar")
      .getByRole("link", { name: "Transactions", exact: true })
      .click();
    await page.waitForURL(`${origin()}/transactions`);
    expect(await page.getByText("No transactions yet.").isVisible()).toBe(true);
    expect(await rows().count()).toBe(0);
    expect(await total("net").textContent()).toBe("$0.00");
  });

  it("adds two expenses and an income through the form; totals are exact sums", async () => {
    const add = (t: Parameters<typeof addTransaction>[1]) => addTransaction(s, t);

    await add({
      kind: "expense",
      title: "Coffee beans",
      amount: "0.10",
      category: "Food",
      date: "2026-03-14",
      payment: "Card",
      notes: "dark roast",
    });
    await add({
      kind: "expense",
      title: "Bus ticket",
      amount: "0.20",
      category: "Transport",
      date: "2026-03-15",
    });
    await add({
      kind: "income",
      title: "Salary",
      amount: "1000.05",
      category: "Salary",
      date: "2026-03-01",
    });

    expect(await rows().count()).toBe(3);
    // Newest first.
    expect(await rows().locator("td:nth-child(2)").allInnerTexts()).toEqual([
      "Bus ticket",
      "Coffee beans\ndark roast",
      "Salary",
    ]);
    const coffee = await row("Coffee beans").locator("td").allInnerTexts();
    expect(coffee.slice(0, 4)).toEqual(["2026-03-14", "Coffee beans\ndark roast", "Food", "Card"]);
    // The kind in words for a screen reader, the sign as Intl writes it.
    expect(await row("Coffee beans").locator("td").nth(4).textContent()).toBe("Expense -$0.10");
    expect(await row("Salary").locator("td").nth(4).textContent()).toBe("Income +$1,000.05");
    expect(await total("expense").textContent()).toBe("$0.30");
    expect(await total("income").textContent()).toBe("$1,000.05");
    expect(await total("net").textContent()).toBe("$999.75");
  });

  it("an invalid amount re-renders the form with the error under the amount and keeps the typed values", async () => {
    await page.goto(`${origin()}/transactions/new?kind=income`);
    await page.getByLabel("Title").fill("Refund");
    await page.getByLabel("Amount").fill("12.345");
    await page.getByLabel("Category").selectOption({ label: "Other income" });
    await page.getByLabel("Date").fill("2026-02-27");
    await page.getByLabel("Payment method (optional)").fill("Transfer");
    await page.getByLabel("Notes (optional)").fill("overpaid in February");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Add", exact: true }).click(),
    ]);
    expect(response.status()).toBe(422);
    await page.waitForLoadState();

    const amount = page.getByLabel("Amount");
    expect(await amount.getAttribute("class")).toContain("is-invalid");
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    expect(await amount.inputValue()).toBe("12.345");
    // The message is the field's description, right under it.
    // Described by the currency beside it, then the message.
    const described = (await amount.getAttribute("aria-describedby"))?.split(" ") ?? [];
    expect(described[0]).toBe("f-amount-currency");
    const error = page.locator(`#${described.at(-1)}`);
    expect(await error.textContent()).toBe(AMOUNT_RULE);
    expect(await error.isVisible()).toBe(true);
    expect(await page.locator(".is-invalid").count()).toBe(1);

    expect(
      await page.getByRole("link", { name: "Income", exact: true }).getAttribute("aria-current"),
    ).toBe("page");
    expect(await page.getByLabel("Title").inputValue()).toBe("Refund");
    expect(await page.getByLabel("Category").locator("option:checked").textContent()).toBe(
      "Other income",
    );
    expect(await page.getByLabel("Date").inputValue()).toBe("2026-02-27");
    expect(await page.getByLabel("Payment method (optional)").inputValue()).toBe("Transfer");
    expect(await page.getByLabel("Notes (optional)").inputValue()).toBe("overpaid in February");

    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL(`${origin()}/transactions`);
    expect(await rows().count()).toBe(3);
  });

  it("edits a row, filters by kind and by search text, and clears the filters", async () => {
    await row("Bus ticket").getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(/\/transactions\/\d+\/edit$/);
    expect(await page.getByLabel("Amount").inputValue()).toBe("0.20");
    await page.getByLabel("Title").fill("Train ticket");
    await page.getByLabel("Amount").fill("0.25");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${origin()}/transactions`);
    expect(await flash().textContent()).toBe("Saved “Train ticket”.");
    expect(await row("Bus ticket").count()).toBe(0);
    expect(await row("Train ticket").locator("td").nth(4).textContent()).toBe("Expense -$0.25");
    expect(await total("expense").textContent()).toBe("$0.35");

    await page.getByLabel("Kind").selectOption("income");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/[?&]kind=income/);
    expect(await rows().locator("td:nth-child(2)").allInnerTexts()).toEqual(["Salary"]);
    expect(await total("expense").textContent()).toBe("$0.00");
    expect(await total("income").textContent()).toBe("$1,000.05");

    await page.getByLabel("Kind").selectOption("");
    await page.getByLabel("Search").fill("roast");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/[?&]q=roast/);
    expect(await rows().locator("td:nth-child(2)").allInnerTexts()).toEqual([
      "Coffee beans\ndark roast",
    ]);
    expect(await total("expense").textContent()).toBe("$0.10");
    expect(await page.getByLabel("Search").inputValue()).toBe("roast");

    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL(`${origin()}/transactions`);
    expect(await rows().count()).toBe(3);
    expect(await page.getByLabel("Search").inputValue()).toBe("");
    expect(await page.getByLabel("Kind").inputValue()).toBe("");
  });

  it("deletes a row through the confirmation page", async () => {
    await row("Train ticket").getByRole("link", { name: "Delete" }).click();
    await page.waitForURL(/\/transactions\/\d+\/delete$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Delete this transaction?",
    );
    expect(await page.locator(".card-body p").first().textContent()).toBe(
      "Train ticket · 2026-03-15 · Transport · $0.25 (expense)",
    );
    await page.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(`${origin()}/transactions`);
    expect(await flash().textContent()).toBe("Deleted “Train ticket”.");
    expect(await rows().locator("td:nth-child(2)").allInnerTexts()).toEqual([
      "Coffee beans\ndark roast",
      "Salary",
    ]);
    expect(await total("expense").textContent()).toBe("$0.10");
    expect(await total("net").textContent()).toBe("$999.95");
  });

  it("signs out and back in, and the data is still there", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${origin()}/signin`);
    expect(await flash().textContent()).toBe("You are signed out.");

    await page.goto(`${origin()}/`);
    expect(page.url()).toBe(`${origin()}/signin?next=%2F`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin()}/`);
    await page.goto(`${origin()}/transactions`);
    expect(await rows().count()).toBe(2);
    expect(await total("net").textContent()).toBe("$999.95");
  });

  it("after SIGTERM and a restart on the same DATA_DIR, the session and the data are still there", async () => {
    expect(await s.restart()).toBe(0);
    expect(s.serverLog.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    await page.goto(`${origin()}/transactions`);
    expect(page.url()).toBe(`${origin()}/transactions`);
    expect(await rows().locator("td:nth-child(2)").allInnerTexts()).toEqual([
      "Coffee beans\ndark roast",
      "Salary",
    ]);
    expect(await total("net").textContent()).toBe("$999.95");
    // Still a first-run page only while there is no account.
    const setup = await page.goto(`${origin()}/setup`);
    expect(setup?.status()).toBe(404);
  });

  it("every menu page loads its styles and scripts from the app alone, with no CSP violation", async () => {
    for (const name of [
      "Dashboard",
      "Categories",
      "Budgets",
      "Settings",
      "Household",
      "Transactions",
    ]) {
      await page.locator("nav.navbar").getByRole("link", { name, exact: true }).click();
      await page.waitForLoadState("load");
      expect(await page.getByRole("heading", { level: 1 }).count()).toBeGreaterThan(0);
    }
    expect(new URL(page.url()).pathname).toBe("/transactions");

    const button = page.getByRole("link", { name: "Add transaction" });
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      BOOTSTRAP_PRIMARY,
    );
    // The bootstrap bundle ran despite the strict CSP.
    expect(await page.evaluate(() => typeof (window as { bootstrap?: unknown }).bootstrap)).toBe(
      "object",
    );

    expect(s.requests.some((url) => /\/assets\/.+\.css$/.test(url))).toBe(true);
    expectOnlyOwnOrigin(s);
  });

  it("saves a screenshot of the transactions list", async () => {
    await page.goto(`${origin()}/transactions`);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, "transactions.png");
    const png = await page.screenshot({ path: file, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
  });
});
