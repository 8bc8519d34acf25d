// The imports page: what each import stored, the list filtered to one import, and undo.
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { bytesSource } from "../src/csv/decode.ts";
import { goodRows } from "../src/csv/rows.ts";
import type { CsvSettings } from "../src/csv/settings.ts";
import { listCategories } from "../src/data/categories.ts";
import { listImportRules } from "../src/data/import-rules.ts";
import { storeImport } from "../src/data/imports.ts";
import type { Db } from "../src/db/client.ts";
import { transactions } from "../src/db/schema.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const DIR = new URL("./fixtures/csv/", import.meta.url);

function importFixture(db: Db, userId: number, name: string) {
  const settings = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8"))
    .settings as CsvSettings;
  const bytes = new Uint8Array(readFileSync(new URL(`${name}.csv`, DIR)));
  return storeImport(db, userId, {
    fileName: `${name}.csv`,
    settings,
    rows: goodRows(bytesSource(bytes), settings),
  });
}

const titles = async (db: Db, userId: number) =>
  (
    await db
      .select({ t: transactions.title })
      .from(transactions)
      .where(eq(transactions.userId, userId))
  )
    .map((r) => r.t)
    .sort();

describeEachDatabase("the imports page", (t) => {
  test("GET /imports lists the user's imports with their counts and links, and nobody else's", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent, user } = await signedInAgent(app, database);
    const other = await signedInAgent(app, database);
    const mine = await importFixture(database.db, user.id, "us-checking");
    await importFixture(database.db, other.user.id, "mac-cr");
    const res = await agent.get("/imports");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("us-checking.csv");
    expect(html).not.toContain("mac-cr.csv");
    expect(html).toContain(`href="/transactions?import=${mine.importId}"`);
    expect(html).toContain(`href="/imports/${mine.importId}/undo"`);
    expect(html).toMatch(/<td class="text-end">5<\/td>/);
  });

  test("the list and the export show one import's rows with ?import=, and the filter form keeps it", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const first = await importFixture(database.db, user.id, "uk-month-names");
    await importFixture(database.db, user.id, "mac-cr");
    const html = await (await agent.get(`/transactions?import=${first.importId}`)).text();
    expect(html).toContain("Coffee shop");
    expect(html).not.toContain("Hardware store");
    expect(html).toContain("3 transactions");
    expect(html).toContain(`<input type="hidden" name="import" value="${first.importId}"/>`);
    const csv = await (await agent.get(`/transactions/export.csv?import=${first.importId}`)).text();
    expect(csv.trimEnd().split("\r\n")).toHaveLength(4);
    expect((await agent.get("/transactions?import=abc")).status).toBe(422);
  });

  test("undo asks first, then deletes that import's rows only; another user's import is not found", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent, user } = await signedInAgent(app, database);
    const stranger = await signedInAgent(app, database);
    const kept = await importFixture(database.db, user.id, "mac-cr");
    const undone = await importFixture(database.db, user.id, "us-checking");
    const ask = await agent.get(`/imports/${undone.importId}/undo`);
    expect(await ask.text()).toContain("its 5 stored rows will be deleted");
    expect(await titles(database.db, user.id)).toHaveLength(7);

    expect((await stranger.agent.get(`/imports/${undone.importId}/undo`)).status).toBe(404);
    expect((await stranger.agent.post(`/imports/${undone.importId}/undo`, {})).status).toBe(404);
    expect((await agent.post(`/imports/${undone.importId}/undo`, { _csrf: "forged" })).status).toBe(
      403,
    );
    expect(await titles(database.db, user.id)).toHaveLength(7);

    const res = await agent.post(`/imports/${undone.importId}/undo`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/imports");
    expect(await (await agent.get("/imports")).text()).toContain(
      "Undid the import of “us-checking.csv”: 5 rows deleted.",
    );
    expect(await titles(database.db, user.id)).toEqual(["Hardware store", "Refund hardware store"]);
    expect(kept.imported).toBe(2);
    expect((await agent.post(`/imports/${undone.importId}/undo`, {})).status).toBe(404);
  });

  test("import rules are added and removed on the imports page and pick the category of imported rows", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent, user } = await signedInAgent(app, database);
    const stranger = await signedInAgent(app, database);
    const housing = (await listCategories(database.db, user.id)).find((c) => c.name === "Housing");
    const theirs = (await listCategories(database.db, stranger.user.id))[0];
    await agent.get("/imports");
    expect(
      (await agent.post("/imports/rules", { contains: "  ", categoryId: String(housing?.id) }))
        .status,
    ).toBe(303);
    expect(await (await agent.get("/imports")).text()).toContain("Enter the text a title contains");
    const nul = await agent.post("/imports/rules", {
      contains: "rent\u0000",
      categoryId: String(housing?.id),
    });
    expect(nul.status).toBe(303);
    expect(await (await agent.get("/imports")).text()).toContain("without the NUL character");
    await agent.post("/imports/rules", { contains: "rent", categoryId: String(theirs?.id) });
    expect(await (await agent.get("/imports")).text()).toContain(
      "Choose one of your categories for the rule.",
    );
    expect(await listImportRules(database.db, user.id)).toEqual([]);

    await agent.post("/imports/rules", { contains: "RENT", categoryId: String(housing?.id) });
    const html = await (await agent.get("/imports")).text();
    expect(html).toContain("<code>RENT</code>");
    const [rule] = await listImportRules(database.db, user.id);
    expect(rule).toMatchObject({ contains: "RENT", categoryName: "Housing", kind: "expense" });

    await importFixture(database.db, user.id, "us-checking");
    const [rent] = await database.db
      .select({ c: transactions.categoryId })
      .from(transactions)
      .where(and(eq(transactions.userId, user.id), eq(transactions.title, "RENT")));
    expect(rent?.c).toBe(housing?.id);

    expect((await stranger.agent.post(`/imports/rules/${rule?.id}/delete`, {})).status).toBe(404);
    expect((await agent.post(`/imports/rules/${rule?.id}/delete`, {})).status).toBe(303);
    expect(await listImportRules(database.db, user.id)).toEqual([]);
  });
});
