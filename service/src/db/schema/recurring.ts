// Recurring rules: a transaction that repeats on a schedule, created by the background worker
// (jobs/recurring-worker.ts) on each date of the schedule.
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  serial,
  smallint,
  timestamp,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { createdAt, LIMITS, transactionKind, updatedAt } from "./common.ts";
import { categories } from "./money.ts";

export const recurringFrequency = pgEnum("recurring_frequency", ["weekly", "monthly", "yearly"]);
export const RECURRING_FREQUENCIES = recurringFrequency.enumValues;
export type RecurringFrequency = (typeof RECURRING_FREQUENCIES)[number];

/** `month_day` of a monthly rule on the last day of every month. */
export const LAST_DAY_OF_MONTH = -1;

/**
 * A rule that creates a transaction on every date of its schedule: every `every` weeks on a
 * weekday, every `every` months on a day (or the last day), or every `every` years on the start
 * date's day. The worker creates each occurrence and advances `next_occurrence_on` in one
 * database transaction, so an occurrence is created once, and one the user deleted stays deleted.
 */
export const recurringRules = pgTable(
  "recurring_rules",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: transactionKind("kind").notNull(),
    title: varchar("title", { length: LIMITS.titleMax }).notNull(),
    /** Integer cents, as in transactions. */
    amountCents: bigint("amount_cents", { mode: "bigint" }).notNull(),
    categoryId: integer("category_id").notNull(),
    notes: varchar("notes", { length: LIMITS.notesMax }),
    paymentMethod: varchar("payment_method", { length: LIMITS.paymentMethodMax }),
    frequency: recurringFrequency("frequency").notNull(),
    /** Every how many weeks, months or years. */
    every: smallint("every").notNull().default(1),
    /** Weekly rules: the ISO weekday, 1 (Monday) to 7 (Sunday); null otherwise. */
    weekday: smallint("weekday"),
    /**
     * Monthly rules: the day, 1 to 31 (a day a month lacks falls on its last day), or -1 for the
     * last day of every month; null otherwise. Yearly rules repeat the start date's month and day.
     */
    monthDay: smallint("month_day"),
    /** The schedule starts on this date (the first occurrence is its first date on or after it). */
    startsOn: date("starts_on", { mode: "string" }).notNull(),
    /** Last date an occurrence may fall on; null: no end. */
    endsOn: date("ends_on", { mode: "string" }),
    /** When the user asked for a number of occurrences: that number (`ends_on` is the last one's date). */
    occurrenceLimit: integer("occurrence_limit"),
    /** The next occurrence to create; null once the schedule has ended. */
    nextOccurrenceOn: date("next_occurrence_on", { mode: "string" }),
    /** The last date of the schedule the worker has dealt with (created, or skipped as too old). */
    lastOccurrenceOn: date("last_occurrence_on", { mode: "string" }),
    /** Set while the rule is paused: the worker passes it over, and resuming skips what fell due. */
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The worker's query: due rules that are not paused and have not ended.
    index("recurring_rules_due_idx")
      .on(t.nextOccurrenceOn)
      .where(sql`${t.pausedAt} is null and ${t.nextOccurrenceOn} is not null`),
    index("recurring_rules_user_next_idx").on(t.userId, t.nextOccurrenceOn),
    index("recurring_rules_category_id_idx").on(t.categoryId),
    // A rule's category belongs to its user and is of its kind, as for transactions.
    foreignKey({
      name: "recurring_rules_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("no action"),
    check(
      "recurring_rules_amount_range",
      sql`${t.amountCents} > 0 and ${t.amountCents} < ${sql.raw(String(LIMITS.maxAmountCents))}`,
    ),
    check("recurring_rules_title_not_blank", sql`length(btrim(${t.title})) > 0`),
    check(
      "recurring_rules_every_range",
      sql`${t.every} between 1 and ${sql.raw(String(LIMITS.recurringEveryMax))}`,
    ),
    check(
      "recurring_rules_weekday",
      sql`(${t.frequency} = 'weekly') = (${t.weekday} is not null) and (${t.weekday} is null or ${t.weekday} between 1 and 7)`,
    ),
    check(
      "recurring_rules_month_day",
      sql`(${t.frequency} = 'monthly') = (${t.monthDay} is not null) and (${t.monthDay} is null or ${t.monthDay} between 1 and 31 or ${t.monthDay} = ${sql.raw(String(LAST_DAY_OF_MONTH))})`,
    ),
    check(
      "recurring_rules_ends_after_start",
      sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`,
    ),
    check(
      "recurring_rules_occurrence_limit",
      sql`${t.occurrenceLimit} is null or (${t.endsOn} is not null and ${t.occurrenceLimit} between 1 and ${sql.raw(String(LIMITS.recurringOccurrencesMax))})`,
    ),
    check(
      "recurring_rules_next_in_bounds",
      sql`${t.nextOccurrenceOn} is null or (${t.nextOccurrenceOn} >= ${t.startsOn} and (${t.endsOn} is null or ${t.nextOccurrenceOn} <= ${t.endsOn}))`,
    ),
    check(
      "recurring_rules_next_after_last",
      sql`${t.nextOccurrenceOn} is null or ${t.lastOccurrenceOn} is null or ${t.nextOccurrenceOn} > ${t.lastOccurrenceOn}`,
    ),
  ],
);
