import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createUser } from "../src/data/users.ts";
import { idempotentRequests, transactions, type User } from "../src/db/schema.ts";
import { ApiClient, fetchDocument, OpenApiChecker, tokenFor } from "./support/api.ts";
import { describeEachDatabase, TEST_PASSWORD, testApp, uniqueEmail } from "./support/harness.ts";

describeEachDatabase("API transactions", (t) => {
  let api: ApiClient;
  let other: ApiClient;
  let user: User;
  let food: number;
  let salary: number;
  const rows = () =>
    t.current().db.select().from(transactions).where(eq(transactions.userId, user.id));

  beforeAll(async () => {
    // 2026-01-01 03:00 UTC is still 2025-12-31 in Los Angeles.
    const app = testApp(t.current(), { now: () => new Date("2026-01-01T03:00:00Z") });
    const checker = new OpenApiChecker(await fetchDocument(app));
    const db = t.current().db;
    user = await createUser(db, {
      email: uniqueEmail(),
      password: TEST_PASSWORD,
      timeZone: "America/Los_Angeles",
    });
    const cats = await listCategories(db, user.id);
    food = cats.find((c) => c.name === "Food")?.id as number;
    salary = cats.find((c) => c.name === "Salary")?.id as number;
    api = new ApiClient(app, checker, await tokenFor(db, user.id));
    const stranger = await createUser(db, { email: uniqueEmail(), password: TEST_PASSWORD });
    other = new ApiClient(app, checker, await tokenFor(db, stranger.id));
  });

  const coffee = (extra: Record<string, unknown> = {}) => ({
    kind: "expense",
    title: "Coffee",
    amount: "3.5",
    category_id: food,
    occurred_on: "2025-11-03",
    ...extra,
  });

  it("POST adds a transaction: 201, Location, amounts as decimal strings", async () => {
    const res = await api.post("/api/v1/transactions", coffee({ notes: "  with milk " }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: "expense",
      title: "Coffee",
      amount: "3.50",
      category_id: food,
      category_name: "Food",
      occurred_on: "2025-11-03",
      notes: "with milk",
      payment_method: null,
    });
    expect(res.headers.get("location")).toBe(`/api/v1/transactions/${res.body.id}`);
    const [row] = (await rows()).filter((r) => r.id === res.body.id);
    expect(row?.amountCents).toBe(350n);
  });

  it("POST without occurred_on uses today in the user's time zone", async () => {
    const res = await api.post("/api/v1/transactions", coffee({ occurred_on: undefined }));
    expect(res.status).toBe(201);
    expect(res.body.occurred_on).toBe("2025-12-31");
  });

  it("POST with a JSON number for the amount is refused with 422, saying strings are asked", async () => {
    const before = (await rows()).length;
    const res = await api.post("/api/v1/transactions", coffee({ amount: 12.5 }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.fields.amount).toContain("a string, not a JSON number");
    expect((await rows()).length).toBe(before);
  });

  it.each([
    ["amount", "12.345", "at most 2 decimals"],
    ["amount", "1e3", "decimal string"],
    ["amount", "0", "above 0"],
    ["occurred_on", "2025-02-30", "ISO date"],
    ["title", "   ", "must not be empty"],
    ["kind", "gift", '"expense" or "income"'],
    ["category_id", 1.5, "whole number"],
    ["category_id", "3", "whole number"],
    ["notes", "a\u0000b", "NUL"],
  ])("POST with %s=%j is refused with 422 naming the field", async (field, value, says) => {
    const res = await api.post("/api/v1/transactions", coffee({ [field]: value }));
    expect(res.status).toBe(422);
    expect(res.body.error.fields[field]).toContain(says);
  });

  it("POST with an unknown field names it and lists the fields", async () => {
    const res = await api.post("/api/v1/transactions", coffee({ occured_on: "2025-11-03" }));
    expect(res.status).toBe(422);
    expect(res.body.error.fields.occured_on).toContain("the fields are: kind, title, amount");
  });

  it("POST with an income category for an expense lists the expense categories", async () => {
    const res = await api.post("/api/v1/transactions", coffee({ category_id: salary }));
    expect(res.status).toBe(422);
    expect(res.body.error.fields.category_id).toContain(`${food} (Food)`);
  });

  it("POST with an Idempotency-Key saves once and replays the first answer", async () => {
    const key = "bank-sync-2025-11-03-0001";
    const before = (await rows()).length;
    const first = await api.post("/api/v1/transactions", coffee({ title: "Once" }), {
      "idempotency-key": key,
    });
    const again = await api.post("/api/v1/transactions", coffee({ title: "Once" }), {
      "idempotency-key": key,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect((await rows()).length).toBe(before + 1);
    const stored = await t
      .current()
      .db.select()
      .from(idempotentRequests)
      .where(eq(idempotentRequests.key, key));
    expect(stored).toHaveLength(1);
  });

  it("the same Idempotency-Key with another body is refused with 422 and saves nothing", async () => {
    const key = "bank-sync-2025-11-03-0002";
    await api.post("/api/v1/transactions", coffee(), { "idempotency-key": key });
    const before = (await rows()).length;
    const res = await api.post("/api/v1/transactions", coffee({ amount: "4.00" }), {
      "idempotency-key": key,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain("already used with a different request");
    expect((await rows()).length).toBe(before);
  });

  it("an Idempotency-Key of the wrong shape is a 400 that says what is accepted", async () => {
    const res = await api.post("/api/v1/transactions", coffee(), { "idempotency-key": "short" });
    expect(res.status).toBe(400);
    expect(res.body.error.fields["Idempotency-Key"]).toContain("16 to 100 letters");
  });

  it("GET /{id} returns it; another user's id and impossible ids are 404", async () => {
    const made = await api.post("/api/v1/transactions", coffee({ title: "Mine" }));
    const got = await api.get(`/api/v1/transactions/${made.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(made.body);
    const theirs = await other.get(`/api/v1/transactions/${made.body.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe("not_found");
    for (const id of ["0", "-1", "1.5", "99999999999", "abc"]) {
      expect((await api.get(`/api/v1/transactions/${id}`)).status).toBe(404);
    }
    expect((await other.delete(`/api/v1/transactions/${made.body.id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/transactions/${made.body.id}`, { title: "x" })).status).toBe(
      404,
    );
    expect((await api.get(`/api/v1/transactions/${made.body.id}`)).body.title).toBe("Mine");
  });

  it("PATCH changes only the fields sent; null clears notes", async () => {
    const made = await api.post(
      "/api/v1/transactions",
      coffee({ notes: "n", payment_method: "Card" }),
    );
    const res = await api.patch(`/api/v1/transactions/${made.body.id}`, {
      amount: "7",
      notes: null,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made.body, amount: "7.00", notes: null });
  });

  it("PATCH to income without an income category is refused; with one it moves", async () => {
    const made = await api.post("/api/v1/transactions", coffee());
    const path = `/api/v1/transactions/${made.body.id}`;
    expect((await api.patch(path, { kind: "income" })).status).toBe(422);
    const res = await api.patch(path, { kind: "income", category_id: salary });
    expect(res.status).toBe(200);
    expect(res.body.category_name).toBe("Salary");
  });

  it("DELETE removes it: 204, then 404", async () => {
    const made = await api.post("/api/v1/transactions", coffee());
    const path = `/api/v1/transactions/${made.body.id}`;
    const res = await api.delete(path);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await api.get(path)).status).toBe(404);
  });

  it("GET lists with the list page's filters, newest first, with exact totals", async () => {
    await api.post(
      "/api/v1/transactions",
      coffee({ title: "Rent March", amount: "900", occurred_on: "2024-03-01" }),
    );
    await api.post(
      "/api/v1/transactions",
      coffee({ title: "Lunch March", amount: "0.10", occurred_on: "2024-03-20" }),
    );
    await api.post("/api/v1/transactions", {
      kind: "income",
      title: "Pay March",
      amount: "1000.20",
      category_id: salary,
      occurred_on: "2024-03-25",
    });
    const res = await api.get("/api/v1/transactions?from=2024-03-01&to=2024-03-31");
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { title: string }) => r.title)).toEqual([
      "Pay March",
      "Lunch March",
      "Rent March",
    ]);
    expect(res.body).toMatchObject({ page: 1, per_page: 50, pages: 1, total: 3 });
    expect(res.body.totals).toEqual({ income: "1000.20", expense: "900.10", net: "100.10" });
    const expenses = await api.get(
      "/api/v1/transactions?from=2024-03-01&to=2024-03-31&kind=expense&q=lunch",
    );
    expect(expenses.body.data.map((r: { title: string }) => r.title)).toEqual(["Lunch March"]);
    expect(expenses.body.totals.net).toBe("-0.10");
    const byCategory = await api.get(
      `/api/v1/transactions?from=2024-03-01&to=2024-03-31&category=${salary}`,
    );
    expect(byCategory.body.total).toBe(1);
    expect((await other.get("/api/v1/transactions?from=2024-03-01&to=2024-03-31")).body.total).toBe(
      0,
    );
  });

  it("GET pages through 50 at a time", async () => {
    for (let i = 0; i < 51; i++) {
      await api.post(
        "/api/v1/transactions",
        coffee({ title: `Bulk ${i}`, occurred_on: "2023-05-10" }),
      );
    }
    const q = "/api/v1/transactions?from=2023-05-01&to=2023-05-31";
    const first = await api.get(q);
    expect(first.body).toMatchObject({ total: 51, pages: 2 });
    expect(first.body.data).toHaveLength(50);
    const second = await api.get(`${q}&page=2`);
    expect(second.body.data.map((r: { title: string }) => r.title)).toEqual(["Bulk 0"]);
    expect((await api.get(`${q}&page=3`)).body.data).toEqual([]);
  });

  it.each([
    ["from=2024-13-01", "from"],
    ["to=yesterday", "to"],
    ["from=2024-03-02&to=2024-03-01", "to"],
    ["kind=gift", "kind"],
    ["category=x", "category"],
    ["page=0", "page"],
  ])("GET with %s is a 400 naming %s", async (query, field) => {
    const res = await api.get(`/api/v1/transactions?${query}`);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toContain(field);
  });
});
