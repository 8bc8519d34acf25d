// `npm run import:csv` as a user runs it: against the embedded database and PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totalTransactions } from "../../service/src/data/transactions.ts";
import { createUser, findUserByEmail } from "../../service/src/data/users.ts";
import { type Database, openDatabase } from "../../service/src/db/client.ts";
import { migrate } from "../../service/src/db/migrate.ts";
import { TEST_PASSWORD } from "../../service/test/support/harness.ts";
import { runNpm } from "../../service/test/support/npm-script.ts";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "../../service/test/support/postgres.ts";
import { readCsvFlags } from "../import/csv-flags.ts";

const FIXTURES = new URL("../../service/test/fixtures/csv/", import.meta.url).pathname;
const EMAIL = "csv@example.test";
const postgresReady = await requirePostgres();

describe("the flags", () => {
  it("reads every flag into settings", () => {
    const command = readCsvFlags([
      "f.csv",
      "--email",
      EMAIL,
      "--encoding",
      "latin1",
      "--delimiter",
      "tab",
      "--skip-rows",
      "3",
      "--date-column",
      "Day",
      "--date-format",
      "D.M.YY",
      "--title-column",
      "Payee",
      "--title-column",
      "Memo",
      "--debit-column",
      "Out",
      "--credit-column",
      "In",
      "--decimal",
      ",",
      "--expense-sign",
      "positive",
      "--category-column",
      "Cat",
      "--dry-run",
    ]);
    expect(command).toEqual({
      file: "f.csv",
      email: EMAIL,
      dryRun: true,
      skipBadRows: false,
      given: {
        encoding: "latin1",
        delimiter: "\t",
        skipRows: 3,
        dateColumn: "Day",
        dateFormat: "D.M.YY",
        titleColumns: ["Payee", "Memo"],
        amount: { debit: "Out", credit: "In" },
        decimal: ",",
        expenseSign: "positive",
        categoryColumn: "Cat",
      },
    });
  });

  it.each([
    [["--encoding", "utf-16"], "--encoding takes utf-8 or latin1"],
    [["--delimiter", ":"], "--delimiter takes , ; tab or |"],
    [["--skip-rows", "two"], "--skip-rows takes a whole number"],
    [["--date-format", "DD/MM"], "needs a year, a month and a day"],
    [["--decimal", "'"], "--decimal takes . or ,"],
    [["--expense-sign", "minus"], "--expense-sign takes negative or positive"],
    [["--amount-column", "A", "--debit-column", "D", "--credit-column", "C"], "not both"],
    [["--debit-column", "D"], "go together"],
  ])("%j is refused with what it accepts", (flags, message) => {
    const result = readCsvFlags(["f.csv", "--email", EMAIL, ...flags]);
    expect("problems" in result && result.problems.join("\n")).toContain(message);
  });
});

interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
}

