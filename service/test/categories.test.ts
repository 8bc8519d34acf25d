// The user's own categories: add, rename, recolour, remove with a move, and the limits.
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createCategory, listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { categories, MAX_CATEGORIES, transactions } from "../src/db/schema.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const keyOn = (html: string) => /name="_key" value="([^"]+)"/.exec(html)?.[1] ?? "";
const selected = (html: string) =>
  /<option value="(\d+)" selected="">([^<]*)<\/option>/.exec(html)?.[2];
const options = (html: string, name: string) => {
  const select = new RegExp(`<select id="f-${name}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? "";
  return [...select.matchAll(/<option value="[^"]*"[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]);
};

describeEachDatabase("categories", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current());
  });
  const db = () => t.current().db;
  const byName = async (userId: number, name: string) =>
    (await listCategories(db(), userId)).find((c) => c.name === name);
  const add = async (agent: Agent, form: Record<string, string>) => {
    const key = keyOn(await (await agent.get("/categories")).text());
    return agent.post("/categories", { _key: key, kind: "expense", color: "3", ...form });
  };
  const spend = (userId: number, categoryId: number, kind: "expense" | "income" = "expense") =>
    createTransaction(db(), userId, {
      kind,
      title: "Spent",
      amountCents: 500n,
      categoryId,
      occurredOn: "2026-05-01",
      notes: null,
      paymentMethod: null,
    });

  it("lists the defaults of both kinds, and adds one that the form of its kind then offers", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const page = await (await agent.get("/categories")).text();
    expect(page).toContain("For expenses");
    expect(page).toContain("Salary");
    const res = await add(agent, { name: "Freelance", kind: "income", color: "7" });
    expect(res.status).toBe(303);
    expect((await byName(user.id, "Freelance"))?.kind).toBe("income");
    const incomeForm = await (await agent.get("/transactions/new?kind=income")).text();
    expect(options(incomeForm, "categoryId")).toEqual(["Freelance", "Other income", "Salary"]);
    const expenseForm = await (await agent.get("/transactions/new")).text();
    expect(options(expenseForm, "categoryId")).not.toContain("Freelance");
  });

  it.each([
    ["a name taken in another case", { name: "fOOD" }, "You already have a category named “fOOD”"],
    ["an empty name", { name: "  " }, "Enter a name"],
    ["a 51-character name", { name: "n".repeat(51) }, "A name can be at most 50 characters"],
    ["a colour off the palette", { name: "Pets", color: "10" }, "Choose a colour from the list"],
    ["a kind that is neither", { name: "Pets", kind: "gift" }, "Choose expenses or income"],
  ])("refuses %s with 422 and says what is accepted", async (_, form, message) => {
    const { agent, user } = await signedInAgent(app, t.current());
    const before = (await listCategories(db(), user.id)).length;
    const res = await add(agent, form);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(message);
    expect(await listCategories(db(), user.id)).toHaveLength(before);
  });

  it(`refuses more than ${MAX_CATEGORIES} categories`, async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const have = (await listCategories(db(), user.id)).length;
    for (let i = have; i < MAX_CATEGORIES; i++) {
      await createCategory(db(), user.id, { name: `C${i}`, kind: "expense", color: 0 });
    }
    const res = await add(agent, { name: "One too many" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`You have ${MAX_CATEGORIES} categories`);
  });

  it("renames and recolours; a rename onto another name is refused", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const food = await byName(user.id, "Food");
    await agent.get(`/categories/${food?.id}/edit`);
    expect(
      (await agent.post(`/categories/${food?.id}`, { name: "Groceries", color: "2" })).status,
    ).toBe(303);
    expect(await byName(user.id, "Groceries")).toMatchObject({ id: food?.id, color: 2 });
    const taken = await agent.post(`/categories/${food?.id}`, { name: "transport", color: "2" });
    expect(taken.status).toBe(422);
    expect((await byName(user.id, "Groceries"))?.id).toBe(food?.id);
  });

  it("removes an empty category at once", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const health = await byName(user.id, "Health");
    await agent.get(`/categories/${health?.id}/remove`);
    expect((await agent.post(`/categories/${health?.id}/remove`, {})).status).toBe(303);
    expect(await byName(user.id, "Health")).toBeUndefined();
  });

  it("removing one that holds transactions moves them to the chosen category of its kind, in one go", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const food = await byName(user.id, "Food");
    const other = await byName(user.id, "Other");
    const salary = await byName(user.id, "Salary");
    await spend(user.id, food?.id ?? 0);
    await spend(user.id, food?.id ?? 0);
    const page = await (await agent.get(`/categories/${food?.id}/remove`)).text();
    expect(options(page, "moveTo")).not.toContain("Salary");
    const without = await agent.post(`/categories/${food?.id}/remove`, {});
    expect(without.status).toBe(422);
    expect(await without.text()).toContain("choose the category they move to");
    const across = await agent.post(`/categories/${food?.id}/remove`, {
      moveTo: String(salary?.id),
    });
    expect(across.status).toBe(422);
    expect(await byName(user.id, "Food")).toBeDefined();
    const moved = await agent.post(`/categories/${food?.id}/remove`, {
      moveTo: String(other?.id),
    });
    expect(moved.status).toBe(303);
    expect(await byName(user.id, "Food")).toBeUndefined();
    const rows = await db().select().from(transactions).where(eq(transactions.userId, user.id));
    expect(rows.map((r) => r.categoryId)).toEqual([other?.id, other?.id]);
  });

  it("another user's category is 404 to edit or remove, and cannot be a move target", async () => {
    const a = await signedInAgent(app, t.current());
    const b = await signedInAgent(app, t.current());
    const theirs = await byName(a.user.id, "Food");
    expect((await b.agent.get(`/categories/${theirs?.id}/edit`)).status).toBe(404);
    expect((await b.agent.get(`/categories/${theirs?.id}/remove`)).status).toBe(404);
    expect(
      (await b.agent.post(`/categories/${theirs?.id}`, { name: "Mine", color: "1" })).status,
    ).toBe(404);
    expect((await b.agent.post(`/categories/${theirs?.id}/remove`, {})).status).toBe(404);
    const mine = await byName(b.user.id, "Food");
    await spend(b.user.id, mine?.id ?? 0);
    const res = await b.agent.post(`/categories/${mine?.id}/remove`, {
      moveTo: String(theirs?.id),
    });
    expect(res.status).toBe(422);
    expect(await byName(a.user.id, "Food")).toMatchObject({ id: theirs?.id, name: "Food" });
    const [still] = await db()
      .select()
      .from(categories)
      .where(and(eq(categories.userId, b.user.id), eq(categories.id, mine?.id ?? 0)));
    expect(still).toBeDefined();
  });

  it("the transaction form preselects the category used most for that kind", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    // With no history, the first of the starting categories, not the name that sorts first.
    const first = await (await agent.get("/transactions/new")).text();
    expect(selected(first)).toBe("Food");
    expect(selected(await (await agent.get("/transactions/new?kind=income")).text())).toBe(
      "Salary",
    );
    const transport = await byName(user.id, "Transport");
    const salary = await byName(user.id, "Salary");
    await spend(user.id, transport?.id ?? 0);
    await spend(user.id, transport?.id ?? 0);
    await spend(user.id, salary?.id ?? 0, "income");
    expect(selected(await (await agent.get("/transactions/new")).text())).toBe("Transport");
    expect(selected(await (await agent.get("/transactions/new?kind=income")).text())).toBe(
      "Salary",
    );
  });

  it("a transaction whose category is of the other kind is refused with the categories it may use", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const food = await byName(user.id, "Food");
    await agent.get("/transactions/new?kind=income");
    const res = await agent.post("/transactions", {
      kind: "income",
      title: "Pay",
      amount: "10",
      categoryId: String(food?.id),
      occurredOn: "2026-05-01",
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      "Choose one of your income categories: Other income, Salary",
    );
  });
});
