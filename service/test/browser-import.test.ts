// The web import in a real headless Chromium against the real server (local mode, embedded
// database, its job runner): a semicolon file with decimal commas and DD.MM.YYYY dates, uploaded,
// previewed, edited, confirmed, and its rows in the list. The steps build on each other.
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { createOwner, describeInBrowser, expectOnlyOwnOrigin } from "./support/browser-session.ts";

const STATEMENT = [
  "Kontoauszug;Girokonto;",
  "",
  "Buchungstag;Empfänger;Verwendungszweck;Betrag;Kategorie",
  "02.01.2025;REWE Markt;Einkauf;-1.234,56;Lebensmittel",
  "15.01.2025;Arbeitgeber AG;Gehalt Januar;3.000,00;Salary",
  "20.01.2025;Kino;Film;-12,50;",
  "31.02.2025;Kaputt;Falsches Datum;-1,00;",
  "",
].join("\r\n");

describeInBrowser("the web import in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;

  it("uploads a semicolon file and previews it with the guessed settings, nothing stored yet", async () => {
    await createOwner(s);
    await page.goto(`${origin()}/imports`);
    await page.getByRole("link", { name: "Import a CSV" }).click();
    await page.waitForURL(`${origin()}/imports/new`);
    await page.getByLabel("CSV file").setInputFiles({
      name: "girokonto.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(STATEMENT, "utf8"),
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Preview: girokonto.csv",
    );
    expect(await page.getByLabel("Delimiter").inputValue()).toBe(";");
    expect(await page.getByLabel("Date format").inputValue()).toBe("DD.MM.YYYY");
    expect(await page.getByLabel("Decimal mark").inputValue()).toBe(",");
    expect(await page.getByLabel("Lines before the header").inputValue()).toBe("2");
    expect(await page.locator("[data-import-summary]").textContent()).toContain(
      "4 rows: 3 to import, 1 bad. Income $3,000.00, expenses $1,247.06.",
    );
    const preview = page.locator("[data-import-preview] tbody tr");
    expect(await preview.count()).toBe(3);
    expect(await preview.nth(0).textContent()).toContain("2025-01-02");
    expect(await preview.nth(0).textContent()).toContain("REWE Markt - Einkauf");
    expect(await preview.nth(0).textContent()).toContain("-$1,234.56");
    expect(await page.locator("[data-bad-rows]").textContent()).toContain(
      'Line 7: date "31.02.2025" is not a date in the format DD.MM.YYYY',
    );
    await page.goto(`${origin()}/transactions`);
    expect(await page.locator('[data-total="expense"]').first().textContent()).toBe("$0.00");
    await page.goBack();
  });

  it("maps an unknown category and adds a rule in the preview, which shows both", async () => {
    await page.getByLabel("“Lebensmittel” (expense, 1 row)").selectOption({ label: "Map to Food" });
    await page.getByRole("button", { name: "Update preview" }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    const rows = page.locator("[data-import-preview] tbody tr");
    expect(await rows.nth(0).textContent()).toContain("Food (mapped)");
    await page.getByLabel("Title contains").fill("Kino");
    await page.locator("#rule-category").selectOption({ label: "Entertainment" });
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    expect(await rows.nth(2).textContent()).toContain("Entertainment (rule)");
  });

  it("confirms, shows the job's progress page until it is done, and lists the rows with their totals", async () => {
    await page.getByRole("button", { name: "Import 3 rows, skip 1 bad" }).click();
    // The progress page reloads itself (a meta refresh) until the job is done.
    await page.locator('[data-import-status="done"]').waitFor({ timeout: 30_000 });
    expect(await page.getByRole("status").textContent()).toContain(
      "Imported 3 rows; 0 duplicates skipped (already in the account); 1 bad rows skipped.",
    );
    await page.getByRole("link", { name: "Show its rows" }).click();
    await page.waitForURL(/\/transactions\?import=\d+$/);
    expect(await page.locator('[data-total="income"]').textContent()).toBe("$3,000.00");
    expect(await page.locator('[data-total="expense"]').textContent()).toBe("$1,247.06");
    expect(await page.locator('[data-total="net"]').textContent()).toBe("$1,752.94");
    const list = await page.locator("main table").textContent();
    for (const text of ["REWE Markt - Einkauf", "Arbeitgeber AG - Gehalt Januar", "Kino - Film"])
      expect(list).toContain(text);
    expect(list).toContain("Food");
    expect(list).toContain("Entertainment");
    expectOnlyOwnOrigin(s);
  });
});
