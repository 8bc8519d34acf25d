// Restores that must not happen: each is refused with a sentence saying why, and leaves the
// database exactly as it was, including a failure half-way through the writes.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { BackupRefusedError, checkBackup, readBackup } from "../src/backup/check.ts";
import { BACKUP_VERSION, type BackupFileInput, backupFile } from "../src/backup/format.ts";
import { restoreBackup } from "../src/backup/restore.ts";
import { backupText } from "../src/backup/write.ts";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import type { User } from "../src/db/schema.ts";
import { accountData, rowCounts } from "./support/account-data.ts";
import { describeEachDatabase, TEST_PASSWORD, uniqueEmail } from "./support/harness.ts";

const LIMIT = 1024 * 1024;
const bytes = (doc: unknown) =>
  new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc));

/** A small valid backup: two categories, a budget, a rule, two transactions. */
function sampleBackup(): BackupFileInput {
  const at = "2026-03-01T10:00:00.123456Z";
  return {
    format: "expense-tracker-backup",
    version: BACKUP_VERSION,
    exportedAt: at,
    source: { email: "someone@example.test" },
    settings: { timeZone: "Europe/Berlin", currency: "EUR", monthStartDay: 25 },
    categories: [
      { id: 10, name: "Groceries", kind: "expense", color: 3, createdAt: at },
      { id: 11, name: "Pay", kind: "income", color: 5, createdAt: at },
    ],
    budgets: [{ categoryId: 10, month: "2026-03", amount: "300.00", createdAt: at }],
    importRules: [{ contains: "LIDL", categoryId: 10, position: 1, createdAt: at }],
    transactions: [
      {
        kind: "expense",
        title: "Lidl",
        amount: "12.34",
        categoryId: 10,
        occurredOn: "2026-03-02",
        notes: null,
        paymentMethod: "card",
        createdAt: at,
        updatedAt: at,
      },
      {
        kind: "income",
        title: "Salary",
        amount: "2500",
        categoryId: 11,
        occurredOn: "2026-03-25",
        notes: "March",
        paymentMethod: null,
        createdAt: at,
        updatedAt: at,
      },
    ],
  };
}

