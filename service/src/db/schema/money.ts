// The money: categories, transactions, the per-month totals kept by triggers, budgets, and the
// import rules that pick a category.
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { CATEGORY_COLORS, createdAt, LIMITS, transactionKind, updatedAt } from "./common.ts";
import { imports } from "./imports.ts";
import { recurringRules } from "./recurring.ts";

export const categories = pgTable(
  "categories",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: LIMITS.categoryNameMax }).notNull(),
    /** Whether it is for expenses or for income; a transaction's kind must match. */
    kind: transactionKind("kind").notNull().default("expense"),
    /** Index into the palette (0 to CATEGORY_COLORS - 1). */
    color: smallint("color").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // Names are unique per user whatever their case: "food" and "Food" would be one category.
    uniqueIndex("categories_user_id_lower_name_key").on(t.userId, sql`lower(${t.name})`),
    unique("categories_id_user_id_key").on(t.id, t.userId),
    unique("categories_id_user_id_kind_key").on(t.id, t.userId, t.kind),
    check(
      "categories_color_range",
      sql`${t.color} >= 0 and ${t.color} < ${sql.raw(String(CATEGORY_COLORS))}`,
    ),
    check("categories_name_not_blank", sql`length(btrim(${t.name})) > 0`),
  ],
);

export const transactions = pgTable(
  "transactions",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: transactionKind("kind").notNull(),
    title: varchar("title", { length: LIMITS.titleMax }).notNull(),
    /** Exact money: integer cents, never a float. */
    amountCents: bigint("amount_cents", { mode: "bigint" }).notNull(),
    categoryId: integer("category_id").notNull(),
    /** The calendar date the user chose, in their own time zone. */
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    notes: varchar("notes", { length: LIMITS.notesMax }),
    paymentMethod: varchar("payment_method", { length: LIMITS.paymentMethodMax }),
    /** The CSV import that stored it; null for rows entered by hand. */
    importId: integer("import_id"),
    /** The recurring rule that created it; null for other rows, and once the rule is deleted. */
    recurringRuleId: integer("recurring_rule_id").references(() => recurringRules.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Serves the newest-first listing and per-month sums by date range. NULLS FIRST matches what
    // `ORDER BY ... DESC` means; with NULLS LAST the planner would not use it for the listing.
    index("transactions_user_date_idx").on(
      t.userId,
      t.occurredOn.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("transactions_category_id_idx").on(t.categoryId),
    // Serves the largest expenses of a period: the top of one kind by amount, read in order,
    // with the date range checked in the index.
    index("transactions_user_kind_amount_idx").on(
      t.userId,
      t.kind,
      t.amountCents.desc().nullsFirst(),
      t.occurredOn.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The list sorted by amount or by title (either direction: an index reads backwards too).
    index("transactions_user_amount_idx").on(
      t.userId,
      t.amountCents.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("transactions_user_title_idx").on(t.userId, sql`lower(${t.title})`, t.id),
    // Text search (ILIKE '%word%') in title and notes; pg_trgm comes from migration 0001.
    index("transactions_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
    index("transactions_notes_trgm_idx").using("gin", sql`${t.notes} gin_trgm_ops`),
    // A transaction's category must belong to the same user and be of the same kind.
    foreignKey({
      name: "transactions_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("no action"),
    check(
      "transactions_amount_range",
      sql`${t.amountCents} > 0 and ${t.amountCents} < ${sql.raw(String(LIMITS.maxAmountCents))}`,
    ),
    check("transactions_title_not_blank", sql`length(btrim(${t.title})) > 0`),
    // An import's rows belong to the import's user; undoing an import (deleting it) takes them.
    foreignKey({
      name: "transactions_import_owner_fk",
      columns: [t.importId, t.userId],
      foreignColumns: [imports.id, imports.userId],
    }).onDelete("cascade"),
    index("transactions_import_id_idx").on(t.importId).where(sql`${t.importId} is not null`),
    index("transactions_recurring_rule_id_idx")
      .on(t.recurringRuleId)
      .where(sql`${t.recurringRuleId} is not null`),
  ],
);

/**
 * Totals of the user's transactions per calendar month, category and kind, kept exact by the
 * database itself: statement-level triggers on `transactions` (migration 0009) add and subtract
 * every change, whoever makes it. A row exists only while its count is above zero. (No CHECK on the
 * count: PostgreSQL checks an upsert's proposed row, and a subtraction proposes a negative one.)
 */
export const monthTotals = pgTable(
  "month_totals",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The first day of the calendar month. */
    month: date("month", { mode: "string" }).notNull(),
    categoryId: integer("category_id").notNull(),
    kind: transactionKind("kind").notNull(),
    /** Exact sum of the amounts, in integer cents. */
    cents: bigint("cents", { mode: "bigint" }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.month, t.categoryId, t.kind] }),
    // A category cannot go while totals point at it; moving its transactions first empties them.
    foreignKey({
      name: "month_totals_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("no action"),
    check("month_totals_month_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * Monthly budgets: an amount for one expense category, or for all spending when `category_id` is
 * null. A row holds from its month onward, until the next row of the same category; a row with no
 * amount clears the budget from its month. Setting a budget writes the month it is set in, so the
 * months before keep the amount they had.
 */
export const budgets = pgTable(
  "budgets",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** An expense category of the user's; null for the budget of all spending. */
    categoryId: integer("category_id"),
    /** Always "expense": lets the foreign key below hold the category to expenses. */
    kind: transactionKind("kind").notNull().default("expense"),
    /** The first month it applies to, as its first day (`YYYY-MM-01`, the user's month). */
    month: date("month", { mode: "string" }).notNull(),
    /** Integer cents; null clears the budget from this month on. */
    amountCents: bigint("amount_cents", { mode: "bigint" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("budgets_user_category_month_key")
      .on(t.userId, t.categoryId, t.month)
      .nullsNotDistinct(),
    foreignKey({
      name: "budgets_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("cascade"),
    check("budgets_expense_only", sql`${t.kind} = 'expense'`),
    check("budgets_month_first_day", sql`extract(day from ${t.month}) = 1`),
    check(
      "budgets_amount_range",
      sql`${t.amountCents} is null or (${t.amountCents} > 0 and ${t.amountCents} < ${sql.raw(String(LIMITS.maxAmountCents))})`,
    ),
  ],
);

/**
 * Import rules the user keeps: a row whose title contains `contains` (case-insensitively) goes to
 * the category, when the row is of the category's kind. Applied in `position` order; the first
 * match wins. A rule goes with its category.
 */
export const importRules = pgTable(
  "import_rules",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    contains: varchar("contains", { length: LIMITS.importRuleTextMax }).notNull(),
    categoryId: integer("category_id").notNull(),
    kind: transactionKind("kind").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("import_rules_user_position_idx").on(t.userId, t.position),
    foreignKey({
      name: "import_rules_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("cascade"),
    check("import_rules_contains_not_blank", sql`length(btrim(${t.contains})) > 0`),
  ],
);
