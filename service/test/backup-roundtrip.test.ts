// A restore gives back exactly what was backed up: random accounts are backed up, restored into
// fresh accounts, and compared in everything but their ids, totals included.
import fc from "fast-check";
import { expect, it } from "vitest";
import { readBackup } from "../src/backup/check.ts";
import { MAX_FILE_BYTES } from "../src/backup/format.ts";
import { restoreBackup } from "../src/backup/restore.ts";
import { backupText } from "../src/backup/write.ts";
import { totalTransactions } from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import { accountData, randomAccount, writeAccount } from "./support/account-data.ts";
import { describeEachDatabase, TEST_PASSWORD, uniqueEmail } from "./support/harness.ts";

describeEachDatabase("backup and restore round trip", (t) => {
  const db = () => t.current().db;
  const newUser = () => createUser(db(), { email: uniqueEmail("backup"), password: TEST_PASSWORD });

  it("restoring a random account's backup into a fresh account gives back the same data", async () => {
    await fc.assert(
      fc.asyncProperty(randomAccount, async (account) => {
        const source = await newUser();
        await writeAccount(db(), source.id, account);
        const text = await backupText(db(), source.id);
        const target = await newUser();
        const summary = await restoreBackup(
          db(),
          target.id,
          readBackup(new TextEncoder().encode(text), MAX_FILE_BYTES),
        );
        const [before, after] = [
          await accountData(db(), source.id),
          await accountData(db(), target.id),
        ];
        expect(after).toEqual(before);
        expect(summary.transactions).toBe(before.transactions.length);
        // The list's totals (read from month_totals for whole months) agree too.
        for (const filter of [
          {},
          { from: "1950-01-01", to: "2049-12-31" },
          { kind: "expense" as const },
        ]) {
          expect(await totalTransactions(db(), target.id, filter)).toEqual(
            await totalTransactions(db(), source.id, filter),
          );
        }
        // A backup of the restored account is the same file but for its first line (date,
        // email) and the ids.
        const again = await backupText(db(), target.id);
        const body = (s: string) =>
          s.replace(/^.*\n/, "").replace(/"(id|categoryId|recurringRuleId)":\d+/g, '"$1":_');
        expect(body(again)).toBe(body(text));
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});
