// The web import's choices: unknown category names created or mapped, rules applied in the
// preview and added there, settings saved as a profile and picked on the next upload.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { listProfiles } from "../src/data/import-profiles.ts";
import { deleteStaleStaged } from "../src/data/import-staging.ts";
import { imports } from "../src/db/schema.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";
import {
  importRow,
  previewHtml,
  runJobs,
  settingsFields,
  stagedBytes,
  storedRows,
  uploadFile,
} from "./support/web-import.ts";

const WITH_CATEGORIES = [
  "Date,Payee,Amount,Category",
  "2025-02-01,Corner shop,-4.20,Lebensmittel",
  "2025-02-02,Landlord,-900.00,Miete",
  "2025-02-03,Corner shop,-2.10,lebensmittel",
  "2025-02-04,Cinema,-11.00,Entertainment",
  "",
].join("\n");

const NO_CATEGORIES = [
  "Date,Payee,Amount",
  "2025-03-01,REWE Markt 123,-20.00",
  "2025-03-02,Shell station,-50.00",
  "",
].join("\n");

describeEachDatabase("the web import's choices", (t) => {
  test("unknown category names are offered to create or map; the import creates one and maps the other", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "cats.csv", WITH_CATEGORIES);
    const html = await previewHtml(agent, id);
    expect(html).toContain("Categories your account does not have");
    expect(html).toContain("“Lebensmittel” (expense, 2 rows)");
    expect(html).toContain("“Miete” (expense, 1 row)");
    expect(html).toContain("Entertainment</td>");
    expect(html).toContain("Lebensmittel (new)");
    const food = (await listCategories(database.db, user.id)).find((c) => c.name === "Food");
    const fields = settingsFields(html);
    const at = Object.entries(fields)
      .find(([, v]) => v === "Lebensmittel")?.[0]
      .slice(-1);
    const res = await agent.post(`/imports/${id}/settings`, {
      ...fields,
      [`category${at}`]: String(food?.id),
    });
    expect(res.status).toBe(303);
    const again = await previewHtml(agent, id);
    expect(again).toContain("Food (mapped)");
    expect(again).toContain("Miete (new)");
    expect(again).toMatch(new RegExp(`<option value="${food?.id}" selected="">Map to Food`));
    await agent.post(`/imports/${id}/confirm`, {});
    await runJobs(database.db);
    expect((await importRow(database.db, id))?.status).toBe("done");
    const cats = await listCategories(database.db, user.id);
    const byId = new Map(cats.map((c) => [c.id, c.name]));
    expect(cats.map((c) => c.name)).toContain("Miete");
    expect(cats.map((c) => c.name)).not.toContain("Lebensmittel");
    const rows = await storedRows(database.db, user.id);
    expect(rows.map((r) => byId.get(r.categoryId))).toEqual([
      "Food",
      "Miete",
      "Food",
      "Entertainment",
    ]);
  });

  test("a map choice for a category of another kind or user is ignored: the name is created", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent, user } = await signedInAgent(app, database);
    const other = await signedInAgent(app, database);
    const theirs = (await listCategories(database.db, other.user.id))[0];
    const salary = (await listCategories(database.db, user.id)).find((c) => c.name === "Salary");
    const id = await uploadFile(agent, "cats.csv", WITH_CATEGORIES);
    const fields = settingsFields(await previewHtml(agent, id));
    await agent.post(`/imports/${id}/settings`, {
      ...fields,
      category0: String(theirs?.id),
      category1: String(salary?.id),
    });
    const html = await previewHtml(agent, id);
    expect(html).not.toContain("(mapped)");
    await agent.post(`/imports/${id}/confirm`, {});
    await runJobs(database.db);
    const names = (await listCategories(database.db, user.id)).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["Lebensmittel", "Miete"]));
  });

  test("rules apply in the preview; a rule added there returns to the preview and applies at once", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const cats = await listCategories(database.db, user.id);
    const transport = cats.find((c) => c.name === "Transport");
    const food = cats.find((c) => c.name === "Food");
    const id = await uploadFile(agent, "rules.csv", NO_CATEGORIES);
    expect(await previewHtml(agent, id)).not.toContain("(rule)");
    const added = await agent.post("/imports/rules", {
      contains: "rewe",
      categoryId: String(food?.id),
      back: `/imports/${id}`,
    });
    expect(added.headers.get("location")).toBe(`/imports/${id}`);
    await agent.post("/imports/rules", {
      contains: "Shell",
      categoryId: String(transport?.id),
      back: `/imports/${id}`,
    });
    const html = await previewHtml(agent, id);
    expect(html).toContain("Food (rule)");
    expect(html).toContain("Transport (rule)");
    expect(html).toContain('name="back" value="/imports/');
    // A back address that is not a preview goes to the imports page.
    const elsewhere = await agent.post("/imports/rules", {
      contains: "x",
      categoryId: String(food?.id),
      back: "https://evil.example/",
    });
    expect(elsewhere.headers.get("location")).toBe("/imports");
    await agent.post(`/imports/${id}/confirm`, {});
    await runJobs(database.db);
    const rows = await storedRows(database.db, user.id);
    expect(rows.map((r) => r.categoryId)).toEqual([food?.id, transport?.id]);
  });

  test("the settings are saved as a named profile and picked on the next upload and in a preview", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "card.csv", NO_CATEGORIES);
    const fields = settingsFields(await previewHtml(agent, id));
    await agent.post(`/imports/${id}/settings`, { ...fields, expenseSign: "positive" });
    expect((await agent.post(`/imports/${id}/profile`, { name: "" })).status).toBe(303);
    expect(await listProfiles(database.db, user.id)).toEqual([]);
    const saved = await agent.post(`/imports/${id}/profile`, { name: "My card" });
    expect(saved.status).toBe(303);
    const [profile] = await listProfiles(database.db, user.id);
    expect(profile?.name).toBe("My card");
    expect(profile?.settings).toMatchObject({ expenseSign: "positive", dateColumn: "Date" });
    // The same name again replaces it.
    await agent.post(`/imports/${id}/profile`, { name: "my card" });
    expect(await listProfiles(database.db, user.id)).toHaveLength(1);

    const upload = await agent.get("/imports/new");
    expect(await upload.text()).toContain(`<option value="${profile?.id}">my card</option>`);
    const next = await uploadFile(agent, "card2.csv", NO_CATEGORIES, {
      profileId: String(profile?.id),
    });
    const html = await previewHtml(agent, next);
    expect(settingsFields(html).expenseSign).toBe("positive");
    expect(html).toContain("Income $70.00, expenses $0.00.");

    const plain = await uploadFile(agent, "card3.csv", NO_CATEGORIES);
    expect(await previewHtml(agent, plain)).toContain("Income $0.00, expenses $70.00.");
    await agent.post(`/imports/${plain}/settings`, { profileId: String(profile?.id) });
    expect(await previewHtml(agent, plain)).toContain("Income $70.00, expenses $0.00.");
  });

  test("staged uploads older than the cut-off are deleted with their bytes; newer ones and queued ones stay", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const old = await uploadFile(agent, "old.csv", NO_CATEGORIES);
    const queued = await uploadFile(agent, "queued.csv", NO_CATEGORIES);
    await agent.post(`/imports/${queued}/confirm`, {});
    const fresh = await uploadFile(agent, "fresh.csv", NO_CATEGORIES);
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await database.db.update(imports).set({ createdAt: dayAgo }).where(eq(imports.userId, user.id));
    await database.db.update(imports).set({ createdAt: new Date() }).where(eq(imports.id, fresh));
    expect(
      await deleteStaleStaged(database.db, new Date(Date.now() - 24 * 60 * 60 * 1000)),
    ).toBeGreaterThanOrEqual(1);
    expect(await importRow(database.db, old)).toBeUndefined();
    expect(await stagedBytes(database.db, old)).toBe(0);
    expect((await importRow(database.db, queued))?.status).toBe("queued");
    expect((await importRow(database.db, fresh))?.status).toBe("staged");
  });
});
