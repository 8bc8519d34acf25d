// Recurring rules: storing them, pausing and resuming, and the occurrences due soon. Creating
// the occurrences themselves is the worker's (jobs/recurring-worker.ts), never a request's.
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { prepared } from "../db/prepared.ts";
import {
  categories,
  type RecurringFrequency,
  type RecurringRule,
  recurringRules,
  type TransactionKind,
  transactions,
} from "../db/schema.ts";
import {
  addDays,
  endAfterOccurrences,
  firstOnOrAfter,
  nextFromToday,
  occurrencesBetween,
  type Schedule,
} from "../lib/recurrence.ts";

export interface RecurringRuleInput {
  kind: TransactionKind;
  title: string;
  amountCents: bigint;
  categoryId: number;
  notes: string | null;
  paymentMethod: string | null;
  frequency: RecurringFrequency;
  every: number;
  /** Weekly rules only. */
  weekday: number | null;
  /** Monthly rules only: 1 to 31, or -1 for the last day. */
  monthDay: number | null;
  startsOn: string;
  /** The user's end date; ignored when `occurrenceLimit` is set. */
  endsOn: string | null;
  occurrenceLimit: number | null;
}

export interface RecurringRuleRow extends RecurringRule {
  categoryName: string;
}

/** The schedule a stored rule (or a form's input) stands for. */
export function scheduleOf(
  r: Pick<RecurringRule, "frequency" | "every" | "weekday" | "monthDay" | "startsOn" | "endsOn">,
): Schedule {
  return {
    frequency: r.frequency,
    every: r.every,
    weekday: r.frequency === "weekly" ? r.weekday : null,
    monthDay: r.frequency === "monthly" ? r.monthDay : null,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
  };
}

/** The stored form of an input: only its frequency's anchor, and a count turned into an end date. */
export function normalise(input: RecurringRuleInput): RecurringRuleInput {
  const base = {
    ...input,
    weekday: input.frequency === "weekly" ? input.weekday : null,
    monthDay: input.frequency === "monthly" ? input.monthDay : null,
  };
  if (input.occurrenceLimit === null) return base;
  return {
    ...base,
    endsOn: endAfterOccurrences(scheduleOf({ ...base, endsOn: null }), input.occurrenceLimit),
  };
}

/**
 * Stores a new rule. Its first occurrence is its first date when `createPast` (the worker then
 * creates those already past, at most a year back), else its first date from `today` on.
 */
export async function createRecurringRule(
  db: Db,
  userId: number,
  input: RecurringRuleInput,
  o: { today: string; createPast: boolean },
): Promise<RecurringRule> {
  const values = normalise(input);
  const schedule = scheduleOf(values);
  const next = o.createPast
    ? (firstOnOrAfter(schedule) ?? null)
    : nextFromToday(schedule, o.today, null);
  const [row] = await db
    .insert(recurringRules)
    .values({ ...values, userId, nextOccurrenceOn: next })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

const rowColumns = { rule: recurringRules, categoryName: categories.name };
const flatten = (r: { rule: RecurringRule; categoryName: string }): RecurringRuleRow => ({
  ...r.rule,
  categoryName: r.categoryName,
});

/** The user's rules: active ones by their next date, then paused ones, then those ended. */
export async function listRecurringRules(db: Db, userId: number): Promise<RecurringRuleRow[]> {
  const rows = await db
    .select(rowColumns)
    .from(recurringRules)
    .innerJoin(categories, eq(categories.id, recurringRules.categoryId))
    .where(eq(recurringRules.userId, userId))
    .orderBy(
      sql`${recurringRules.nextOccurrenceOn} is null`,
      sql`${recurringRules.pausedAt} is not null`,
      asc(recurringRules.nextOccurrenceOn),
      asc(recurringRules.id),
    );
  return rows.map(flatten);
}

export async function getRecurringRule(
  db: Db,
  userId: number,
  id: number,
): Promise<RecurringRuleRow | undefined> {
  const [row] = await db
    .select(rowColumns)
    .from(recurringRules)
    .innerJoin(categories, eq(categories.id, recurringRules.categoryId))
    .where(and(eq(recurringRules.userId, userId), eq(recurringRules.id, id)));
  return row && flatten(row);
}

/** Every column of every rule of the user's, oldest first: what a backup holds. */
export async function exportRecurringRules(db: Db, userId: number): Promise<RecurringRule[]> {
  return db
    .select()
    .from(recurringRules)
    .where(eq(recurringRules.userId, userId))
    .orderBy(asc(recurringRules.id));
}

const SCHEDULE_FIELDS = [
  "frequency",
  "every",
  "weekday",
  "monthDay",
  "startsOn",
  "endsOn",
] as const;

/**
 * Saves an edit. Occurrences already created stay as they are; the new values hold for those to
 * come. When the schedule changed, the next occurrence is its first date from `today` on (after
 * the last one dealt with); otherwise it stays. False when the rule is not the user's.
 */
export async function updateRecurringRule(
  db: Db,
  userId: number,
  id: number,
  input: RecurringRuleInput,
  today: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(recurringRules)
      .where(and(eq(recurringRules.userId, userId), eq(recurringRules.id, id)))
      .for("update");
    if (!old) return false;
    const values = normalise(input);
    const rescheduled = SCHEDULE_FIELDS.some((f) => values[f] !== old[f]);
    const next = rescheduled
      ? nextFromToday(scheduleOf(values), today, old.lastOccurrenceOn)
      : old.nextOccurrenceOn;
    await tx
      .update(recurringRules)
      .set({ ...values, nextOccurrenceOn: next, updatedAt: new Date() })
      .where(eq(recurringRules.id, id));
    return true;
  });
}

