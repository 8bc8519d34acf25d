import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { monthlyTotals } from "../src/data/dashboard.ts";
import {
  createRecurringRule,
  dueOccurrences,
  getRecurringRule,
  pauseRecurringRule,
  resumeRecurringRule,
  updateRecurringRule,
} from "../src/data/recurring.ts";
import { deleteTransaction } from "../src/data/transactions.ts";
import { transactions } from "../src/db/schema.ts";
import { runRecurringPass } from "../src/jobs/recurring-worker.ts";
import { addDays, catchUpFloor, LAST_DAY, occurrencesBetween } from "../src/lib/recurrence.ts";
import { describeEachDatabase } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";
import { at, datesOf, newUser, occurrences, rent } from "./support/recurring.ts";

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
});
