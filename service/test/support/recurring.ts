// Helpers of the recurring rules' suites: a user with categories, a rule, a fixed clock, and the
// occurrences a rule added.
import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { listCategories } from "../../src/data/categories.ts";
import type { RecurringRuleInput } from "../../src/data/recurring.ts";
import { createUser, updateSettings } from "../../src/data/users.ts";
import type { Db } from "../../src/db/client.ts";
import { transactions } from "../../src/db/schema.ts";

export async function newUser(db: Db, timeZone = "UTC", monthStartDay = 1) {
  const user = await createUser(db, {
    email: `rec-${randomBytes(4).toString("hex")}@example.com`,
    password: "password123",
  });
  await updateSettings(db, user.id, { timeZone, currency: "EUR", monthStartDay });
  const cats = await listCategories(db, user.id);
  const byName = (name: string) => (cats.find((c) => c.name === name) as { id: number }).id;
  return {
    id: user.id,
    housing: byName("Housing"),
    food: byName("Food"),
    salary: byName("Salary"),
  };
}

export const rent = (
  categoryId: number,
  over: Partial<RecurringRuleInput> = {},
): RecurringRuleInput => ({
  kind: "expense",
  title: "Rent",
  amountCents: 100_000n,
  categoryId,
  notes: "flat",
  paymentMethod: "transfer",
  frequency: "monthly",
  every: 1,
  weekday: null,
  monthDay: 1,
  startsOn: "2026-01-01",
  endsOn: null,
  occurrenceLimit: null,
  ...over,
});

/** A clock fixed at `iso` (a UTC instant). */
export const at = (iso: string) => () => new Date(iso);

export const occurrences = (db: Db, ruleId: number) =>
  db
    .select({
      date: transactions.occurredOn,
      title: transactions.title,
      cents: transactions.amountCents,
    })
    .from(transactions)
    .where(eq(transactions.recurringRuleId, ruleId))
    .orderBy(asc(transactions.occurredOn));

export const datesOf = async (db: Db, ruleId: number) =>
  (await occurrences(db, ruleId)).map((r) => r.date);
