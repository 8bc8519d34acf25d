import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { removeCategory } from "../src/data/categories.ts";
import {
  createRecurringRule,
  deleteRecurringRule,
  dueOccurrences,
  exportRecurringRules,
  getRecurringRule,
  pauseRecurringRule,
  resumeRecurringRule,
  updateRecurringRule,
} from "../src/data/recurring.ts";
import { deleteUser } from "../src/data/users.ts";
import { recurringRules, transactions } from "../src/db/schema.ts";
import { runRecurringPass, startRecurringWorker } from "../src/jobs/recurring-worker.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { describeEachDatabase } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";
import { at, datesOf, newUser, rent } from "./support/recurring.ts";

describeEachDatabase("recurring rules and their neighbours", (t) => {
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
