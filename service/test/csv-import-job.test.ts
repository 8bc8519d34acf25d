// The web import's background job: each queued import stored exactly once however many runners
// poll, all of it in one transaction or nothing, and an import a dead runner left is taken again.
import { count, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { categories, imports, MAX_CATEGORIES } from "../src/db/schema.ts";
import { importJobs, startImportJobs } from "../src/jobs/imports.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";
import { importRow, runJobs, stagedBytes, storedRows, uploadFile } from "./support/web-import.ts";

const rows = (n: number, category: (i: number) => string) =>
  `Date,Title,Amount,Category\n${Array.from(
    { length: n },
    (_, i) =>
      `2025-04-${String((i % 28) + 1).padStart(2, "0")},Row ${i},-1.${String(i % 100).padStart(2, "0")},${category(i)}`,
  ).join("\n")}\n`;

async function queued(t: { current(): import("../src/db/client.ts").Database }, content: string) {
  const database = t.current();
  const { agent, user } = await signedInAgent(testApp(database), database);
  const id = await uploadFile(agent, "job.csv", content);
  await agent.get(`/imports/${id}`);
  const res = await agent.post(`/imports/${id}/confirm`, {});
  expect(res.status).toBe(303);
  expect((await importRow(database.db, id))?.status).toBe("queued");
  return { database, user, id };
}

describeEachDatabase("the import job", (t, driver) => {
  // PGlite has one connection: other statements wait for the job's commit, so this is PostgreSQL's.
  test.runIf(driver === "postgres")(
    "while a job runs, its progress shows from outside its transaction and a second runner skips it",
    async () => {
      const { database, user, id } = await queued(
        t,
        rows(20_000, () => "Food"),
      );
      const a = importJobs({ db: database.db, logger: silentLogger });
      const running = a.drain();
      let seen = await importRow(database.db, id);
      const deadline = Date.now() + 20_000;
      while ((seen?.processedCount ?? 0) < 500 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        seen = await importRow(database.db, id);
      }
      expect(seen?.status).toBe("running");
      expect(seen?.processedCount).toBeGreaterThanOrEqual(500);
      expect(await storedRows(database.db, user.id)).toEqual([]);
      expect(await importJobs({ db: database.db, logger: silentLogger }).drain()).toBe(0);
      expect(await running).toBe(1);
      expect(await importRow(database.db, id)).toMatchObject({
        status: "done",
        processedCount: 20_000,
      });
      expect(await storedRows(database.db, user.id)).toHaveLength(20_000);
    },
    60_000,
  );

  test.runIf(driver === "postgres")(
    "a runner stopped mid-job (as at shutdown) leaves nothing stored, and the import is taken again",
    async () => {
      const { database, user, id } = await queued(
        t,
        rows(20_000, () => "Food"),
      );
      const jobs = startImportJobs({ db: database.db, logger: silentLogger, pollMs: 20 });
      const deadline = Date.now() + 20_000;
      while (
        ((await importRow(database.db, id))?.processedCount ?? 0) < 500 &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 10));
      await jobs.stop();
      expect(await importRow(database.db, id)).toMatchObject({ status: "running" });
      expect(await storedRows(database.db, user.id)).toEqual([]);
      expect(await stagedBytes(database.db, id)).toBe(1);
      expect(await runJobs(database.db)).toBe(1);
      expect(await importRow(database.db, id)).toMatchObject({
        status: "done",
        importedCount: 20_000,
      });
      expect(await storedRows(database.db, user.id)).toHaveLength(20_000);
    },
    60_000,
  );

  test("two runners polling at once store a queued import exactly once", async () => {
    const { database, user, id } = await queued(
      t,
      rows(1200, () => "Food"),
    );
    const a = importJobs({ db: database.db, logger: silentLogger });
    const b = importJobs({ db: database.db, logger: silentLogger });
    const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
    expect(ranA + ranB).toBe(1);
    expect(await runJobs(database.db)).toBe(0);
    expect(await storedRows(database.db, user.id)).toHaveLength(1200);
    expect(await importRow(database.db, id)).toMatchObject({
      status: "done",
      importedCount: 1200,
      processedCount: 1200,
    });
    expect(await stagedBytes(database.db, id)).toBe(0);
  });

  test("a failure part-way stores nothing: no row, no category; the import is failed with its reason", async () => {
    const database = t.current();
    const { agent, user } = await signedInAgent(testApp(database), database);
    const have = (await listCategories(database.db, user.id)).length;
    await database.db.insert(categories).values(
      Array.from({ length: MAX_CATEGORIES - have - 1 }, (_, i) => ({
        userId: user.id,
        name: `Filler ${i}`,
        kind: "expense" as const,
      })),
    );
    // 700 rows in Food, past the first batch of 500; then two new names, one more than there is room for.
    const content = rows(702, (i) => (i < 700 ? "Food" : `New ${i}`));
    const id = await uploadFile(agent, "full.csv", content);
    await agent.get(`/imports/${id}`);
    await agent.post(`/imports/${id}/confirm`, {});
    expect(await runJobs(database.db)).toBe(1);
    const failed = await importRow(database.db, id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toContain(
      `the account has ${MAX_CATEGORIES} categories, the most there can be`,
    );
    expect(await storedRows(database.db, user.id)).toEqual([]);
    const [n] = await database.db
      .select({ n: count() })
      .from(categories)
      .where(eq(categories.userId, user.id));
    expect(n?.n).toBe(MAX_CATEGORIES - 1);
    expect(await stagedBytes(database.db, id)).toBe(0);
    const page = await (await agent.get(`/imports/${id}`)).text();
    expect(page).toContain("The import failed and stored nothing.");
  });

  test("an import left running by a runner that died (its bytes unlocked) is taken again and stored once", async () => {
    const { database, user, id } = await queued(
      t,
      rows(30, () => "Food"),
    );
    await database.db
      .update(imports)
      .set({ status: "running", processedCount: 10 })
      .where(eq(imports.id, id));
    expect(await runJobs(database.db)).toBe(1);
    expect(await importRow(database.db, id)).toMatchObject({ status: "done", importedCount: 30 });
    expect(await storedRows(database.db, user.id)).toHaveLength(30);
  });

  test("the polling runner takes a queued import by itself", async () => {
    const { database, user, id } = await queued(
      t,
      rows(50, () => "Food"),
    );
    const jobs = startImportJobs({ db: database.db, logger: silentLogger, pollMs: 20 });
    const deadline = Date.now() + 10_000;
    while ((await importRow(database.db, id))?.status !== "done" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await jobs.stop();
    expect((await importRow(database.db, id))?.status).toBe("done");
    expect(await storedRows(database.db, user.id)).toHaveLength(50);
  });
});
