// Recurring rules on both databases: the worker creates each occurrence once, across passes and
// restarts; a deleted occurrence stays deleted; a pause skips; catch-up reaches a year back at
// most; an edit changes only what is to come; dates follow the user's time zone and month start.
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { listCategories, removeCategory } from "../src/data/categories.ts";
import { monthlyTotals } from "../src/data/dashboard.ts";
import {
  createRecurringRule,
  deleteRecurringRule,
  dueOccurrences,
  exportRecurringRules,
  getRecurringRule,
  pauseRecurringRule,
  type RecurringRuleInput,
  resumeRecurringRule,
  updateRecurringRule,
} from "../src/data/recurring.ts";
import { deleteTransaction } from "../src/data/transactions.ts";
import { createUser, deleteUser, updateSettings } from "../src/data/users.ts";
import type { Db } from "../src/db/client.ts";
import { recurringRules, transactions } from "../src/db/schema.ts";
import { runRecurringPass, startRecurringWorker } from "../src/jobs/recurring-worker.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { addDays, catchUpFloor, LAST_DAY, occurrencesBetween } from "../src/lib/recurrence.ts";
import { describeEachDatabase } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";

async function newUser(db: Db, timeZone = "UTC", monthStartDay = 1) {
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

const rent = (categoryId: number, over: Partial<RecurringRuleInput> = {}): RecurringRuleInput => ({
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
const at = (iso: string) => () => new Date(iso);

const occurrences = (db: Db, ruleId: number) =>
  db
    .select({
      date: transactions.occurredOn,
      title: transactions.title,
      cents: transactions.amountCents,
    })
    .from(transactions)
    .where(eq(transactions.recurringRuleId, ruleId))
    .orderBy(asc(transactions.occurredOn));

const datesOf = async (db: Db, ruleId: number) =>
  (await occurrences(db, ruleId)).map((r) => r.date);

describeEachDatabase("recurring rules", (t) => {
  test("each occurrence is created once, across passes and restarts, and month totals stay exact", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: true,
    });
    expect(rule.nextOccurrenceOn).toBe("2026-01-01");
    const first = await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    expect(first.created).toBeGreaterThanOrEqual(3);
    expect(first.failed).toBe(0);
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    // The same moment again, and a "restarted" worker later that month: nothing more.
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    await runRecurringPass(db, { now: at("2026-03-31T23:59:00Z") });
    expect(await datesOf(db, rule.id)).toHaveLength(3);
    await runRecurringPass(db, { now: at("2026-04-01T00:00:00Z") });
    const rows = await occurrences(db, rule.id);
    expect(rows.map((r) => r.date)).toEqual([
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
      "2026-04-01",
    ]);
    expect(rows.every((r) => r.title === "Rent" && r.cents === 100_000n)).toBe(true);
    const [stored] = await db
      .select()
      .from(transactions)
      .where(eq(transactions.recurringRuleId, rule.id));
    expect(stored).toMatchObject({
      userId: u.id,
      kind: "expense",
      categoryId: u.housing,
      notes: "flat",
      paymentMethod: "transfer",
    });
    const after = await getRecurringRule(db, u.id, rule.id);
    expect(after).toMatchObject({ nextOccurrenceOn: "2026-05-01", lastOccurrenceOn: "2026-04-01" });
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("an occurrence the user deleted does not come back", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: true,
    });
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    const [feb] = await db
      .select({ id: transactions.id })
      .from(transactions)
      .where(
        and(eq(transactions.recurringRuleId, rule.id), eq(transactions.occurredOn, "2026-02-01")),
      );
    expect(await deleteTransaction(db, u.id, feb?.id as number)).toBe(true);
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    await runRecurringPass(db, { now: at("2026-04-02T12:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-03-01", "2026-04-01"]);
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("a new rule whose past occurrences are declined starts today", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const weekly = rent(u.food, {
      title: "Groceries",
      frequency: "weekly",
      weekday: 2,
      monthDay: null,
      startsOn: "2026-02-01",
    });
    // 2026-03-10 is a Tuesday: today's occurrence is made, the earlier ones are not.
    const rule = await createRecurringRule(db, u.id, weekly, {
      today: "2026-03-10",
      createPast: false,
    });
    expect(rule.nextOccurrenceOn).toBe("2026-03-10");
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-03-10"]);
  });

  test("a paused period is skipped, not caught up on resume", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-01-01",
      createPast: false,
    });
    await runRecurringPass(db, { now: at("2026-02-01T08:00:00Z") });
    expect(await pauseRecurringRule(db, u.id, rule.id, new Date("2026-02-02T08:00:00Z"))).toBe(
      true,
    );
    await runRecurringPass(db, { now: at("2026-06-15T08:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-02-01"]);
    expect(await dueOccurrences(db, u.id, "2026-06-15")).toEqual([]);
    expect(await resumeRecurringRule(db, u.id, rule.id, "2026-06-15")).toBe(true);
    expect((await getRecurringRule(db, u.id, rule.id))?.nextOccurrenceOn).toBe("2026-07-01");
    await runRecurringPass(db, { now: at("2026-06-15T08:00:00Z") });
    await runRecurringPass(db, { now: at("2026-07-01T08:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-02-01", "2026-07-01"]);
  });

  test("resuming on an occurrence's own day creates that day's occurrence once", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-01-01",
      createPast: false,
    });
    await runRecurringPass(db, { now: at("2026-03-01T08:00:00Z") });
    await pauseRecurringRule(db, u.id, rule.id, new Date("2026-03-01T09:00:00Z"));
    await resumeRecurringRule(db, u.id, rule.id, "2026-03-01");
    await runRecurringPass(db, { now: at("2026-03-01T10:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    await pauseRecurringRule(db, u.id, rule.id, new Date("2026-03-20T09:00:00Z"));
    await resumeRecurringRule(db, u.id, rule.id, "2026-04-01");
    await runRecurringPass(db, { now: at("2026-04-01T10:00:00Z") });
    expect((await datesOf(db, rule.id)).at(-1)).toBe("2026-04-01");
  });

  test("after downtime missed occurrences are created, at most one year back", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const weekly = rent(u.food, {
      title: "Groceries",
      frequency: "weekly",
      weekday: 6,
      monthDay: null,
      startsOn: "2023-01-01",
    });
    const rule = await createRecurringRule(db, u.id, weekly, {
      today: "2023-01-01",
      createPast: false,
    });
    // The server was down from the start until 2026-03-10.
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    const dates = await datesOf(db, rule.id);
    const expected = occurrencesBetween(
      { frequency: "weekly", every: 1, weekday: 6, startsOn: "2023-01-01" },
      catchUpFloor("2026-03-10"),
      "2026-03-10",
    );
    expect(dates).toEqual(expected);
    expect(dates.length).toBeGreaterThanOrEqual(52);
    expect((dates[0] as string) >= "2025-03-10").toBe(true);
    const after = await getRecurringRule(db, u.id, rule.id);
    expect(after?.lastOccurrenceOn).toBe(dates.at(-1));
    expect(after?.nextOccurrenceOn).toBe(addDays(dates.at(-1) as string, 7));
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("an edit changes only the occurrences to come", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: true,
    });
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    // The amount and title change: the next date stays.
    const raised = rent(u.housing, { title: "Rent (new lease)", amountCents: 120_000n });
    expect(await updateRecurringRule(db, u.id, rule.id, raised, "2026-03-10")).toBe(true);
    expect((await getRecurringRule(db, u.id, rule.id))?.nextOccurrenceOn).toBe("2026-04-01");
    await runRecurringPass(db, { now: at("2026-04-05T12:00:00Z") });
    // The day moves to the 15th on 2026-04-05: 15 April is next; 15 March, past, is not made.
    expect(
      await updateRecurringRule(db, u.id, rule.id, { ...raised, monthDay: 15 }, "2026-04-05"),
    ).toBe(true);
    expect((await getRecurringRule(db, u.id, rule.id))?.nextOccurrenceOn).toBe("2026-04-15");
    await runRecurringPass(db, { now: at("2026-04-15T12:00:00Z") });
    const rows = await occurrences(db, rule.id);
    expect(rows.map((r) => [r.date, r.title, r.cents])).toEqual([
      ["2026-01-01", "Rent", 100_000n],
      ["2026-02-01", "Rent", 100_000n],
      ["2026-03-01", "Rent", 100_000n],
      ["2026-04-01", "Rent (new lease)", 120_000n],
      ["2026-04-15", "Rent (new lease)", 120_000n],
    ]);
    // Rescheduled onto a date already made today: not made twice.
    await updateRecurringRule(db, u.id, rule.id, { ...raised, monthDay: LAST_DAY }, "2026-04-15");
    await updateRecurringRule(db, u.id, rule.id, { ...raised, monthDay: 15 }, "2026-04-15");
    expect((await getRecurringRule(db, u.id, rule.id))?.nextOccurrenceOn).toBe("2026-05-15");
  });

  test("a number of occurrences ends the rule after its last", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(
      db,
      u.id,
      rent(u.housing, { monthDay: 31, startsOn: "2026-01-31", occurrenceLimit: 3 }),
      { today: "2026-01-31", createPast: false },
    );
    expect(rule).toMatchObject({ endsOn: "2026-03-31", occurrenceLimit: 3 });
    await runRecurringPass(db, { now: at("2026-12-31T12:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
    expect((await getRecurringRule(db, u.id, rule.id))?.nextOccurrenceOn).toBeNull();
    await runRecurringPass(db, { now: at("2027-06-01T12:00:00Z") });
    expect(await datesOf(db, rule.id)).toHaveLength(3);
  });

  test("the day follows the user's time zone", async () => {
    const { db } = t.current();
    const auckland = await newUser(db, "Pacific/Auckland");
    const angeles = await newUser(db, "America/Los_Angeles");
    const input = (u: { salary: number }) =>
      rent(u.salary, { kind: "income", title: "Pay", monthDay: 10, startsOn: "2026-03-01" });
    const a = await createRecurringRule(db, auckland.id, input(auckland), {
      today: "2026-03-01",
      createPast: false,
    });
    const b = await createRecurringRule(db, angeles.id, input(angeles), {
      today: "2026-03-01",
      createPast: false,
    });
    // 2026-03-09 12:00 UTC is 10 March 01:00 in Auckland, 9 March 05:00 in Los Angeles.
    await runRecurringPass(db, { now: at("2026-03-09T12:00:00Z") });
    expect(await datesOf(db, a.id)).toEqual(["2026-03-10"]);
    expect(await datesOf(db, b.id)).toEqual([]);
    // 10 March 00:30 in Los Angeles.
    await runRecurringPass(db, { now: at("2026-03-10T07:30:00Z") });
    expect(await datesOf(db, b.id)).toEqual(["2026-03-10"]);
  });

  test("an occurrence counts in the user's month, whatever day it starts on", async () => {
    const { db } = t.current();
    const u = await newUser(db, "UTC", 25);
    const rule = await createRecurringRule(
      db,
      u.id,
      rent(u.salary, { kind: "income", title: "Pay", monthDay: 25, startsOn: "2026-03-01" }),
      { today: "2026-03-01", createPast: false },
    );
    await runRecurringPass(db, { now: at("2026-03-25T06:00:00Z") });
    expect(await datesOf(db, rule.id)).toEqual(["2026-03-25"]);
    // With months starting on the 25th, 25 March is in April.
    const totals = await monthlyTotals(db, u.id, "2026-03", "2026-04", 25);
    expect(totals.get("2026-04")?.incomeCents).toBe(100_000n);
    expect(totals.get("2026-03")?.incomeCents ?? 0n).toBe(0n);
  });

  test("lists what is due in the next 30 days, by date", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: false,
    });
    await createRecurringRule(
      db,
      u.id,
      rent(u.food, { title: "Groceries", frequency: "weekly", weekday: 6, monthDay: null }),
      { today: "2026-03-10", createPast: false },
    );
    const paused = await createRecurringRule(db, u.id, rent(u.food, { title: "Gym" }), {
      today: "2026-03-10",
      createPast: false,
    });
    await pauseRecurringRule(db, u.id, paused.id, new Date());
    const due = await dueOccurrences(db, u.id, "2026-03-10");
    expect(due.map((d) => [d.date, d.title])).toEqual([
      ["2026-03-14", "Groceries"],
      ["2026-03-21", "Groceries"],
      ["2026-03-28", "Groceries"],
      ["2026-04-01", "Rent"],
      ["2026-04-04", "Groceries"],
    ]);
  });

  test("deleting a rule keeps its transactions, and the export lists every column", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: true,
    });
    const [exported] = await exportRecurringRules(db, u.id);
    expect(exported).toMatchObject({
      id: rule.id,
      userId: u.id,
      frequency: "monthly",
      monthDay: 1,
      nextOccurrenceOn: "2026-01-01",
      pausedAt: null,
    });
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    expect(await deleteRecurringRule(db, u.id, rule.id)).toBe(true);
    const kept = await db
      .select({ ruleId: transactions.recurringRuleId })
      .from(transactions)
      .where(and(eq(transactions.userId, u.id), eq(transactions.title, "Rent")));
    expect(kept).toEqual([{ ruleId: null }, { ruleId: null }, { ruleId: null }]);
    expect(await exportRecurringRules(db, u.id)).toEqual([]);
  });

  test("deleting a user takes their rules and their occurrences, and the totals stay exact", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const keep = await newUser(db);
    for (const who of [u, keep]) {
      await createRecurringRule(db, who.id, rent(who.housing), {
        today: "2026-03-10",
        createPast: true,
      });
    }
    await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z") });
    expect(await deleteUser(db, u.id)).toBe(true);
    expect(await exportRecurringRules(db, u.id)).toEqual([]);
    expect(await exportRecurringRules(db, keep.id)).toHaveLength(1);
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });

  test("another user's rule can be neither read, changed, paused nor deleted", async () => {
    const { db } = t.current();
    const owner = await newUser(db);
    const other = await newUser(db);
    const rule = await createRecurringRule(db, owner.id, rent(owner.housing), {
      today: "2026-03-10",
      createPast: false,
    });
    expect(await getRecurringRule(db, other.id, rule.id)).toBeUndefined();
    expect(
      await updateRecurringRule(db, other.id, rule.id, rent(other.housing), "2026-03-10"),
    ).toBe(false);
    expect(await pauseRecurringRule(db, other.id, rule.id, new Date())).toBe(false);
    expect(await resumeRecurringRule(db, other.id, rule.id, "2026-03-10")).toBe(false);
    expect(await deleteRecurringRule(db, other.id, rule.id)).toBe(false);
    expect(await getRecurringRule(db, owner.id, rule.id)).toMatchObject({
      title: "Rent",
      pausedAt: null,
    });
  });

  test("the database refuses a category of another kind or another user", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const other = await newUser(db);
    const opts = { today: "2026-03-10", createPast: false };
    await expect(createRecurringRule(db, u.id, rent(u.salary), opts)).rejects.toThrow();
    await expect(createRecurringRule(db, u.id, rent(other.housing), opts)).rejects.toThrow();
  });

  test("removing a category moves its rules along with its transactions", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: false,
    });
    await expect(removeCategory(db, u.id, u.housing, undefined)).rejects.toThrow(/recurring/);
    await removeCategory(db, u.id, u.housing, u.food);
    expect((await getRecurringRule(db, u.id, rule.id))?.categoryId).toBe(u.food);
  });

  test("the worker runs a pass at start, again when woken or after its interval, and none once stopped", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    let clock = new Date("2026-03-10T12:00:00Z");
    const rule = await createRecurringRule(db, u.id, rent(u.housing), {
      today: "2026-03-10",
      createPast: true,
    });
    const worker = startRecurringWorker({
      db,
      logger: silentLogger,
      now: () => clock,
      intervalMs: 60_000,
    });
    await worker.idle();
    expect(await datesOf(db, rule.id)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    clock = new Date("2026-04-01T12:00:00Z");
    worker.wake();
    await new Promise((r) => setTimeout(r, 50));
    await worker.idle();
    expect((await datesOf(db, rule.id)).at(-1)).toBe("2026-04-01");
    await worker.stop();
    clock = new Date("2026-05-01T12:00:00Z");
    worker.wake();
    await new Promise((r) => setTimeout(r, 50));
    expect((await datesOf(db, rule.id)).at(-1)).toBe("2026-04-01");
  });

  test("a pass works through many due rules in small batches", async () => {
    const { db } = t.current();
    const u = await newUser(db);
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await createRecurringRule(
        db,
        u.id,
        rent(u.housing, { title: `Rule ${i}`, monthDay: 1 + (i % 28) }),
        { today: "2026-03-10", createPast: true },
      );
      ids.push(r.id);
    }
    const result = await runRecurringPass(db, { now: at("2026-03-10T12:00:00Z"), batchSize: 7 });
    expect(result.rules).toBeGreaterThanOrEqual(40);
    const rows = await db
      .select({ id: recurringRules.id, next: recurringRules.nextOccurrenceOn })
      .from(recurringRules)
      .where(eq(recurringRules.userId, u.id));
    expect(rows.every((r) => (r.next as string) > "2026-03-10")).toBe(true);
    expect(await storedTotals(db)).toEqual(await groupedTransactions(db));
  });
});
