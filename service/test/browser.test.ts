// End to end in a real headless Chromium against the real server, started as a child process in
// local mode on a temp DATA_DIR. The steps build on each other, so they run in order.
// The screenshot of the transactions list is written to $TMPDIR/expense-tracker-browser/.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AMOUNT_RULE } from "../src/lib/money.ts";
import { freePort, type ServerProcess, startServer } from "./support/server-process.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  console.warn(`skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const EMAIL = "owner@example.test";
const PASSWORD = "correct horse battery";
/** Bootstrap 5.3's --bs-primary, #0d6efd. */
const BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)";
const SCREENSHOT_DIR = join(tmpdir(), "expense-tracker-browser");

describe.skipIf(!available && !process.env.CI)("in a real browser", () => {
  const serverLog: string[] = [];
  const consoleLog: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  let dataDir = "";
  let port = 0;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  const origin = () => `http://127.0.0.1:${port}`;
  // Printed only when something fails, and only the lines not printed yet.
  const printed = { server: 0, console: 0 };
  const printLogs = () => {
    console.error(
      [
        "--- server output ---",
        ...serverLog.slice(printed.server),
        "--- browser console ---",
        ...consoleLog.slice(printed.console),
      ].join("\n"),
    );
    printed.server = serverLog.length;
    printed.console = consoleLog.length;
  };
  const rows = () => page.locator("tbody tr[data-id]");
  const row = (title: string) => rows().filter({ hasText: title });
  const total = (which: "income" | "expense" | "net") => page.locator(`[data-total="${which}"]`);
  const flash = () => page.getByRole("status");

  beforeAll(async () => {
    if (!available) throw new Error(`no Chromium at ${CHROMIUM}; CI=true requires it`);
    try {
      dataDir = await mkdtemp(join(tmpdir(), "expense-tracker-browser-data-"));
      port = await freePort();
      server = await startServer({ dataDir, port, log: serverLog });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        timeout: 15_000,
      });
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: "en-US",
        colorScheme: "light",
      });
      context.on("request", (r) => {
        requests.push(r.url());
      });
      page = await context.newPage();
      page.setDefaultTimeout(5_000);
      page.setDefaultNavigationTimeout(10_000);
      page.on("console", (m) => {
        consoleLog.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => {
        pageErrors.push(e.message);
      });
    } catch (err) {
      printLogs();
      throw err;
    }
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(printLogs);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop(5_000).catch(() => server?.kill());
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

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
    const add = async (t: {
      kind: "expense" | "income";
      title: string;
      amount: string;
      category: string;
      date: string;
      payment?: string;
      notes?: string;
    }) => {
      await page.goto(`${origin()}/transactions`);
      await page.getByRole("link", { name: "Add transaction" }).click();
      await page.waitForURL(`${origin()}/transactions/new`);
      if (t.kind === "income") {
        // The form is for one kind at a time; its tabs switch it, and the categories with it.
        await page.getByRole("link", { name: "Income", exact: true }).click();
        await page.waitForURL(`${origin()}/transactions/new?kind=income`);
      }
      await page.getByLabel("Title").fill(t.title);
      await page.getByLabel("Amount").fill(t.amount);
      await page.getByLabel("Category").selectOption({ label: t.category });
      await page.getByLabel("Date").fill(t.date);
      await page.getByLabel("Payment method (optional)").fill(t.payment ?? "");
      await page.getByLabel("Notes (optional)").fill(t.notes ?? "");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.waitForURL(`${origin()}/transactions`);
      expect(await flash().textContent()).toBe(`Added “${t.title}”.`);
    };

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
    expect(coffee.slice(0, 5)).toEqual([
      "2026-03-14",
      "Coffee beans\ndark roast",
      "Food",
      "Card",
      "−$0.10",
    ]);
    expect(await row("Salary").locator("td").nth(4).textContent()).toBe("+$1,000.05");
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
    const error = page.locator(`#${await amount.getAttribute("aria-describedby")}`);
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
    expect(await row("Train ticket").locator("td").nth(4).textContent()).toBe("−$0.25");
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

  it("the dashboard shows a month and a year, and a category added on its page is used and charted", async () => {
    await page.goto(`${origin()}/?period=2026-03`);
    const card = (key: string) => page.locator(`[data-dashboard="${key}"]`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("March 2026");
    expect(await card("income").textContent()).toBe("$1,000.05");
    expect(await card("expense").textContent()).toBe("$0.10");
    expect(await page.locator("tr[data-category]").allInnerTexts()).toEqual([
      "Food\t$0.10\t100.0%",
    ]);
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    await page.getByRole("link", { name: "All of 2026" }).click();
    await page.waitForURL(`${origin()}/?period=2026`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("2026");
    expect(await card("net").textContent()).toBe("$999.95");

    await page.locator("nav.navbar").getByRole("link", { name: "Categories", exact: true }).click();
    await page.waitForURL(`${origin()}/categories`);
    await page.getByLabel("Name").fill("Pets");
    await page.getByLabel("Colour").selectOption({ label: "Green" });
    await page.getByRole("button", { name: "Add category" }).click();
    await page.waitForURL(`${origin()}/categories`);
    expect(await flash().textContent()).toBe("Added “Pets”.");

    await page.goto(`${origin()}/transactions/new`);
    await page.getByLabel("Title").fill("Cat food");
    await page.getByLabel("Amount").fill("12");
    await page.getByLabel("Category").selectOption({ label: "Pets" });
    await page.getByLabel("Date").fill("2026-03-20");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.waitForURL(`${origin()}/transactions`);

    await page.goto(`${origin()}/?period=2026-03`);
    expect(await page.locator("tr[data-category]").allInnerTexts()).toEqual([
      "Pets\t$12.00\t99.2%",
      "Food\t$0.10\t0.8%",
    ]);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const png = await page.screenshot({
      path: join(SCREENSHOT_DIR, "dashboard.png"),
      fullPage: true,
    });
    expect(png.length).toBeGreaterThan(10_000);

    // Back to the data the later steps expect.
    await page.goto(`${origin()}/transactions?q=Cat%20food`);
    await row("Cat food").getByRole("link", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(`${origin()}/transactions`);
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
    expect(await server?.stop()).toBe(0);
    expect(serverLog.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    server = await startServer({ dataDir, port, log: serverLog });

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
    for (const name of ["Dashboard", "Categories", "Settings", "Household", "Transactions"]) {
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

    expect(requests.length).toBeGreaterThan(20);
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin()}/`));
    expect(elsewhere).toEqual([]);
    expect(requests.some((url) => /\/assets\/.+\.css$/.test(url))).toBe(true);
    expect(consoleLog.filter((line) => /Content[- ]Security[- ]Policy/i.test(line))).toEqual([]);
    // Chromium logs the 422 of the invalid form, the 404 of /setup and of /favicon.ico; any other
    // error (a refused script or style, a failing script) is a failure.
    const httpStatus =
      /^error: Failed to load resource: the server responded with a status of 4\d\d /;
    expect(consoleLog.filter((l) => l.startsWith("error:") && !httpStatus.test(l))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("saves a screenshot of the transactions list", async () => {
    await page.goto(`${origin()}/transactions`);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, "transactions.png");
    const png = await page.screenshot({ path: file, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
  });
});
