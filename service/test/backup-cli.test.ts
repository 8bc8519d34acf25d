// `npm run backup` and `npm run restore` as a user runs them, on the embedded database and on
// PostgreSQL (as the restricted app role): the file, the summary, the refusals and exit codes.
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser, findUserByEmail } from "../src/data/users.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { accountData } from "./support/account-data.ts";
import { TEST_PASSWORD } from "./support/harness.ts";
import { runNpm } from "./support/npm-script.ts";
import {
  type AppRoleDatabase,
  createAppRoleDatabase,
  requirePostgres,
} from "./support/postgres.ts";

const postgresReady = await requirePostgres();
const FROM = "from@example.test";
const INTO = "into@example.test";

interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
}

async function seed(database: Database) {
  const from = await createUser(database.db, { email: FROM, password: TEST_PASSWORD });
  await createUser(database.db, { email: INTO, password: TEST_PASSWORD });
  const cats = await listCategories(database.db, from.id);
  for (const [i, c] of cats.entries()) {
    await createTransaction(database.db, from.id, {
      kind: c.kind,
      title: `Row ${i} ☕`,
      amountCents: 1050n * BigInt(i + 1),
      categoryId: c.id,
      occurredOn: `2026-05-0${1 + (i % 9)}`,
      notes: null,
      paymentMethod: null,
    });
  }
}

function describeCommands(name: string, target: () => Target, skip = false) {
  describe.skipIf(skip)(name, () => {
    let dir = "";
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "et-backup-cli-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (script: string, args: string[]) =>
      runNpm(script, args, { env: target().env, timeoutMs: 90_000 });
    const data = async (email: string) => {
      const database = await target().open();
      try {
        const user = await findUserByEmail(database.db, email);
        return await accountData(database.db, user?.id ?? 0);
      } finally {
        await database.close();
      }
    };

    it("backs up to a file only its owner can read, restores it, and refuses to restore twice", async () => {
      const file = join(dir, "backup.json");
      const backup = await run("backup", ["--email", FROM, "--out", file]);
      expect(backup.stderr).toBe("");
      expect(backup.stdout).toMatch(
        new RegExp(
          `^backed up ${FROM} to ${file} \\(\\d+\\.\\d KB\\): 9 categories, 0 budgets, 0 import rules, 9 transactions\\n$`,
        ),
      );
      expect(backup.code).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const restore = await run("restore", ["--email", INTO, "--file", file]);
      expect(restore.stderr).toBe("");
      expect(restore.stdout).toBe(
        `restored ${file} into ${INTO}:\n  9 categories, 0 budgets, 0 import rules\n  9 transactions: income $178.50, expenses $294.00\n`,
      );
      expect(restore.code).toBe(0);
      const restored = await data(INTO);
      expect(restored).toEqual(await data(FROM));

      const again = await run("restore", ["--email", INTO, "--file", file]);
      expect(again.stderr).toContain("This account already holds 9 transactions");
      expect(again.code).toBe(1);
      expect(await data(INTO)).toEqual(restored);
    }, 180_000);

    it("lists a bad file's problems and exits 1; a file too large is refused unread", async () => {
      const bad = join(dir, "bad.json");
      writeFileSync(bad, '{"format":"expense-tracker-backup","version":1,"exportedAt":"x"}');
      const refused = await run("restore", ["--email", FROM, "--file", bad]);
      expect(refused.stderr).toContain(`${bad}: The backup was not restored:`);
      expect(refused.stderr).toContain("  exportedAt: must be a UTC timestamp");
      expect(refused.stderr).toContain("  settings: ");
      expect(refused.code).toBe(1);
      const huge = join(dir, "huge.json");
      writeFileSync(huge, "");
      truncateSync(huge, 300 * 1024 * 1024); // sparse: nothing is written to disk
      const tooLarge = await run("restore", ["--email", FROM, "--file", huge]);
      expect(tooLarge.stderr).toBe(`${huge} is 300.0 MB; a backup can be at most 256.0 MB\n`);
      expect(tooLarge.code).toBe(1);
    }, 180_000);

    it("says what is wrong with its flags and exits 2", async () => {
      const missing = await run("restore", ["--email", FROM]);
      expect(missing.stderr).toBe(
        "--file required\nusage: npm run restore -- --email you@example.com --file backup.json\n",
      );
      expect(missing.code).toBe(2);
      const unreadable = await run("restore", ["--email", FROM, "--file", join(dir, "none.json")]);
      expect(unreadable.stderr).toMatch(/^cannot read .*none\.json: ENOENT/);
      expect(unreadable.code).toBe(2);
      const unknown = await run("backup", ["--email", FROM, "--out", join(dir, "x"), "--force"]);
      expect(unknown.stderr).toContain("Unknown option '--force'");
      expect(unknown.code).toBe(2);
      const nobody = await run("backup", [
        "--email",
        "nobody@example.test",
        "--out",
        join(dir, "x"),
      ]);
      expect(nobody.stderr).toBe(
        "no account with the email nobody@example.test (create one with npm run user:add)\n",
      );
      expect(nobody.code).toBe(1);
    }, 180_000);
  });
}

let dataDir = "";
let pg: AppRoleDatabase | undefined;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "et-backup-data-"));
  const embedded = await openDatabase({ dataDir: `${dataDir}/pglite` });
  await migrate(embedded.db);
  await seed(embedded);
  await embedded.close();
  if (postgresReady) {
    pg = await createAppRoleDatabase();
    const database = await openDatabase({ url: pg.appUrl, maxConnections: 1 });
    await seed(database);
    await database.close();
  }
}, 60_000);
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await pg?.drop();
});

describeCommands("npm run backup and restore on the embedded database", () => ({
  env: { DATA_DIR: dataDir },
  open: () => openDatabase({ dataDir: `${dataDir}/pglite` }),
}));
describeCommands(
  "npm run backup and restore on PostgreSQL",
  () => ({
    env: { DATABASE_URL: pg?.appUrl ?? "", SESSION_SECRET: "s".repeat(40) },
    open: () => openDatabase({ url: pg?.appUrl, maxConnections: 1 }),
  }),
  !postgresReady,
);