describe("reading a backup file", () => {
  const refusal = (input: Uint8Array, limit = LIMIT) => {
    try {
      readBackup(input, limit);
    } catch (err) {
      expect(err).toBeInstanceOf(BackupRefusedError);
      const e = err as BackupRefusedError;
      return [e.message, ...e.problems].join("\n");
    }
    throw new Error("the file was accepted");
  };

  it("accepts the sample", () => {
    expect(readBackup(bytes(sampleBackup()), LIMIT).transactions).toHaveLength(2);
  });
  it("refuses a file over the size limit before reading it", () => {
    expect(refusal(bytes(sampleBackup()), 100)).toMatch(
      /^The file is 0 MB; a backup can be at most 0 MB here\.$/,
    );
  });
  it("refuses malformed JSON, text that is not UTF-8, and JSON that is not a backup", () => {
    expect(refusal(bytes('{"format": "expense-tracker-backup",'))).toMatch(/not valid JSON/);
    expect(refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toMatch(/not UTF-8/);
    expect(refusal(bytes([1, 2]))).toMatch(/not an Expense Tracker backup/);
    expect(refusal(bytes({ format: "firefly" }))).toMatch(/not an Expense Tracker backup/);
  });
  it("refuses another version, saying which it reads", () => {
    expect(refusal(bytes({ ...sampleBackup(), version: 2 }))).toMatch(
      /version 2; this version of Expense Tracker reads version 1 \(the file was made by a newer version/,
    );
    expect(refusal(bytes({ ...sampleBackup(), version: "1" }))).toMatch(/version "1"/);
  });
  it("refuses a record the form would refuse, naming the record and the field", () => {
    const file = sampleBackup();
    (file.transactions[0] as { amount: string }).amount = "12.345";
    (file.transactions[1] as { title: string }).title = "   ";
    const text = refusal(bytes(file));
    expect(text).toMatch(/2 problems/);
    expect(text).toMatch(/transactions\[0\]\.amount: Enter an amount above 0/);
    expect(text).toMatch(/transactions\[1\]\.title: Enter a title/);
  });
  it("refuses amounts as JSON numbers, unknown fields and unknown sections", () => {
    const file = sampleBackup() as unknown as Record<string, unknown>;
    (file.transactions as Record<string, unknown>[])[0] = {
      ...(file.transactions as object[])[0],
      amount: 12.34,
      colour: 1,
    };
    file.goals = [];
    const text = refusal(bytes(file));
    expect(text).toMatch(/transactions\[0\]\.amount: must be a string/);
    expect(text).toMatch(/transactions\[0\]: unknown field colour/);
    expect(text).toMatch(/the file: unknown field goals/);
  });
  it("refuses a dangling category reference and one of the wrong kind", () => {
    const file = sampleBackup();
    (file.transactions[0] as { categoryId: number }).categoryId = 99;
    (file.transactions[1] as { categoryId: number }).categoryId = 10;
    (file.budgets[0] as { categoryId: number }).categoryId = 11;
    const text = refusal(bytes(file));
    expect(text).toMatch(
      /transactions\[0\]\.categoryId: 99 is not the id of a category in the file/,
    );
    expect(text).toMatch(
      /transactions\[1\]\.categoryId: 10 is an expense category; this record is income/,
    );
    expect(text).toMatch(/budgets\[0\]\.categoryId: 11 is an income category/);
  });
  it("refuses two categories of one name (whatever the case), and a duplicate id", () => {
    const file = sampleBackup();
    file.categories.push({
      ...(file.categories[0] as BackupFileInput["categories"][number]),
      name: "GROCERIES",
    });
    const text = refusal(bytes(file));
    expect(text).toMatch(/categories\[2\]\.id: 10 is the id of another category/);
    expect(text).toMatch(/categories\[2\]\.name: another category is named “GROCERIES”/);
  });
});

describeEachDatabase("restoring into an account", (t) => {
  const db = () => t.current().db;
  let target: User;
  const newUser = () =>
    createUser(db(), { email: uniqueEmail("restore"), password: TEST_PASSWORD });
  const snapshot = async () => ({
    counts: await rowCounts(db()),
    target: await accountData(db(), target.id),
  });

  beforeAll(async () => {
    target = await newUser();
  });

  it("refuses an account that holds transactions, changing nothing", async () => {
    const busy = await newUser();
    const [food] = await listCategories(db(), busy.id);
    await createTransaction(db(), busy.id, {
      kind: "expense",
      title: "Bread",
      amountCents: 250n,
      categoryId: food?.id as number,
      occurredOn: "2026-01-05",
      notes: null,
      paymentMethod: null,
    });
    const before = { counts: await rowCounts(db()), busy: await accountData(db(), busy.id) };
    await expect(
      restoreBackup(db(), busy.id, checkBackup(backupFile.parse(sampleBackup()))),
    ).rejects.toThrow(
      /already holds 1 transaction: a backup is restored only into an account without any/,
    );
    expect({ counts: await rowCounts(db()), busy: await accountData(db(), busy.id) }).toEqual(
      before,
    );
  });

  it("a failure half-way through the writes leaves the account as it was", async () => {
    const plan = checkBackup(backupFile.parse(sampleBackup()));
    const good = plan.transactions[0] as (typeof plan.transactions)[number];
    // Past the first batch of 5,000, a row the database refuses (the file check would have).
    plan.transactions = [...Array.from({ length: 6000 }, () => good), { ...good, amountCents: 0n }];
    const before = await snapshot();
    await expect(restoreBackup(db(), target.id, plan)).rejects.toThrow(
      /the database refused one of its records/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("restores into an account without transactions, replacing its default categories", async () => {
    const summary = await restoreBackup(
      db(),
      target.id,
      checkBackup(backupFile.parse(sampleBackup())),
    );
    expect(summary).toMatchObject({
      categories: 2,
      transactions: 2,
      incomeCents: 250000n,
      expenseCents: 1234n,
    });
    const after = await accountData(db(), target.id);
    expect(after.settings).toEqual([
      {
        time_zone: "Europe/Berlin",
        currency: "EUR",
        month_start_day: 25,
        date_format: "YYYY-MM-DD",
        number_format: "1,234.56",
        theme: "auto",
      },
    ]);
    expect(after.categories.map((c) => c.name)).toEqual(["Groceries", "Pay"]);
    expect(after.budgets).toMatchObject([
      { category: "Groceries", month: "2026-03-01", amount: "30000" },
    ]);
    expect(after.monthTotals).toEqual([
      { month: "2026-03-01", category: "Groceries", kind: "expense", cents: "1234", count: 1 },
      { month: "2026-03-01", category: "Pay", kind: "income", cents: "250000", count: 1 },
    ]);
  });

  it("drops the links to CSV imports: the restored rows are the account's own", async () => {
    const source = await newUser();
    const [food] = await listCategories(db(), source.id);
    await db().execute(sql`
      with i as (insert into imports (user_id, file_name, settings, status)
                 values (${source.id}, 'bank.csv', '{}', 'done') returning id)
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on, import_id)
      select ${source.id}, 'expense', 'Imported', 999, ${food?.id}, '2026-02-03', id from i`);
    const fresh = await newUser();
    await restoreBackup(
      db(),
      fresh.id,
      readBackup(bytes(await backupText(db(), source.id)), LIMIT),
    );
    const [row] = (await accountData(db(), fresh.id)).transactions;
    expect(row).toMatchObject({ title: "Imported", amount: "999", imported: false });
  });

  it("the file holds no password hash, session, API token or anyone else's data", async () => {
    const source = await newUser();
    const [{ password_hash: hash } = {}] = (
      (await db().execute(
        sql`select password_hash from users where id = ${source.id}`,
      )) as unknown as {
        rows: { password_hash: string }[];
      }
    ).rows;
    await db().execute(sql`insert into sessions (id, user_id, expires_at)
      values ('session-secret-hash-value', ${source.id}, now() + interval '1 day')`);
    await db().execute(sql`insert into api_tokens (user_id, name, public_id, secret_hash)
      values (${source.id}, 'phone', 'publicid0123456789', 'token-secret-hash-value')`);
    const text = await backupText(db(), source.id);
    expect(hash).toMatch(/\S{20}/);
    for (const secret of [
      hash as string,
      "session-secret-hash-value",
      "publicid0123456789",
      "token-secret-hash-value",
      target.email,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/password|session|token/i);
  });
});
