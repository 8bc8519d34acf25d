// GET /transactions/export.csv: the filtered list as RFC 4180 CSV, neutralised against formula
// injection, and read back by the importer as exactly what was exported.
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { bytesSource } from "../src/csv/decode.ts";
import { guessSettings } from "../src/csv/guess.ts";
import { goodRows } from "../src/csv/rows.ts";
import { listCategories } from "../src/data/categories.ts";
import { storeImport } from "../src/data/imports.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import type { Db } from "../src/db/client.ts";
import { categories, transactions } from "../src/db/schema.ts";
import {
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
  uniqueEmail,
} from "./support/harness.ts";

const HOSTILE = [
  { title: '=HYPERLINK("http://evil","x")', notes: "+SUM(A1)", paymentMethod: "@card" },
  { title: "-2+3", notes: "\tindented", paymentMethod: "'quoted" },
  { title: 'Dinner, "Luigi\'s"', notes: "line one\nline two", paymentMethod: null },
  { title: "東京 ramen", notes: null, paymentMethod: "cash" },
];

async function seed(db: Db, userId: number) {
  const mine = await listCategories(db, userId);
  const food = mine.find((c) => c.name === "Food")?.id as number;
  const salary = mine.find((c) => c.name === "Salary")?.id as number;
  for (const [i, h] of HOSTILE.entries())
    await createTransaction(db, userId, {
      kind: "expense",
      amountCents: BigInt(1000 + i),
      categoryId: food,
      occurredOn: `2024-03-0${i + 1}`,
      ...h,
    });
  await createTransaction(db, userId, {
    kind: "income",
    title: "Salary",
    amountCents: 250000n,
    categoryId: salary,
    occurredOn: "2024-03-31",
    notes: null,
    paymentMethod: null,
  });
}

const stored = (db: Db, userId: number) =>
  db
    .select({
      occurredOn: transactions.occurredOn,
      kind: transactions.kind,
      amountCents: transactions.amountCents,
      title: transactions.title,
      category: categories.name,
      notes: transactions.notes,
      paymentMethod: transactions.paymentMethod,
    })
    .from(transactions)
    .innerJoin(categories, eq(categories.id, transactions.categoryId))
    .where(eq(transactions.userId, userId))
    .orderBy(asc(transactions.occurredOn));

describeEachDatabase("exporting the list as CSV", (t) => {
  test("GET /transactions/export.csv writes a header, ISO dates, signed dot amounts and neutralised free text", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    await seed(database.db, user.id);
    const res = await agent.get("/transactions/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="transactions-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(await res.text()).toBe(
      [
        "Date,Title,Amount,Category,Notes,Payment method",
        "2024-03-31,Salary,2500.00,Salary,,",
        "2024-03-04,東京 ramen,-10.03,Food,,cash",
        '2024-03-03,"Dinner, ""Luigi\'s""",-10.02,Food,"line one\nline two",',
        "2024-03-02,'-2+3,-10.01,Food,'\tindented,''quoted",
        `2024-03-01,"'=HYPERLINK(""http://evil"",""x"")",-10.00,Food,'+SUM(A1),'@card`,
        "",
      ].join("\r\n"),
    );
  });

  test("the export follows the list's filters, and a bad filter is refused with 422", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    await seed(database.db, user.id);
    const income = await (await agent.get("/transactions/export.csv?kind=income")).text();
    expect(income).toBe(
      "Date,Title,Amount,Category,Notes,Payment method\r\n2024-03-31,Salary,2500.00,Salary,,\r\n",
    );
    const searched = await (
      await agent.get("/transactions/export.csv?q=ramen&from=2024-03-01&to=2024-03-31")
    ).text();
    expect(searched.split("\r\n")).toHaveLength(3);
    expect((await agent.get("/transactions/export.csv?from=yesterday")).status).toBe(422);
    const list = await agent.get("/transactions?kind=income&page=2");
    expect(await list.text()).toContain('href="/transactions/export.csv?kind=income"');
  });

  test("the export, re-imported, adds nothing; into another account it gives back every row exactly", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    await seed(database.db, user.id);
    const bytes = new Uint8Array(await (await agent.get("/transactions/export.csv")).arrayBuffer());
    const guess = await guessSettings(bytesSource(bytes));
    expect(guess.settings?.ownExport).toBe(true);
    const settings = guess.settings as NonNullable<typeof guess.settings>;
    const rows = goodRows(bytesSource(bytes), settings);
    const again = await storeImport(database.db, user.id, {
      fileName: "export.csv",
      settings,
      rows,
    });
    expect(again).toMatchObject({ rows: 5, imported: 0, duplicates: 5 });

    const other = await createUser(database.db, { email: uniqueEmail(), password: TEST_PASSWORD });
    const copy = await storeImport(database.db, other.id, {
      fileName: "export.csv",
      settings,
      rows,
    });
    expect(copy).toMatchObject({ imported: 5, createdCategories: [] });
    expect(await stored(database.db, other.id)).toEqual(await stored(database.db, user.id));
  });

  test("a long list is exported whole, read in pages", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const food = (await listCategories(database.db, user.id)).find((c) => c.name === "Food")
      ?.id as number;
    const many = Array.from({ length: 2345 }, (_, i) => ({
      userId: user.id,
      kind: "expense" as const,
      title: `Row ${i}`,
      amountCents: BigInt(i + 1),
      categoryId: food,
      occurredOn: `2024-0${(i % 9) + 1}-15`,
    }));
    await database.db.insert(transactions).values(many);
    const lines = (await (await agent.get("/transactions/export.csv")).text())
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(2346);
    expect(new Set(lines.slice(1)).size).toBe(2345);
  });

  test("signed out, the export redirects to sign in", async () => {
    const res = await testApp(t.current()).request("/transactions/export.csv");
    expect(res.status).toBe(303);
  });
});
