// Writing an account's backup: every section read in one read-only snapshot, so a category added
// or removed meanwhile cannot leave a transaction pointing at nothing. Records go out one a line,
// the transactions in pages by id, so memory stays flat whatever the account holds.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  budgets,
  categories,
  importRules,
  recurringRules,
  transactions,
  users,
} from "../db/schema.ts";
import { centsToDecimal } from "../lib/money.ts";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BudgetRecord,
  type CategoryRecord,
  type ImportRuleRecord,
  type RecurringRuleRecord,
  type TransactionRecord,
} from "./format.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Receives the file piece by piece; awaited, so a slow file or socket holds the writer back. */
export type BackupSink = (chunk: string) => void | Promise<void>;

/** Transactions read per query. */
const PAGE = 5000;

/** A timestamp as UTC text with its microseconds (a JavaScript Date would drop them). */
const utc = (column: unknown) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface BackupSummary {
  categories: number;
  budgets: number;
  importRules: number;
  recurringRules: number;
  transactions: number;
}

/** Writes the backup of `userId` to `sink`; throws when there is no such user. */
export async function writeBackup(
  db: Db,
  userId: number,
  sink: BackupSink,
  now: Date = new Date(),
): Promise<BackupSummary> {
  return db.transaction(
    async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.id, userId));
      if (!user) throw new Error(`no account with id ${userId}`);
      const head = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        exportedAt: now.toISOString(),
        source: { email: user.email },
        settings: {
          timeZone: user.timeZone,
          currency: user.currency,
          monthStartDay: user.monthStartDay,
          dateFormat: user.dateFormat,
          numberFormat: user.numberFormat,
          theme: user.theme,
        },
      };
      await sink(`${JSON.stringify(head).slice(0, -1)},\n`);
      const summary: BackupSummary = {
        categories: await writeSection(sink, "categories", pagesOf(readCategories(tx, userId))),
        budgets: await writeSection(sink, "budgets", pagesOf(readBudgets(tx, userId))),
        importRules: await writeSection(sink, "importRules", pagesOf(readImportRules(tx, userId))),
        recurringRules: await writeSection(
          sink,
          "recurringRules",
          pagesOf(readRecurringRules(tx, userId)),
        ),
        transactions: await writeSection(sink, "transactions", readTransactions(tx, userId), true),
      };
      await sink("}\n");
      return summary;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

async function writeSection(
  sink: BackupSink,
  name: string,
  pages: AsyncIterable<object[]>,
  last = false,
): Promise<number> {
  let n = 0;
  await sink(`${JSON.stringify(name)}:[`);
  for await (const records of pages) {
    if (records.length === 0) continue;
    await sink(`${n === 0 ? "\n" : ",\n"}${records.map((r) => JSON.stringify(r)).join(",\n")}`);
    n += records.length;
  }
  await sink(`${n === 0 ? "" : "\n"}]${last ? "\n" : ",\n"}`);
  return n;
}

async function* pagesOf<T>(records: Promise<T[]>): AsyncIterable<T[]> {
  yield await records;
}

function readCategories(tx: Tx, userId: number): Promise<CategoryRecord[]> {
  return tx
    .select({
      id: categories.id,
      name: categories.name,
      kind: categories.kind,
      color: categories.color,
      createdAt: utc(categories.createdAt),
    })
    .from(categories)
    .where(eq(categories.userId, userId))
    .orderBy(asc(categories.id));
}

async function readBudgets(tx: Tx, userId: number): Promise<BudgetRecord[]> {
  const rows = await tx
    .select({
      categoryId: budgets.categoryId,
      month: budgets.month,
      amountCents: budgets.amountCents,
      createdAt: utc(budgets.createdAt),
    })
    .from(budgets)
    .where(eq(budgets.userId, userId))
    .orderBy(asc(budgets.id));
  return rows.map((r) => ({
    categoryId: r.categoryId,
    month: r.month.slice(0, 7),
    amount: r.amountCents === null ? null : centsToDecimal(r.amountCents),
    createdAt: r.createdAt,
  }));
}

function readImportRules(tx: Tx, userId: number): Promise<ImportRuleRecord[]> {
  return tx
    .select({
      contains: importRules.contains,
      categoryId: importRules.categoryId,
      position: importRules.position,
      createdAt: utc(importRules.createdAt),
    })
    .from(importRules)
    .where(eq(importRules.userId, userId))
    .orderBy(asc(importRules.position), asc(importRules.id));
}

/** The recurring rules with their next and last dates, so a restore goes on where they were. */
async function readRecurringRules(tx: Tx, userId: number): Promise<RecurringRuleRecord[]> {
  const rows = await tx
    .select({
      rule: recurringRules,
      pausedAt: utc(recurringRules.pausedAt),
      createdAt: utc(recurringRules.createdAt),
      updatedAt: utc(recurringRules.updatedAt),
    })
    .from(recurringRules)
    .where(eq(recurringRules.userId, userId))
    .orderBy(asc(recurringRules.id));
  return rows.map(({ rule: r, pausedAt, createdAt, updatedAt }) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    amount: centsToDecimal(r.amountCents),
    categoryId: r.categoryId,
    notes: r.notes,
    paymentMethod: r.paymentMethod,
    frequency: r.frequency,
    every: r.every,
    weekday: r.weekday,
    monthDay: r.monthDay,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    occurrenceLimit: r.occurrenceLimit,
    nextOccurrenceOn: r.nextOccurrenceOn,
    lastOccurrenceOn: r.lastOccurrenceOn,
    pausedAt: r.pausedAt === null ? null : pausedAt,
    createdAt,
    updatedAt,
  }));
}

/** The transactions in the order they were entered (by id), which breaks ties within a day. */
async function* readTransactions(tx: Tx, userId: number): AsyncIterable<TransactionRecord[]> {
  let after = 0;
  for (;;) {
    const rows = await tx
      .select({
        id: transactions.id,
        kind: transactions.kind,
        title: transactions.title,
        amountCents: transactions.amountCents,
        categoryId: transactions.categoryId,
        occurredOn: transactions.occurredOn,
        notes: transactions.notes,
        paymentMethod: transactions.paymentMethod,
        recurringRuleId: transactions.recurringRuleId,
        createdAt: utc(transactions.createdAt),
        updatedAt: utc(transactions.updatedAt),
      })
      .from(transactions)
      .where(and(eq(transactions.userId, userId), gt(transactions.id, after)))
      .orderBy(asc(transactions.id))
      .limit(PAGE);
    yield rows.map(({ id: _, amountCents, ...r }) => ({
      kind: r.kind,
      title: r.title,
      amount: centsToDecimal(amountCents),
      categoryId: r.categoryId,
      occurredOn: r.occurredOn,
      notes: r.notes,
      paymentMethod: r.paymentMethod,
      recurringRuleId: r.recurringRuleId,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.id;
  }
}

/** The whole backup as one string (for the download, which sends it after the snapshot ends). */
export async function backupText(db: Db, userId: number, now?: Date): Promise<string> {
  const parts: string[] = [];
  await writeBackup(
    db,
    userId,
    (s) => {
      parts.push(s);
    },
    now,
  );
  return parts.join("");
}
