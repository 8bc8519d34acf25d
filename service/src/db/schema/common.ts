// Limits, starting categories and the transaction kind that the tables and the forms share.
import { pgEnum, timestamp } from "drizzle-orm/pg-core";
/** Limits shared by the database constraints and the form validators. */
export const LIMITS = {
  titleMax: 200,
  notesMax: 2000,
  paymentMethodMax: 50,
  categoryNameMax: 50,
  emailMax: 254,
  tokenNameMax: 100,
  importFileNameMax: 255,
  importRuleTextMax: 200,
  importProfileNameMax: 100,
  /** A recurring rule repeats every 1 to this many weeks, months or years. */
  recurringEveryMax: 99,
  /** The most occurrences a recurring rule can be limited to. */
  recurringOccurrencesMax: 1000,
  /** Amounts are stored as integer cents: 0 < cents < 10^11 (that is, below 10^9 in units). */
  maxAmountCents: 100_000_000_000n,
} as const;

/** What a new account starts with, for each kind. */
export const DEFAULT_CATEGORIES = {
  expense: ["Food", "Transport", "Housing", "Utilities", "Entertainment", "Health", "Other"],
  income: ["Salary", "Other income"],
} as const;
/** Categories a user may have at most. */
export const MAX_CATEGORIES = 200;
/** Colours a category can take: indexes into the app stylesheet's palette (`et-cat-0` to `et-cat-9`). */
export const CATEGORY_COLORS = 10;

export const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const transactionKind = pgEnum("transaction_kind", ["expense", "income"]);
export const TRANSACTION_KINDS = transactionKind.enumValues;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];
