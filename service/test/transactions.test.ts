import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { transactions } from "../src/db/schema.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const rowsFor = async (
  t: { current(): { db: import("../src/db/client.ts").Db } },
  userId: number,
) => t.current().db.select().from(transactions).where(eq(transactions.userId, userId));

async function categoryId(agent: Agent, name = "Food", kind = "expense"): Promise<string> {
  const res = await agent.get(`/transactions/new?kind=${kind}`);
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
    const html = await (await agent.get("/transactions")).text();
    expect(html).toContain("No transactions yet.");
    expect(html).toMatch(/data-total="net">\$0\.00</);
  });

  it("POST /transactions stores the chosen date and shows a flash message", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const res = await agent.post("/transactions", valid(cat));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/transactions");
    const html = await (await agent.get("/transactions")).text();
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
      expect(await res.text()).toContain(
        "Choose one of your expense categories: Entertainment, Food",
      );
      expect(await rowsFor(t, b.user.id)).toHaveLength(0);
    });
  });

  it("sums 0.10 + 0.20 to exactly 0.30 and keeps 999,999,999.99 to the cent", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/transactions", valid(cat, { amount: "0.1" }));
    await agent.post("/transactions", valid(cat, { amount: "0.2" }));
    let html = await (await agent.get("/transactions")).text();
    expect(html).toMatch(/data-total="expense">\$0\.30</);
    const salary = await categoryId(agent, "Salary", "income");
    await agent.post("/transactions", valid(salary, { kind: "income", amount: "999999999.99" }));
    html = await (await agent.get("/transactions")).text();
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
    expect(await (await agent.get("/transactions")).text()).toContain("Deleted “Groceries”.");
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
      expect(await (await b.agent.get("/transactions")).text()).not.toContain("A&#39;s secret");
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
    const html = await (await agent.get("/transactions")).text();
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
});