/** Pauses a rule: the worker passes it over until it is resumed. False when not the user's. */
export async function pauseRecurringRule(
  db: Db,
  userId: number,
  id: number,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(recurringRules)
    .set({ pausedAt: at })
    .where(
      and(
        eq(recurringRules.userId, userId),
        eq(recurringRules.id, id),
        isNull(recurringRules.pausedAt),
      ),
    )
    .returning({ id: recurringRules.id });
  return rows.length > 0 || (await getRecurringRule(db, userId, id)) !== undefined;
}

/**
 * Resumes a paused rule from `today`: what fell due while it was paused is skipped, not made up.
 * False when not the user's.
 */
export async function resumeRecurringRule(
  db: Db,
  userId: number,
  id: number,
  today: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [rule] = await tx
      .select()
      .from(recurringRules)
      .where(and(eq(recurringRules.userId, userId), eq(recurringRules.id, id)))
      .for("update");
    if (!rule) return false;
    if (rule.pausedAt === null) return true;
    await tx
      .update(recurringRules)
      .set({
        pausedAt: null,
        nextOccurrenceOn: nextFromToday(scheduleOf(rule), today, rule.lastOccurrenceOn),
      })
      .where(eq(recurringRules.id, id));
    return true;
  });
}

/** Deletes a rule; the transactions it created stay, no longer linked to it. */
export async function deleteRecurringRule(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(recurringRules)
    .where(and(eq(recurringRules.userId, userId), eq(recurringRules.id, id)))
    .returning({ id: recurringRules.id });
  return rows.length > 0;
}

/** How many transactions a rule has created that still exist. */
export async function countOccurrences(db: Db, userId: number, ruleId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(transactions)
    .where(and(eq(transactions.userId, userId), eq(transactions.recurringRuleId, ruleId)));
  return row?.n ?? 0;
}

export interface DueOccurrence {
  date: string;
  ruleId: number;
  title: string;
  kind: TransactionKind;
  amountCents: bigint;
  categoryName: string;
}

/**
 * The occurrences of the user's active rules from their next date (one not created yet may lie
 * in the past) to `days` - 1 days after `today`, by date: what is due in the next 30 days.
 */
export async function dueOccurrences(
  db: Db,
  userId: number,
  today: string,
  days = 30,
): Promise<DueOccurrence[]> {
  const until = addDays(today, days - 1);
  const rules = await prepared(db, "recurring_due", (name) =>
    db
      .select(rowColumns)
      .from(recurringRules)
      .innerJoin(categories, eq(categories.id, recurringRules.categoryId))
      .where(
        and(
          eq(recurringRules.userId, sql.placeholder("userId")),
          isNull(recurringRules.pausedAt),
          isNotNull(recurringRules.nextOccurrenceOn),
          lte(recurringRules.nextOccurrenceOn, sql.placeholder("until")),
        ),
      )
      .prepare(name),
  ).execute({ userId, until });
  const due: DueOccurrence[] = [];
  for (const { rule, categoryName } of rules) {
    const from = rule.nextOccurrenceOn as string;
    for (const date of occurrencesBetween(scheduleOf(rule), from, until, 100)) {
      due.push({
        date,
        ruleId: rule.id,
        title: rule.title,
        kind: rule.kind,
        amountCents: rule.amountCents,
        categoryName,
      });
    }
  }
  return due.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ruleId - b.ruleId));
}
