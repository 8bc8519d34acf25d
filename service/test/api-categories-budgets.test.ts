import { beforeAll, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createUser } from "../src/data/users.ts";
import type { User } from "../src/db/schema.ts";
import { ApiClient, fetchDocument, OpenApiChecker, tokenFor } from "./support/api.ts";
import { describeEachDatabase, TEST_PASSWORD, testApp, uniqueEmail } from "./support/harness.ts";

describeEachDatabase("API categories and budgets", (t) => {
  let api: ApiClient;
  let other: ApiClient;
  let user: User;

  beforeAll(async () => {
    const app = testApp(t.current(), { now: () => new Date("2026-03-15T12:00:00Z") });
    const checker = new OpenApiChecker(await fetchDocument(app));
    user = await createUser(t.current().db, { email: uniqueEmail(), password: TEST_PASSWORD });
    api = new ApiClient(app, checker, await tokenFor(t.current().db, user.id));
    const stranger = await createUser(t.current().db, {
      email: uniqueEmail(),
      password: TEST_PASSWORD,
    });
    other = new ApiClient(app, checker, await tokenFor(t.current().db, stranger.id));
  });

  const idOf = async (name: string) =>
    (await listCategories(t.current().db, user.id)).find((c) => c.name === name)?.id as number;

  it("GET lists the default categories, expenses first", async () => {
    const res = await api.get("/api/v1/categories");
    expect(res.status).toBe(200);
    const names = res.body.data.map((c: { name: string }) => c.name);
    expect(names.slice(0, 2)).toEqual(["Entertainment", "Food"]);
    expect(res.body.data.at(-1)).toMatchObject({ name: "Salary", kind: "income" });
  });

  it("POST adds one (201, Location); the same name in another case is a 409 naming the field", async () => {
    const res = await api.post("/api/v1/categories", { name: "Books", kind: "expense", color: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), name: "Books", kind: "expense", color: 3 });
    expect(res.headers.get("location")).toBe(`/api/v1/categories/${res.body.id}`);
    const again = await api.post("/api/v1/categories", { name: "books", kind: "expense" });
    expect(again.status).toBe(409);
    expect(again.body.error.fields.name).toContain("already have a category");
  });

  it("POST with an Idempotency-Key adds it once", async () => {
    const headers = { "idempotency-key": "new-category-key-0001" };
    const first = await api.post(
      "/api/v1/categories",
      { name: "Garden", kind: "expense" },
      headers,
    );
    const again = await api.post(
      "/api/v1/categories",
      { name: "Garden", kind: "expense" },
      headers,
    );
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("POST with a colour out of range or a missing kind is a 422 per field", async () => {
    const res = await api.post("/api/v1/categories", { name: "X", color: 10 });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.color).toContain("0 to 9");
    expect(res.body.error.fields.kind).toContain('"expense" or "income"');
  });

  it("PATCH renames; another user's category is a 404", async () => {
    const made = await api.post("/api/v1/categories", { name: "Pets", kind: "expense" });
    const path = `/api/v1/categories/${made.body.id}`;
    const res = await api.patch(path, { name: "Animals" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Animals", color: 0 });
    expect((await api.get(path)).body.name).toBe("Animals");
    expect((await other.get(path)).status).toBe(404);
    expect((await other.patch(path, { name: "Mine" })).status).toBe(404);
    expect((await api.patch(path, { kind: "income" })).status).toBe(422);
  });

  it("DELETE of a category in use needs move_to; then its transactions move", async () => {
    const made = await api.post("/api/v1/categories", { name: "Hobby", kind: "expense" });
    const tx = await api.post("/api/v1/transactions", {
      kind: "expense",
      title: "Paint",
      amount: "20",
      category_id: made.body.id,
      occurred_on: "2026-03-02",
    });
    const path = `/api/v1/categories/${made.body.id}`;
    const refused = await api.delete(path);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("choose the category they move to");
    const other = await idOf("Other");
    expect((await api.delete(`${path}?move_to=${await idOf("Salary")}`)).status).toBe(409);
    expect((await api.delete(`${path}?move_to=${other}`)).status).toBe(204);
    expect((await api.get(`/api/v1/transactions/${tx.body.id}`)).body.category_id).toBe(other);
    expect((await api.get(path)).status).toBe(404);
  });

  it("budgets: set from this month, read with what was spent, cleared with null", async () => {
    const food = await idOf("Food");
    await api.post("/api/v1/transactions", {
      kind: "expense",
      title: "Market",
      amount: "30.25",
      category_id: food,
      occurred_on: "2026-03-05",
    });
    const set = await api.put("/api/v1/budgets", { category_id: food, amount: "200" });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      month: "2026-03",
      from: "2026-03-01",
      to: "2026-03-31",
      editable: true,
    });
    expect(set.body.budgets).toEqual([
      {
        category_id: food,
        category_name: "Food",
        amount: "200.00",
        since: "2026-03",
        spent: "30.25",
      },
    ]);
    await api.put("/api/v1/budgets", { category_id: null, month: "2026-04", amount: "1000.50" });
    const april = await api.get("/api/v1/budgets?month=2026-04");
    expect(
      april.body.budgets.map((b: { category_id: number | null; amount: string }) => [
        b.category_id,
        b.amount,
      ]),
    ).toEqual([
      [null, "1000.50"],
      [food, "200.00"],
    ]);
    const past = await api.get("/api/v1/budgets?month=2026-02");
    expect(past.body).toMatchObject({ editable: false, budgets: [] });
    await api.put("/api/v1/budgets", { category_id: food, month: "2026-05", amount: null });
    expect((await api.get("/api/v1/budgets?month=2026-05")).body.budgets).toHaveLength(1);
  });

  it("budgets refuse past months, income or foreign categories, and float amounts", async () => {
    const food = await idOf("Food");
    const past = await api.put("/api/v1/budgets", {
      category_id: food,
      month: "2026-02",
      amount: "5",
    });
    expect(past.status).toBe(422);
    expect(past.body.error.fields.month).toContain("2026-03 or later");
    const income = await api.put("/api/v1/budgets", {
      category_id: await idOf("Salary"),
      amount: "5",
    });
    expect(income.body.error.fields.category_id).toContain("expense categories");
    const foreign = await other.put("/api/v1/budgets", { category_id: food, amount: "5" });
    expect(foreign.status).toBe(422);
    const float = await api.put("/api/v1/budgets", { category_id: food, amount: 5.5 });
    expect(float.body.error.fields.amount).toContain("not a JSON number");
    expect((await api.get("/api/v1/budgets?month=March")).status).toBe(400);
  });
});
