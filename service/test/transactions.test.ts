import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTransaction, listCategories } from "../src/data/transactions.ts";
import { transactions } from "../src/db/schema.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const rowsFor = async (
  t: { current(): { db: import("../src/db/client.ts").Db } },
  userId: number,
) => t.current().db.select().from(transactions).where(eq(transactions.userId, userId));

async function categoryId(agent: Agent, name = "Food"): Promise<string> {
  const res = await agent.get("/transactions/new");
  const html = await res.text();
  const m = new RegExp(`<option value="(\\d+)"[^>]*>${name}</option>`).exec(html);
  if (!m?.[1]) throw new Error(`no ${name} category on the form`);
  return m[1];
}

describeEachDatabase("transactions", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    // 2026-01-01 03:00 UTC is still 2025-12-31 in Los Angeles.
    app = testApp(t.current(), { now: () => new Date("2026-01-01T03:00:00Z") });
  });

  const valid = (cat: string, extra: Record<string, string> = {}) => ({
    kind: "expense",
    title: "Groceries",
    amount: "12.50",
    categoryId: cat,
    occurredOn: "2025-11-03",
    notes: "",
    paymentMethod: "Card",
    ...extra,
  });

  it("GET / without a session redirects to the sign-in page", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/signin?next=%2F");
  });

  it("GET / for a new user shows the empty state and zero totals", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const html = await (await agent.get("/")).text();
    expect(html).toContain("No transactions yet.");
    expect(html).toMatch(/data-total="net">\$0\.00</);
  });

  it("POST /transactions stores the chosen date and shows a flash message", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const res = await agent.post("/transactions", valid(cat));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const html = await (await agent.get("/")).text();
    expect(html).toContain("Added “Groceries”.");
    expect(html).toContain("2025-11-03");
    const [row] = await rowsFor(t, user.id);
    expect(row).toMatchObject({
      occurredOn: "2025-11-03",
      amountCents: 1250n,
      kind: "expense",
      paymentMethod: "Card",
      notes: null,
    });
  });

  it("POST /transactions with an empty date uses today in the user's time zone", async () => {
    const { agent, user } = await signedInAgent(app, t.current(), {
      timeZone: "America/Los_Angeles",
    });
    const cat = await categoryId(agent);
    expect((await agent.post("/transactions", valid(cat, { occurredOn: "" }))).status).toBe(303);
    const [row] = await rowsFor(t, user.id);
    expect(row?.occurredOn).toBe("2025-12-31");
    const form = await (await agent.get("/transactions/new")).text();
    expect(form).toContain('value="2025-12-31"');
  });

  describe("invalid input re-renders the form with 422 and writes nothing", () => {
    const cases: [string, Record<string, string>, string, RegExp][] = [
      ["an empty title", { title: "  " }, "title", /Enter a title/],
      ["a 201-character title", { title: "x".repeat(201) }, "title", /at most 200 characters/],
      ["an empty amount", { amount: "" }, "amount", /at most 2 decimals/],
      ["amount 1e3", { amount: "1e3" }, "amount", /such as 12, 12\.5 or 12\.50/],
      ["amount -5", { amount: "-5" }, "amount", /above 0/],
      ["amount 12.345", { amount: "12.345" }, "amount", /at most 2 decimals/],
      ["amount 0", { amount: "0" }, "amount", /above 0/],
      ["amount 1000000000", { amount: "1000000000" }, "amount", /below 1,000,000,000/],
      ["kind 'gift'", { kind: "gift" }, "kind", /Choose expense or income/],
      ["no category", { categoryId: "" }, "categoryId", /Choose a category/],
      ["date 2026-02-30", { occurredOn: "2026-02-30" }, "occurredOn", /YYYY-MM-DD/],
      ["date 31/12/2025", { occurredOn: "31/12/2025" }, "occurredOn", /YYYY-MM-DD/],
      ["2001-character notes", { notes: "n".repeat(2001) }, "notes", /at most 2000 characters/],
      [
        "a 51-character payment method",
        { paymentMethod: "p".repeat(51) },
        "paymentMethod",
        /at most 50/,
      ],
    ];
    it.each(cases)("%s", async (_label, change, field, message) => {
      const { agent, user } = await signedInAgent(app, t.current());
      const cat = await categoryId(agent);
      const form = valid(cat, { title: "Kept title", ...change });
      const res = await agent.post("/transactions", form);
      expect(res.status).toBe(422);
      const html = await res.text();
      const errorBlock = new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(html);
      expect(errorBlock?.[1]).toMatch(message);
      if (field !== "title") expect(html).toContain('value="Kept title"');
      expect(await rowsFor(t, user.id)).toHaveLength(0);
    });

    it("another user's category", async () => {
      const a = await signedInAgent(app, t.current());
      const b = await signedInAgent(app, t.current());
      const foreign = await categoryId(a.agent);
      const res = await b.agent.post("/transactions", valid(foreign));
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Choose a category from the list");
      expect(await rowsFor(t, b.user.id)).toHaveLength(0);
    });
  });

  it("sums 0.10 + 0.20 to exactly 0.30 and keeps 999,999,999.99 to the cent", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat, { amount: "0.1" }));
    await agent.post("/transactions", valid(cat, { amount: "0.2" }));
    let html = await (await agent.get("/")).text();
    expect(html).toMatch(/data-total="expense">\$0\.30</);
    await agent.post("/transactions", valid(cat, { kind: "income", amount: "999999999.99" }));
    html = await (await agent.get("/")).text();
    expect(html).toMatch(/data-total="income">\$999,999,999\.99</);
    expect(html).toMatch(/data-total="net">\$999,999,999\.69</);
  });

  it("edits a transaction, and the edit form shows the stored values", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat, { notes: "weekly shop" }));
    const [row] = await rowsFor(t, user.id);
    const form = await (await agent.get(`/transactions/${row?.id}/edit`)).text();
    expect(form).toContain('value="12.50"');
    expect(form).toContain('value="weekly shop"');
    const transport = await categoryId(agent, "Transport");
    const res = await agent.post(
      `/transactions/${row?.id}`,
      valid(transport, { title: "Train", amount: "3", kind: "expense" }),
    );
    expect(res.status).toBe(303);
    const [after] = await rowsFor(t, user.id);
    expect(after).toMatchObject({
      title: "Train",
      amountCents: 300n,
      categoryId: Number(transport),
      notes: null,
    });
  });

  it("an invalid edit returns 422 and leaves the row unchanged", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat));
    const [row] = await rowsFor(t, user.id);
    const res = await agent.post(
      `/transactions/${row?.id}`,
      valid(cat, { amount: "12.345", title: "Changed" }),
    );
    expect(res.status).toBe(422);
    const [after] = await rowsFor(t, user.id);
    expect(after?.title).toBe("Groceries");
  });

  it("deletes only by POST, after a confirmation page", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat));
    const [row] = await rowsFor(t, user.id);
    const confirm = await agent.get(`/transactions/${row?.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Delete this transaction?");
    expect(await rowsFor(t, user.id)).toHaveLength(1);
    const res = await agent.post(`/transactions/${row?.id}/delete`, {});
    expect(res.status).toBe(303);
    expect(await rowsFor(t, user.id)).toHaveLength(0);
    expect(await (await agent.get("/")).text()).toContain("Deleted “Groceries”.");
  });

  describe("CSRF", () => {
    it("refuses a form post without the token with 403 and writes nothing", async () => {
      const { agent, user } = await signedInAgent(app, t.current());
      const cat = await categoryId(agent);
      const res = await agent.post("/transactions", valid(cat, { _csrf: "" }));
      expect(res.status).toBe(403);
      expect(await rowsFor(t, user.id)).toHaveLength(0);
    });

    it("refuses a token that belongs to another browser", async () => {
      const a = await signedInAgent(app, t.current());
      const b = await signedInAgent(app, t.current());
      const cat = await categoryId(b.agent);
      const res = await b.agent.post("/transactions", valid(cat, { _csrf: a.agent.csrf }));
      expect(res.status).toBe(403);
      expect(await rowsFor(t, b.user.id)).toHaveLength(0);
    });

    it("refuses a post whose Origin is another site, even with a valid token", async () => {
      const { agent, user } = await signedInAgent(app, t.current());
      const cat = await categoryId(agent);
      const res = await agent.post("/transactions", valid(cat), { origin: "https://evil.example" });
      expect(res.status).toBe(403);
      expect(await rowsFor(t, user.id)).toHaveLength(0);
    });

    it("refuses a JSON body carrying the session cookie", async () => {
      const { agent, user } = await signedInAgent(app, t.current());
      const res = await app.request("/transactions", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        },
        body: JSON.stringify({ _csrf: agent.csrf, title: "x", amount: "1" }),
      });
      expect(res.status).toBe(403);
      expect(await rowsFor(t, user.id)).toHaveLength(0);
    });
  });

  describe("another user's transaction", () => {
    it("is 404 to view, edit or delete, and stays unchanged", async () => {
      const a = await signedInAgent(app, t.current());
      const b = await signedInAgent(app, t.current());
      const cat = await categoryId(a.agent);
      await a.agent.post("/transactions", valid(cat, { title: "A's secret" }));
      const [row] = await rowsFor(t, a.user.id);
      const id = row?.id;
      const bCat = await categoryId(b.agent);
      expect((await b.agent.get(`/transactions/${id}/edit`)).status).toBe(404);
      expect((await b.agent.get(`/transactions/${id}/delete`)).status).toBe(404);
      expect(
        (await b.agent.post(`/transactions/${id}`, valid(bCat, { title: "hijacked" }))).status,
      ).toBe(404);
      expect((await b.agent.post(`/transactions/${id}/delete`, {})).status).toBe(404);
      expect(await (await b.agent.get("/")).text()).not.toContain("A&#39;s secret");
      const [after] = await rowsFor(t, a.user.id);
      expect(after).toEqual(row);
    });
  });

  it.each([
    "/transactions/999999999/edit",
    "/transactions/abc/edit",
    "/transactions/0/delete",
    "/nowhere",
  ])("GET %s is a 404 page without a stack trace", async (path) => {
    const { agent } = await signedInAgent(app, t.current());
    const res = await agent.get(path);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Not found");
    expect(html).not.toMatch(/at \S+ \(|node_modules/);
  });

  it("escapes HTML in titles", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat, { title: '<script>alert("x")</script>' }));
    const html = await (await agent.get("/")).text();
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;");
  });

  it("answers 413 to a body over 1 MB and writes nothing", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const res = await agent.post(
      "/transactions",
      valid(cat, { notes: "x".repeat(1024 * 1024 + 1) }),
    );
    expect(res.status).toBe(413);
    expect(await rowsFor(t, user.id)).toHaveLength(0);
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
      // 120 transactions over 120 days of 2025, every third one income; ids rise with the date.
      for (let i = 0; i < 120; i++) {
        const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
        await createTransaction(t.current().db, signed.user.id, {
          kind: i % 3 === 0 ? "income" : "expense",
          title: `Item ${String(i).padStart(3, "0")}`,
          amountCents: BigInt(100 + i),
          categoryId: i % 2 === 0 ? food : transport,
          occurredOn: day,
          notes: i === 7 ? "50% off_sale" : null,
          paymentMethod: null,
        });
      }
    });

    const titles = (html: string) =>
      [...html.matchAll(/<td>Item (\d{3})/g)].map((m) => Number(m[1]));

    it("shows 50 a page, newest first, with totals of the whole filtered set", async () => {
      const html = await (await agent.get("/")).text();
      const page1 = titles(html);
      expect(page1).toHaveLength(50);
      expect(page1[0]).toBe(119);
      expect(page1[49]).toBe(70);
      expect(html).toContain("120 transactions");
      expect(html).toContain("Page 1 of 3");
    });

    it("the last page holds the remainder and a page past the end says so", async () => {
      expect(titles(await (await agent.get("/?page=3")).text())).toEqual(
        Array.from({ length: 20 }, (_, i) => 19 - i),
      );
      expect(await (await agent.get("/?page=4")).text()).toContain("There is no page 4.");
    });

    it.each(["0", "-1", "abc", "1.5"])("page=%s is refused with 422 and a message", async (p) => {
      const res = await agent.get(`/?page=${p}`);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Page must be a whole number from 1");
    });

    it("filters by kind, category and date range, and the filters survive pagination", async () => {
      const res = await agent.get(`/?kind=expense&category=${food}&from=2025-01-01&to=2025-04-30`);
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
      const narrow = await (await agent.get("/?kind=income&from=2025-01-01&to=2025-01-31")).text();
      expect(titles(narrow)).toEqual([30, 27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
      // 80 expenses: two pages, and the link to the second keeps every filter.
      const query = `kind=expense&category=&q=item&from=2025-01-01`;
      const first = await (await agent.get(`/?${query}`)).text();
      const next = /href="([^"]+)" rel="next"/.exec(first)?.[1]?.replaceAll("&amp;", "&");
      expect(next).toBe(`/?${query}&page=2`);
      const second = await (await agent.get(next ?? "")).text();
      expect(titles(second)).toHaveLength(30);
      expect(titles(second).every((i) => i % 3 !== 0)).toBe(true);
      const transportOnly = await (await agent.get(`/?category=${transport}`)).text();
      expect(titles(transportOnly).every((i) => i % 2 === 1)).toBe(true);
    });

    it("searches title and notes, treating % and _ literally", async () => {
      expect(titles(await (await agent.get("/?q=item%20011")).text())).toEqual([11]);
      expect(
        titles(await (await agent.get(`/?q=${encodeURIComponent("50% off_")}`)).text()),
      ).toEqual([7]);
      expect(titles(await (await agent.get(`/?q=${encodeURIComponent("%")}`)).text())).toEqual([7]);
      const none = await (await agent.get("/?q=nothing-matches")).text();
      expect(none).toContain("No transactions match these filters.");
    });

    it.each([
      ["from=2025-13-01", "from", "YYYY-MM-DD"],
      ["from=2025-03-01&to=2025-02-01", "to", "on or after the start date"],
      ["kind=gift", "kind", "Choose all, expense or income"],
      ["category=x", "category", "Choose a category from the list"],
    ])("a bad filter (%s) is refused with 422 next to the field", async (query, field, message) => {
      const res = await agent.get(`/?${query}`);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(new RegExp(`id="f-${field}-error"[^>]*>[^<]*${message}`).test(html)).toBe(true);
    });
  });
});
