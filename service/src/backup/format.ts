// The backup file: one JSON document holding one account's data, one section per kind of record.
// Written by write.ts, read back (as untrusted input) by check.ts and restore.ts.
//
// {
//   "format": "expense-tracker-backup", "version": 1, "exportedAt": "...Z", "source": {"email": ...},
//   "settings":     {timeZone, currency, monthStartDay, dateFormat, numberFormat, theme},
//   "categories":   [{id, name, kind, color, createdAt}],              ids are the file's own
//   "budgets":      [{categoryId | null, month "YYYY-MM", amount | null, createdAt}],
//   "importRules":  [{contains, categoryId, position, createdAt}],
//   "recurringRules": [{id, kind, title, amount, categoryId, notes, paymentMethod, frequency,
//                     every, weekday, monthDay, startsOn, endsOn, occurrenceLimit,
//                     nextOccurrenceOn, lastOccurrenceOn, pausedAt, createdAt, updatedAt}],
//   "transactions": [{kind, title, amount, categoryId, occurredOn, notes, paymentMethod,
//                     recurringRuleId, createdAt, updatedAt}]         in the order they were entered
// }
//
// Amounts are decimal strings ("12.50"), never JSON numbers; timestamps are UTC with microseconds.
// A section for another kind of record is one more key here, with its record schema, its reader in
// write.ts, its check in check.ts and its insert in restore.ts.
import * as z from "zod";
import {
  DATE_FORMATS,
  NUMBER_FORMATS,
  RECURRING_FREQUENCIES,
  THEMES,
  TRANSACTION_KINDS,
} from "../db/schema.ts";

export const BACKUP_FORMAT = "expense-tracker-backup";
/** The version this build writes and the only one it reads. */
export const BACKUP_VERSION = 1;

/** Largest backup the settings page accepts: about 200,000 transactions. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Largest backup file `npm run restore` reads: about 1,000,000 transactions. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const timestamp = z
  .string({ error: "must be a UTC timestamp such as 2026-03-31T08:15:00.123456Z" })
  .refine(
    (v) => TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)),
    "must be a UTC timestamp such as 2026-03-31T08:15:00.123456Z",
  );
const fileId = z
  .number({ error: "must be a whole number from 1 (an id within the file)" })
  .int("must be a whole number from 1 (an id within the file)")
  .min(1, "must be a whole number from 1 (an id within the file)")
  .max(2_147_483_647, "must be at most 2147483647");
const str = z.string({ error: "must be a string" });
const kind = z.enum(TRANSACTION_KINDS, { error: 'must be "expense" or "income"' });

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(", ")}` });
const wholeIn = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

export const settingsRecord = z.strictObject({
  timeZone: str,
  currency: str,
  monthStartDay: z.number({ error: "must be a whole number from 1 to 28" }).int(),
  // Display settings; a file from before they existed gets the defaults.
  dateFormat: oneOf(DATE_FORMATS).default("YYYY-MM-DD"),
  numberFormat: oneOf(NUMBER_FORMATS).default("1,234.56"),
  theme: oneOf(THEMES).default("auto"),
});

export const categoryRecord = z.strictObject({
  id: fileId,
  name: str,
  kind,
  color: z.number({ error: "must be a whole number" }).int("must be a whole number"),
  createdAt: timestamp,
});

export const budgetRecord = z.strictObject({
  /** Null: the budget of all spending. */
  categoryId: fileId.nullable(),
  month: str,
  /** Null: the budget is cleared from this month on. */
  amount: str.nullable(),
  createdAt: timestamp,
});

export const importRuleRecord = z.strictObject({
  contains: str,
  categoryId: fileId,
  position: z.number({ error: "must be a whole number" }).int("must be a whole number"),
  createdAt: timestamp,
});

export const recurringRuleRecord = z.strictObject({
  id: fileId,
  kind,
  title: str,
  amount: str,
  categoryId: fileId,
  notes: str.nullable(),
  paymentMethod: str.nullable(),
  frequency: oneOf(RECURRING_FREQUENCIES),
  every: wholeIn(1, 99),
  /** 1 (Monday) to 7, for a weekly rule. */
  weekday: wholeIn(1, 7).nullable(),
  /** 1 to 31, or -1 for the last day, for a monthly rule. */
  monthDay: z
    .union([wholeIn(1, 31), z.literal(-1)], { error: "must be 1 to 31, or -1" })
    .nullable(),
  startsOn: str,
  endsOn: str.nullable(),
  occurrenceLimit: wholeIn(1, 1000).nullable(),
  /** Null once the rule has ended. */
  nextOccurrenceOn: str.nullable(),
  lastOccurrenceOn: str.nullable(),
  pausedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const transactionRecord = z.strictObject({
  kind,
  title: str,
  amount: str,
  categoryId: fileId,
  occurredOn: str,
  notes: str.nullable(),
  paymentMethod: str.nullable(),
  /** The rule (its id in the file) that added it; null for one entered or imported. */
  recurringRuleId: fileId.nullable().default(null),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** The whole file as it is read back; its records are then checked as the forms check them. */
export const backupFile = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  exportedAt: timestamp,
  source: z.strictObject({ email: str }),
  settings: settingsRecord,
  categories: z.array(categoryRecord),
  budgets: z.array(budgetRecord),
  importRules: z.array(importRuleRecord),
  recurringRules: z.array(recurringRuleRecord).default([]),
  transactions: z.array(transactionRecord),
});

export type BackupFile = z.infer<typeof backupFile>;
/** A file as written: sections and fields added since version 1 began may be missing. */
export type BackupFileInput = z.input<typeof backupFile>;
export type CategoryRecord = z.infer<typeof categoryRecord>;
export type BudgetRecord = z.infer<typeof budgetRecord>;
export type ImportRuleRecord = z.infer<typeof importRuleRecord>;
export type RecurringRuleRecord = z.infer<typeof recurringRuleRecord>;
export type TransactionRecord = z.input<typeof transactionRecord>;

/** The sections of the file in the order they are written and restored. */
export const SECTIONS = [
  "settings",
  "categories",
  "budgets",
  "importRules",
  "recurringRules",
  "transactions",
] as const;
