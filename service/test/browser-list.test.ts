// The transaction list in a real headless Chromium: edit from a filtered, sorted second page and
// land back on it, sort by a header, the phone layout at 375 px, no sideways scrolling at any of
// the widths, and an amount typed as 12,50 under a comma number format. The steps build on each
// other, so they run in order.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import {
  createOwner,
  describeInBrowser,
  expectOnlyOwnOrigin,
  PASSWORD,
  SCREENSHOT_DIR,
} from "./support/browser-session.ts";

const WIDTHS = [360, 375, 768, 1024, 1280];

describeInBrowser("the transaction list in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;
  const rows = () => page.locator("tbody tr[data-id]");
  const titles = () => rows().locator(".et-tx-title a").allInnerTexts();

  it("holds 70 rows added through the API", async () => {
    await createOwner(s);
    await page.goto(`${origin()}/settings/tokens`);
    await page.getByLabel("Name").fill("seed");
    await page.getByLabel("Access").selectOption("read-write");
    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("New token").inputValue();
    const auth = { Authorization: `Bearer ${token}` };
    const cats = await (
      await page.request.get(`${origin()}/api/v1/categories`, { headers: auth })
    ).json();
    const food = cats.data.find((c: { name: string }) => c.name === "Food").id;
    for (let i = 1; i <= 70; i++) {
      const res = await page.request.post(`${origin()}/api/v1/transactions`, {
        headers: auth,
        data: {
          kind: "expense",
          title: `Groceries ${String(i).padStart(2, "0")}`,
          amount: `${i}.25`,
          category_id: food,
          occurred_on: `2026-03-${String((i % 28) + 1).padStart(2, "0")}`,
        },
      });
      expect(res.status()).toBe(201);
    }
    await page.goto(`${origin()}/transactions`);
    expect(await rows().count()).toBe(50);
  });

  it("sorts by a header, and edits from a filtered second page back to it", async () => {
    await page.goto(`${origin()}/transactions?q=Groceries`);
    await page.getByRole("link", { name: /^Amount/ }).click();
    await page.waitForURL(`${origin()}/transactions?q=Groceries&sort=amount-desc`);
    expect((await titles()).slice(0, 2)).toEqual(["Groceries 70", "Groceries 69"]);
    await page.getByRole("link", { name: "Next", exact: true }).click();
    const second = `${origin()}/transactions?q=Groceries&sort=amount-desc&page=2`;
    await page.waitForURL(second);
    expect((await titles()).slice(0, 1)).toEqual(["Groceries 20"]);
    await page.getByRole("link", { name: "Edit Groceries 19" }).click();
    await page.getByLabel("Amount").fill("19.30");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(second);
    expect(await page.getByRole("status").textContent()).toBe("Saved “Groceries 19”.");
    // Cancel from the next row's page comes back too.
    await page.getByRole("link", { name: "Edit Groceries 18" }).click();
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL(second);
    // Delete, through its confirmation page.
    await page.getByRole("link", { name: "Delete Groceries 18" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(second);
    expect(await page.getByText("Groceries 18", { exact: true }).count()).toBe(0);
  });

  it("shows each row as a card on a phone, with the filters folded away", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${origin()}/transactions?q=Groceries`);
    const first = rows().first();
    const box = async (selector: string) =>
      (await first.locator(selector).boundingBox()) ?? { x: -1, y: -1, width: 0, height: 0 };
    for (const cell of [".et-tx-title", ".et-tx-amount", ".et-tx-date", ".et-tx-category"]) {
      const b = await box(cell);
      expect(b.width, cell).toBeGreaterThan(0);
      expect(b.x + b.width, cell).toBeLessThanOrEqual(375);
    }
    expect(await first.locator(".et-tx-actions").isVisible()).toBe(false);
    // With the filters folded, the first row starts well within the first screen.
    expect((await box(".et-tx-title")).y).toBeLessThan(480);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "list-phone.png") });
    // The filter form opens from its button; the chip names the search.
    expect(await page.getByLabel("Search").isVisible()).toBe(false);
    expect(await page.getByRole("link", { name: /Search: “Groceries”/ }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Filters (1)" }).click();
    await page.getByLabel("Search").waitFor({ state: "visible" });
  });

  it("scrolls sideways at no width", async () => {
    const pages = [
      "/transactions",
      "/transactions?q=Groceries&sort=title-desc&page=2",
      "/transactions/new",
    ];
    const overflow: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of pages) {
        await page.goto(`${origin()}${path}`);
        const fits = await page.evaluate(
          () => document.documentElement.scrollWidth <= window.innerWidth,
        );
        if (!fits) overflow.push(`${path} at ${width}`);
      }
    }
    expect(overflow).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("takes 12,50 under a comma number format and shows it back in that format", async () => {
    await page.goto(`${origin()}/settings`);
    await page.getByLabel("Display currency").selectOption("EUR");
    await page.getByLabel("Numbers").selectOption("1.234,56");
    await page.getByLabel("Dates").selectOption("DD.MM.YYYY");
    await page.getByRole("button", { name: "Save" }).click();
    await page.goto(`${origin()}/transactions/new`);
    expect(await page.locator("#f-amount-currency").textContent()).toBe("€");
    await page.getByLabel("Title").fill("Bakery");
    await page.getByLabel("Amount").fill("12,50");
    await page.getByLabel("Date").fill("2026-03-31");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.waitForURL(`${origin()}/transactions`);
    const row = rows().filter({ hasText: "Bakery" });
    expect(await row.locator(".et-tx-amount").textContent()).toBe("Expense -12,50\u00a0€");
    expect(await row.locator(".et-tx-date").textContent()).toBe("31.03.2026");
    await row.locator(".et-tx-title a").click();
    expect(await page.getByLabel("Amount").inputValue()).toBe("12,50");
    expectOnlyOwnOrigin(s);
  });
});
