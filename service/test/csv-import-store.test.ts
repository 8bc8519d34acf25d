// Storing statements: one transaction, the duplicate rule, the import each row remembers, undo.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { bytesSource } from "../src/csv/decode.ts";
import { goodRows, type StatementRow } from "../src/csv/rows.ts";
import type { CsvSettings } from "../src/csv/settings.ts";
import { listCategories } from "../src/data/categories.ts";
import { getImport, listImports, storeImport, undoImport } from "../src/data/imports.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import type { Db } from "../src/db/client.ts";
import { categories, importRules, imports, transactions } from "../src/db/schema.ts";
import { describeEachDatabase } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";

const DIR = new URL("./fixtures/csv/", import.meta.url);
const fixture = (name: string) => {
  const expected = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8"));
  const bytes = new Uint8Array(readFileSync(new URL(`${name}.csv`, DIR)));
  return {
    settings: expected.settings as CsvSettings,
    rows: goodRows(bytesSource(bytes), expected.settings),
  };
};

const newUser = (db: Db) =>
  createUser(db, {
    email: `csv-${randomBytes(4).toString("hex")}@example.com`,
    password: "password123",
  });

const countOf = async (db: Db, userId: number) =>
  (
    await db
      .select({ id: transactions.id })
      .from(transactions)
      .where(eq(transactions.userId, userId))
  ).length;

const rowsOf = (rows: StatementRow[]) =>
  async function* () {
    yield* rows;
  };

const coffee: StatementRow = {
  kind: "expense",
  amountCents: 350n,
  occurredOn: "2024-05-02",
  title: "Coffee",
  category: null,
  notes: null,
  paymentMethod: null,
};

describeEachDatabase("storing a CSV import", (t) => {
  test("stores every row with its import, creates the categories the file names, and keeps month totals exact", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const { settings, rows } = fixture("quoted-newlines");
    const result = await storeImport(db, user.id, { fileName: "july.csv", settings, rows });
    expect(result).toMatchObject({
      rows: 3,
      imported: 3,
      duplicates: 0,
      incomeCents: 12000n,
      expenseCents: 8670n,
    });
    expect(result.createdCategories).toEqual(["Restaurants"]);
    const stored = await db
      .select({
        title: transactions.title,
        importId: transactions.importId,
        category: categories.name,
      })
      .from(transactions)
      .innerJoin(categories, eq(categories.id, transactions.categoryId))
      .where(eq(transactions.userId, user.id))
      .orderBy(transactions.occurredOn);
    expect(stored).toEqual([
      { title: `Dinner, "Luigi's"`, importId: result.importId, category: "Restaurants" },
      { title: "Bus pass", importId: result.importId, category: "Transport" },
      { title: "Side job", importId: result.importId, category: "Other income" },
    ]);
    expect(await getImport(db, user.id, result.importId)).toMatchObject({
      status: "done",
      fileName: "july.csv",
      rowCount: 3,
      importedCount: 3,
      settings,
    });
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("a file imported twice adds nothing the second time, while equal rows of one file are all stored the first time", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const { settings, rows } = fixture("us-checking");
    const first = await storeImport(db, user.id, { fileName: "a.csv", settings, rows });
    expect(first).toMatchObject({ rows: 5, imported: 5, duplicates: 0 });
    const second = await storeImport(db, user.id, { fileName: "a.csv", settings, rows });
    expect(second).toMatchObject({
      rows: 5,
      imported: 0,
      duplicates: 5,
      incomeCents: 0n,
      expenseCents: 0n,
    });
    expect(await countOf(db, user.id)).toBe(5);
  });

  test("only the copies beyond those already in the account are stored, hand-entered ones counted, titles compared without case or extra spaces", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const [food] = (await listCategories(db, user.id)).filter((c) => c.name === "Food");
    await createTransaction(db, user.id, {
      ...coffee,
      title: "  COFFEE ",
      categoryId: food?.id as number,
      notes: null,
      paymentMethod: null,
    });
    const three = rowsOf([coffee, coffee, coffee, { ...coffee, amountCents: 351n }]);
    const result = await storeImport(db, user.id, {
      fileName: "c.csv",
      settings: fixture("us-checking").settings,
      rows: three,
    });
    expect(result).toMatchObject({ imported: 3, duplicates: 1 });
    expect(await countOf(db, user.id)).toBe(4);
  });

  test("a failure part-way stores nothing: no rows, no import, no new category", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const before = (await listCategories(db, user.id)).length;
    let reads = 0;
    const failing = async function* () {
      reads++;
      for (let i = 0; i < 1200; i++) {
        // The second read (the one that inserts) fails after two full batches are written.
        if (reads === 2 && i === 1100) throw new Error("disk on fire");
        yield { ...coffee, title: `Row ${i}`, category: i === 0 ? "Brand new" : null };
      }
    };
    await expect(
      storeImport(db, user.id, {
        fileName: "f.csv",
        settings: fixture("us-checking").settings,
        rows: failing,
      }),
    ).rejects.toThrow("disk on fire");
    expect(await countOf(db, user.id)).toBe(0);
    expect(await listImports(db, user.id)).toEqual([]);
    expect((await listCategories(db, user.id)).length).toBe(before);
  });

  test("a dry run reports what it would store and stores nothing", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const { settings, rows } = fixture("quoted-newlines");
    const result = await storeImport(db, user.id, {
      fileName: "d.csv",
      settings,
      rows,
      dryRun: true,
    });
    expect(result).toMatchObject({ imported: 3, createdCategories: ["Restaurants"] });
    expect(await countOf(db, user.id)).toBe(0);
    expect(await listImports(db, user.id)).toEqual([]);
  });

  test("the user's import rules pick the category of rows the file gives none, for the rule's kind only", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const mine = await listCategories(db, user.id);
    const housing = mine.find((c) => c.name === "Housing");
    await db.insert(importRules).values({
      userId: user.id,
      contains: "rent",
      categoryId: housing?.id as number,
      kind: "expense",
    });
    const { settings, rows } = fixture("us-checking");
    await storeImport(db, user.id, { fileName: "r.csv", settings, rows });
    const [rent] = await db
      .select({ categoryId: transactions.categoryId })
      .from(transactions)
      .where(and(eq(transactions.userId, user.id), eq(transactions.title, "RENT")));
    expect(rent?.categoryId).toBe(housing?.id);
  });

  test("undo deletes the import's rows and nothing else, in one transaction; another user cannot undo it", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    const other = await newUser(db);
    const kept = await storeImport(db, user.id, {
      fileName: "k.csv",
      ...fixture("uk-month-names"),
    });
    const undone = await storeImport(db, user.id, { fileName: "u.csv", ...fixture("us-checking") });
    expect(await undoImport(db, other.id, undone.importId)).toBeUndefined();
    expect(await undoImport(db, user.id, undone.importId)).toBe(5);
    expect(await countOf(db, user.id)).toBe(kept.imported);
    expect((await listImports(db, user.id)).map((i) => i.id)).toEqual([kept.importId]);
    expect(await undoImport(db, user.id, undone.importId)).toBeUndefined();
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("deleting a user takes their imports and imported rows", async () => {
    const { db } = t.current();
    const user = await newUser(db);
    await storeImport(db, user.id, { fileName: "x.csv", ...fixture("uk-month-names") });
    await db.execute(sql`delete from users where id = ${user.id}`);
    expect(await db.select().from(imports).where(eq(imports.userId, user.id))).toEqual([]);
  });
});
