import { beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

describeEachDatabase("transactions listing", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current());
  });

  describe("listing", () => {
    let agent: Agent;
    let food: number;
    let transport: number;
    beforeAll(async () => {
      const signed = await signedInAgent(app, t.current());
      agent = signed.agent;
      const cats = await listCategories(t.current().db, signed.user.id);
      food = cats.find((c) => c.name === "Food")?.id ?? 0;
      transport = cats.find((c) => c.name === "Transport")?.id ?? 0;
      const salary = cats.find((c) => c.name === "Salary")?.id ?? 0;
      // 120 transactions over 120 days of 2025, every third one income; ids rise with the date.
      for (let i = 0; i < 120; i++) {
        const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
        await createTransaction(t.current().db, signed.user.id, {
          kind: i % 3 === 0 ? "income" : "expense",
          title: `Item ${String(i).padStart(3, "0")}`,
          amountCents: BigInt(100 + i),
          categoryId: i % 3 === 0 ? salary : i % 2 === 0 ? food : transport,
          occurredOn: day,
          notes: i === 7 ? "50% off_sale" : null,
          paymentMethod: null,
        });
      }
    });

    const titles = (html: string) =>
      [...html.matchAll(/<td class="et-tx-title"><a [^>]*>Item (\d{3})/g)].map((m) => Number(m[1]));

    it("shows 50 a page, newest first, with totals of the whole filtered set", async () => {
      const html = await (await agent.get("/transactions")).text();
      const page1 = titles(html);
      expect(page1).toHaveLength(50);
      expect(page1[0]).toBe(119);
      expect(page1[49]).toBe(70);
      expect(html).toContain("120 transactions");
      expect(html).toContain("Page 1 of 3");
    });

    it("the last page holds the remainder and a page past the end says so", async () => {
      expect(titles(await (await agent.get("/transactions?page=3")).text())).toEqual(
        Array.from({ length: 20 }, (_, i) => 19 - i),
      );
      expect(await (await agent.get("/transactions?page=4")).text()).toContain(
        "There is no page 4.",
      );
    });

    it.each(["0", "-1", "abc", "1.5"])("page=%s is refused with 422 and a message", async (p) => {
      const res = await agent.get(`/transactions?page=${p}`);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Page must be a whole number from 1");
    });

    it("filters by kind, category and date range, and the filters survive pagination", async () => {
      const res = await agent.get(
        `/transactions?kind=expense&category=${food}&from=2025-01-01&to=2025-04-30`,
      );
      const html = await res.text();
      // Food is even i, expense is i % 3 != 0, date range is i < 120: 40 rows.
      const list = titles(html);
      expect(list.every((i) => i % 2 === 0 && i % 3 !== 0)).toBe(true);
      expect(html).toContain("40 transactions");
      const sum = Array.from({ length: 120 }, (_, i) => i)
        .filter((i) => i % 2 === 0 && i % 3 !== 0)
        .reduce((s, i) => s + 100 + i, 0);
      expect(html).toContain(`data-total="expense">$${(sum / 100).toFixed(2)}<`);
      expect(html).toMatch(/data-total="income">\$0\.00</);
      const narrow = await (
        await agent.get("/transactions?kind=income&from=2025-01-01&to=2025-01-31")
      ).text();
      expect(titles(narrow)).toEqual([30, 27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
      // 80 expenses: two pages, and the link to the second keeps every filter.
      const query = `kind=expense&category=&q=item&from=2025-01-01`;
      const first = await (await agent.get(`/transactions?${query}`)).text();
      const next = /href="([^"]+)" rel="next"/.exec(first)?.[1]?.replaceAll("&amp;", "&");
      expect(next).toBe(`/transactions?${query}&page=2`);
      const second = await (await agent.get(next ?? "")).text();
      expect(titles(second)).toHaveLength(30);
      expect(titles(second).every((i) => i % 3 !== 0)).toBe(true);
      const transportOnly = await (await agent.get(`/transactions?category=${transport}`)).text();
      expect(titles(transportOnly).every((i) => i % 2 === 1)).toBe(true);
    });

    it("searches title and notes, treating % and _ literally", async () => {
      expect(titles(await (await agent.get("/transactions?q=item%20011")).text())).toEqual([11]);
      expect(
        titles(await (await agent.get(`/transactions?q=${encodeURIComponent("50% off_")}`)).text()),
      ).toEqual([7]);
      expect(
        titles(await (await agent.get(`/transactions?q=${encodeURIComponent("%")}`)).text()),
      ).toEqual([7]);
      const none = await (await agent.get("/transactions?q=nothing-matches")).text();
      expect(none).toContain("No transactions match these filters.");
    });

    it.each([
      ["from=2025-13-01", "from", "YYYY-MM-DD"],
      ["from=2025-03-01&to=2025-02-01", "to", "on or after the start date"],
      ["kind=gift", "kind", "Choose all, expense or income"],
      ["category=x", "category", "Choose a category from the list"],
    ])("a bad filter (%s) is refused with 422 next to the field", async (query, field, message) => {
      const res = await agent.get(`/transactions?${query}`);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(new RegExp(`id="f-${field}-error"[^>]*>[^<]*${message}`).test(html)).toBe(true);
    });
  });
});
