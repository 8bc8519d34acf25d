// The web import: upload, preview with the guessed (and edited) settings, nothing stored before
// the confirm, the confirm handing the import to the background job, and the limits.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { imports } from "../src/db/schema.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";
import {
  fixtureBytes,
  importRow,
  previewHtml,
  runJobs,
  settingsFields,
  stagedBytes,
  storedRows,
  uploadFile,
} from "./support/web-import.ts";

const SEMICOLON = [
  "Datum;Empfänger;Betrag;Kategorie",
  "02.01.2025;REWE Markt;-12,34;Food",
  "03.01.2025;Gehalt Januar;2.500,00;Salary",
  "04.01.2025;Bäckerei;-3,50;Food",
  "05.13.2025;Kaputt;-1,00;Food",
  "06.01.2025;Kein Betrag;;Food",
  "",
].join("\n");

describeEachDatabase("the web import", (t) => {
  test("an upload is staged and previewed with the guessed settings; nothing is stored before the confirm", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "de-sparkasse.csv", fixtureBytes("de-sparkasse.csv"));
    expect((await importRow(database.db, id))?.status).toBe("staged");
    expect(await stagedBytes(database.db, id)).toBe(1);
    const html = await previewHtml(agent, id);
    const fields = settingsFields(html);
    expect(fields).toMatchObject({
      encoding: "latin1",
      delimiter: ";",
      skipRows: "5",
      dateColumn: "Buchungstag",
      dateFormat: "DD.MM.YYYY",
      titleColumn0: "Beguenstigter/Zahlungspflichtiger",
      titleColumn1: "Verwendungszweck",
      amountColumn: "Betrag",
      decimal: ",",
      expenseSign: "negative",
    });
    expect(html).toContain("4 rows: 4 to import, 0 bad. Income $3,210.99, expenses $1,077.25.");
    expect(html).toContain("Stadtwerke München - Abschlag Strom März");
    expect(html).toContain("2024-03-04");
    expect(html).toContain("-$1,050.00");
    expect(await storedRows(database.db, user.id)).toEqual([]);
  });

  test("the preview re-reads the staged file with edited settings and lists every bad row", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "konto.csv", SEMICOLON);
    const html = await previewHtml(agent, id);
    expect(html).toContain("5 rows: 3 to import, 2 bad.");
    expect(html).toContain(
      "Line 5: date &quot;05.13.2025&quot; is not a date in the format DD.MM.YYYY",
    );
    expect(html).toContain("Line 6: no amount in column &quot;Betrag&quot;");
    const edited = { ...settingsFields(html), expenseSign: "positive", titleColumn0: "Kategorie" };
    const res = await agent.post(`/imports/${id}/settings`, edited);
    expect(res.status).toBe(303);
    const again = await previewHtml(agent, id);
    expect(settingsFields(again).expenseSign).toBe("positive");
    // Card-statement signs: the salary is now money out, the two purchases money in.
    expect(again).toContain("Income $15.84, expenses $2,500.00.");
    expect(again).toMatch(/<td class="text-break">Salary<\/td>/);
    expect(await storedRows(database.db, user.id)).toEqual([]);
    const refused = await agent.post(`/imports/${id}/settings`, { ...edited, delimiter: "x" });
    expect(refused.status).toBe(303);
    expect(await previewHtml(agent, id)).toContain("Delimiter: choose , ; tab or |.");
  });

  test("the confirm queues the import at once; the job stores every good row and the page shows its progress, then its result", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "konto.csv", SEMICOLON);
    await previewHtml(agent, id);
    const res = await agent.post(`/imports/${id}/confirm`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/imports/${id}`);
    expect((await importRow(database.db, id))?.status).toBe("queued");
    expect(await storedRows(database.db, user.id)).toEqual([]);
    const progress = await (await agent.get(`/imports/${id}`)).text();
    expect(progress).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(progress).toContain("0 of 3");
    // A second confirm (a double click) changes nothing.
    expect((await agent.post(`/imports/${id}/confirm`, {})).status).toBe(303);

    expect(await runJobs(database.db)).toBe(1);
    const done = await importRow(database.db, id);
    expect(done).toMatchObject({ status: "done", rowCount: 5, badCount: 2, importedCount: 3 });
    expect(done?.processedCount).toBe(3);
    expect(await stagedBytes(database.db, id)).toBe(0);
    const rows = await storedRows(database.db, user.id);
    expect(rows.map((r) => [r.occurredOn, r.title, r.kind, r.amountCents])).toEqual([
      ["2025-01-02", "REWE Markt", "expense", 1234n],
      ["2025-01-03", "Gehalt Januar", "income", 250000n],
      ["2025-01-04", "Bäckerei", "expense", 350n],
    ]);
    expect(rows.every((r) => r.importId === id)).toBe(true);
    const result = await (await agent.get(`/imports/${id}`)).text();
    expect(result).not.toContain("http-equiv");
    expect(result).toContain(
      "Imported 3 rows; 0 duplicates skipped (already in the account); 2 bad rows skipped.",
    );
    // The same file again: every row is a duplicate.
    const second = await uploadFile(agent, "konto.csv", SEMICOLON);
    await agent.post(`/imports/${second}/confirm`, {});
    await runJobs(database.db);
    expect(await importRow(database.db, second)).toMatchObject({
      importedCount: 0,
      duplicateCount: 3,
    });
    expect(await storedRows(database.db, user.id)).toHaveLength(3);
  });

  test("a file over 20 MB is answered 413 with the limit and stages nothing; 2 MB, over the 1 MB of other forms, is taken", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const line = "2025-01-02,Coffee at the corner cafe,-3.50\n";
    const big = `Date,Title,Amount\n${line.repeat(Math.ceil((20 * 1024 * 1024) / line.length) + 10)}`;
    const res = await agent.upload("/imports/upload", { name: "big.csv", content: big });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain(
      "The file is larger than 20 MB, the most this page accepts.",
    );
    const mine = await database.db.select().from(imports).where(eq(imports.userId, user.id));
    expect(mine).toEqual([]);
    const two = `Date,Title,Amount\n${line.repeat(Math.ceil((2 * 1024 * 1024) / line.length))}`;
    const id = await uploadFile(agent, "two.csv", two);
    expect((await importRow(database.db, id))?.rowCount).toBe(
      Math.ceil((2 * 1024 * 1024) / line.length),
    );
    // Other routes keep the 1 MB limit.
    const other = await agent.post("/imports/rules", { contains: "x".repeat(1024 * 1024 + 10) });
    expect(other.status).toBe(413);
  });

  test("a file of 200,001 rows is refused with the limit and stages nothing; 200,000 is taken", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const file = (n: number) => `D,T,A\n${"2025-01-02,x,1\n".repeat(n)}`;
    const res = await agent.upload("/imports/upload", { name: "many.csv", content: file(200_001) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      "The file has 200,001 rows; the web import takes at most 200,000.",
    );
    expect(await database.db.select().from(imports).where(eq(imports.userId, user.id))).toEqual([]);
    const id = await uploadFile(agent, "most.csv", file(200_000));
    expect((await importRow(database.db, id))?.rowCount).toBe(200_000);
  }, 60_000);

  test("the upload route still needs the form's CSRF token", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    for (const token of ["", "x".repeat(86)]) {
      const res = await agent.upload(
        "/imports/upload",
        { name: "a.csv", content: SEMICOLON },
        { _csrf: token },
      );
      expect(res.status).toBe(403);
    }
    const other = await signedInAgent(testApp(database), database);
    const stolen = await agent.upload(
      "/imports/upload",
      { name: "a.csv", content: SEMICOLON },
      { _csrf: other.agent.csrf },
    );
    expect(stolen.status).toBe(403);
    expect(await database.db.select().from(imports).where(eq(imports.userId, user.id))).toEqual([]);
  });

  test("another user's import is not found: preview, settings, confirm, profile, discard", async () => {
    const database = t.current();
    const app = testApp(database);
    const { agent } = await signedInAgent(app, database);
    const stranger = await signedInAgent(app, database);
    const id = await uploadFile(agent, "konto.csv", SEMICOLON);
    expect((await stranger.agent.get(`/imports/${id}`)).status).toBe(404);
    for (const action of ["settings", "confirm", "profile", "discard"])
      expect((await stranger.agent.post(`/imports/${id}/${action}`, { name: "p" })).status).toBe(
        404,
      );
    expect((await importRow(database.db, id))?.status).toBe("staged");
    expect((await agent.post(`/imports/${id}/discard`, {})).status).toBe(303);
    expect(await importRow(database.db, id)).toBeUndefined();
  });

  test("the file keeps its own name without folders or control characters; a running import cannot be undone", async () => {
    const database = t.current();
    const { agent } = await signedInAgent(testApp(database), database);
    const id = await uploadFile(agent, "C:\\Users\\me\\kon\u0000to\u0007.csv", SEMICOLON);
    expect((await importRow(database.db, id))?.fileName).toBe("konto.csv");
    await agent.post(`/imports/${id}/confirm`, {});
    const undo = await agent.post(`/imports/${id}/undo`, {});
    expect(undo.headers.get("location")).toBe(`/imports/${id}`);
    expect((await importRow(database.db, id))?.status).toBe("queued");
    await runJobs(database.db);
    expect((await agent.post(`/imports/${id}/undo`, {})).headers.get("location")).toBe("/imports");
    expect(await importRow(database.db, id)).toBeUndefined();
  });

  test("an upload without a file, or with a profile that is not the user's, is refused", async () => {
    const database = t.current();
    const { agent } = await signedInAgent(testApp(database), database);
    const empty = await agent.upload("/imports/upload", { name: "e.csv", content: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Choose a CSV file to upload");
    const bad = await agent.upload(
      "/imports/upload",
      { name: "a.csv", content: SEMICOLON },
      { profileId: "999999" },
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Choose one of your saved profiles");
  });
});
