// The embedded database's whole-instance dump: taken by the process that holds it while it serves
// (queries meanwhile wait and are not caught in the dump's transaction), offered to the owner on
// the settings page, and loadable into a new embedded folder and into PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, findUserByEmail } from "../src/data/users.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { loadEmbeddedDump } from "../src/db/embedded-dump.ts";
import { migrate } from "../src/db/migrate.ts";
import { accountData, randomAccount, writeAccount } from "./support/account-data.ts";
import { signedInAgent, TEST_PASSWORD, testApp } from "./support/harness.ts";
import { runNpm } from "./support/npm-script.ts";
import { createThrowawayDatabase, requirePostgres } from "./support/postgres.ts";

const postgresReady = await requirePostgres();
const EMAIL = "dumped@example.test";

describe("the embedded database's whole-instance dump", () => {
  let database: Database;
  let dump = "";
  let dir = "";
  let expected: Awaited<ReturnType<typeof accountData>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "et-dump-"));
    database = await openDatabase({});
    await migrate(database.db);
    const user = await createUser(database.db, { email: EMAIL, password: TEST_PASSWORD });
    const [account] = fc.sample(randomAccount, { numRuns: 1, seed: 7 });
    if (!account) throw new Error("no sample");
    await writeAccount(database.db, user.id, account);
    expected = await accountData(database.db, user.id);
    // Queries sent while the dump runs wait for it, and then see the database as usual.
    const [blob, ...during] = await Promise.all([
      (database.dump as () => Promise<Blob>)(),
      ...Array.from({ length: 5 }, () => findUserByEmail(database.db, EMAIL)),
      database.db.transaction(async (tx) => (await tx.query.users.findFirst())?.email),
    ]);
    expect(during.slice(0, 5).map((u) => (u as { email: string } | undefined)?.email)).toEqual(
      Array(5).fill(EMAIL),
    );
    expect(during[5]).toBe(EMAIL);
    dump = await (blob as Blob).text();
    // Afterwards the database takes writes again: the dump's read-only transaction is gone.
    await createUser(database.db, { email: "after-dump@example.test", password: TEST_PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is plain SQL holding the schema, the migrations applied and every row", () => {
    expect(dump).toMatch(/^--\n-- PostgreSQL database dump/);
    expect(dump).toContain("CREATE TABLE public.transactions");
    expect(dump).toContain("CREATE TRIGGER transactions_month_totals_insert");
    expect(dump).toContain("INSERT INTO public.users VALUES");
    expect(dump).toContain("INSERT INTO public.schema_migrations VALUES");
    expect(dump).not.toMatch(/OWNER TO/);
  });

  it("loads into a new embedded folder with the same data (and refuses a folder in use)", async () => {
    const dataDir = join(dir, "loaded");
    await loadEmbeddedDump(dataDir, dump);
    await expect(loadEmbeddedDump(dataDir, dump)).rejects.toThrow(/already holds tables/);
    const loaded = await openDatabase({ dataDir });
    try {
      const user = await findUserByEmail(loaded.db, EMAIL);
      expect(await accountData(loaded.db, user?.id ?? 0)).toEqual(expected);
      // The schema is current, so the server starts on it as it is.
      expect(await migrate(loaded.db)).toEqual([]);
    } finally {
      await loaded.close();
    }
  }, 60_000);

  it.skipIf(!postgresReady)(
    "loads into PostgreSQL with psql's rules, giving the same data",
    async () => {
      const target = await createThrowawayDatabase();
      try {
        // What `psql -f dump.sql` does: one statement after another; a setting PostgreSQL before
        // 17 does not know (transaction_timeout) is the one error.
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        const errors: string[] = [];
        try {
          await client.query(dump);
        } catch (err) {
          errors.push((err as Error).message);
          await client.query(dump.replace(/^SET transaction_timeout = 0;$/m, ""));
        } finally {
          await client.end();
        }
        expect(errors.every((e) => /transaction_timeout/.test(e))).toBe(true);
        const loaded = await openDatabase({ url: target.url, maxConnections: 1 });
        try {
          const user = await findUserByEmail(loaded.db, EMAIL);
          expect(await accountData(loaded.db, user?.id ?? 0)).toEqual(expected);
          expect(await migrate(loaded.db)).toEqual([]);
        } finally {
          await loaded.close();
        }
      } finally {
        await target.drop();
      }
    },
    60_000,
  );

  it("the settings page offers it to the owner only, as a SQL download", async () => {
    const app = testApp(database, { instanceDump: database.dump });
    const owner = await signedInAgent(app, database, { isOwner: true });
    expect(await (await owner.agent.get("/settings")).text()).toContain(
      'href="/settings/database-dump"',
    );
    const res = await owner.agent.get("/settings/database-dump");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/sql; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="expense-tracker-database-\d{4}-\d{2}-\d{2}\.sql"$/,
    );
    expect(await res.text()).toContain("INSERT INTO public.users VALUES");
    const member = await signedInAgent(app, database);
    expect(await (await member.agent.get("/settings")).text()).not.toContain(
      "/settings/database-dump",
    );
    expect((await member.agent.get("/settings/database-dump")).status).toBe(404);
  }, 60_000);

  it("npm run db:load-dump loads it into a new DATA_DIR and refuses one that has data", async () => {
    const file = join(dir, "dump.sql");
    writeFileSync(file, dump);
    const dataDir = join(dir, "cli");
    const first = await runNpm("db:load-dump", ["--file", file], { env: { DATA_DIR: dataDir } });
    expect(first.stdout).toBe(`loaded ${file} into ${dataDir}/pglite\n`);
    expect(first.code).toBe(0);
    const again = await runNpm("db:load-dump", ["--file", file], { env: { DATA_DIR: dataDir } });
    expect(again.stderr).toContain("already holds tables: load a dump only into a new DATA_DIR");
    expect(again.code).toBe(1);
  }, 120_000);
});