function describeCommand(name: string, target: () => Target) {
  describe(name, () => {
    const run = (args: string[]) =>
      runNpm("import:csv", args, { env: target().env, timeoutMs: 90_000 });
    const total = async () => {
      const database = await target().open();
      try {
        const user = await findUserByEmail(database.db, EMAIL);
        return await totalTransactions(database.db, user?.id ?? 0, {});
      } finally {
        await database.close();
      }
    };

    it("guesses the settings, prints them as flags, imports and sums up; a second run adds nothing", async () => {
      const first = await run([`${FIXTURES}de-sparkasse.csv`, "--email", EMAIL]);
      expect(first.stderr).toBe("");
      expect(first.stdout).toContain(
        "settings: --encoding latin1 --delimiter ';' --skip-rows 5 --date-column Buchungstag --date-format DD.MM.YYYY --title-column Beguenstigter/Zahlungspflichtiger --title-column Verwendungszweck --amount-column Betrag --decimal ',' --expense-sign negative\n",
      );
      expect(first.stdout).toContain(
        `imported 4 rows into ${EMAIL}: income 3210.99, expenses 1077.25\n0 duplicates skipped (already in the account), 0 bad rows skipped\n`,
      );
      expect(first.code).toBe(0);
      const again = await run([`${FIXTURES}de-sparkasse.csv`, "--email", EMAIL]);
      expect(again.stdout).toContain("imported 0 rows");
      expect(again.stdout).toContain("4 duplicates skipped");
      expect(again.code).toBe(0);
      expect(await total()).toMatchObject({
        count: 4,
        incomeCents: 321099n,
        expenseCents: 107725n,
      });
    }, 120_000);

    it("with bad rows it lists each, stores nothing and exits 1; --skip-bad-rows imports the rest", async () => {
      const before = (await total()).count;
      const refused = await run([`${FIXTURES}bad-rows.csv`, "--email", EMAIL]);
      expect(refused.stdout).toContain(
        'bad row, line 4: column "Amount": "-1,2,3" is not an amount\n',
      );
      expect(refused.stderr).toContain("4 bad rows: nothing stored");
      expect(refused.code).toBe(1);
      expect((await total()).count).toBe(before);
      const skipped = await run([`${FIXTURES}bad-rows.csv`, "--email", EMAIL, "--skip-bad-rows"]);
      expect(skipped.stdout).toContain("imported 2 rows");
      expect(skipped.stdout).toContain("4 bad rows skipped");
      expect(skipped.code).toBe(0);
      expect((await total()).count).toBe(before + 2);
    }, 120_000);

    it("asks for the date format when the dates fit both orders, and takes it as a flag; --dry-run stores nothing", async () => {
      const file = `${FIXTURES}ambiguous-dates.csv`;
      const asked = await run([file, "--email", EMAIL]);
      expect(asked.stderr).toContain("give --date-format DD/MM/YYYY or --date-format MM/DD/YYYY");
      expect(asked.code).toBe(1);
      const before = (await total()).count;
      const dry = await run([file, "--email", EMAIL, "--date-format", "DD/MM/YYYY", "--dry-run"]);
      expect(dry.stdout).toContain("would import 3 rows");
      expect(dry.code).toBe(0);
      expect((await total()).count).toBe(before);
    }, 120_000);

    it("refuses an unknown account and a missing file", async () => {
      const nobody = await run([`${FIXTURES}us-checking.csv`, "--email", "nobody@example.test"]);
      expect(nobody.stderr).toContain("no account with the email nobody@example.test");
      expect(nobody.code).toBe(1);
      const missing = await run(["/nonexistent.csv", "--email", EMAIL]);
      expect(missing.stderr).toContain("cannot read /nonexistent.csv");
      expect(missing.code).toBe(2);
    }, 120_000);
  });
}

let dataDir = "";
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "et-csv-cli-"));
  const database = await openDatabase({ dataDir: `${dataDir}/pglite` });
  await migrate(database.db);
  await createUser(database.db, { email: EMAIL, password: TEST_PASSWORD });
  await database.close();
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describeCommand("npm run import:csv on the embedded database", () => ({
  env: { DATA_DIR: dataDir },
  open: () => openDatabase({ dataDir: `${dataDir}/pglite` }),
}));

describe("the embedded database's one-process lock", () => {
  it("while another process has the database open, the command stops with one line, exits 2 and stores nothing", async () => {
    const holder = await openDatabase({
      dataDir: `${dataDir}/pglite`,
      holder: { command: "the Expense Tracker server", port: 3999 },
    });
    try {
      const userId = (await findUserByEmail(holder.db, EMAIL))?.id ?? 0;
      const before = await totalTransactions(holder.db, userId, {});
      expect(before.count).toBeGreaterThan(0);
      const result = await runNpm(
        "import:csv",
        [`${FIXTURES}uk-month-names.csv`, "--email", EMAIL],
        {
          env: { DATA_DIR: dataDir },
        },
      );
      expect(result.stderr).toMatch(
        /^the embedded database in .* is in use by the Expense Tracker server \(pid \d+, port 3999\)/,
      );
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.code).toBe(2);
      expect(await totalTransactions(holder.db, userId, {})).toEqual(before);
    } finally {
      await holder.close();
    }
  }, 60_000);
});

let throwaway: ThrowawayDatabase | undefined;
describe.skipIf(!postgresReady)("on PostgreSQL", () => {
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
    const database = await openDatabase({ url: throwaway.url });
    await migrate(database.db);
    await createUser(database.db, { email: EMAIL, password: TEST_PASSWORD });
    await database.close();
  }, 60_000);
  afterAll(async () => {
    await throwaway?.drop();
  });
  describeCommand("npm run import:csv with DATABASE_URL", () => ({
    env: { DATABASE_URL: throwaway?.url ?? "", SESSION_SECRET: "s".repeat(40) },
    open: () => openDatabase({ url: throwaway?.url }),
  }));
});
