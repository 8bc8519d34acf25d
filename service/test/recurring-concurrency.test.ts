// Two workers on separate connection pools (as two server processes or instances would be) run
// at once over many due rules on a real PostgreSQL server: every occurrence is created exactly
// once, and the month totals stay exact.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createRecurringRule, type RecurringRuleInput, scheduleOf } from "../src/data/recurring.ts";
import { createUser } from "../src/data/users.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import type { RecurringRule } from "../src/db/schema.ts";
import { runRecurringPass, type TickResult } from "../src/jobs/recurring-worker.ts";
import { LAST_DAY, planCatchUp } from "../src/lib/recurrence.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";
import {
  type AppRoleDatabase,
  createAppRoleDatabase,
  requirePostgres,
} from "./support/postgres.ts";

const postgresReady = await requirePostgres();

const RULES = 600;
const NOW = new Date("2026-03-10T12:00:00Z");
const TODAY = "2026-03-10";

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Every date the worker should create for a rule by TODAY, from the pure module alone. */
function expectedDates(rule: RecurringRule): string[] {
  const out: string[] = [];
  let next = rule.nextOccurrenceOn;
  while (next !== null && next <= TODAY) {
    const plan = planCatchUp(scheduleOf(rule), next, TODAY);
    out.push(...plan.create);
    next = plan.next;
  }
  return out;
}

describe.skipIf(!postgresReady)("two recurring workers at once [postgres]", () => {
  let throwaway: AppRoleDatabase;
  let a: Database;
  let b: Database;
  const rules: RecurringRule[] = [];

  beforeAll(async () => {
    throwaway = await createAppRoleDatabase();
    a = await openDatabase({ url: throwaway.appUrl, maxConnections: 3 });
    b = await openDatabase({ url: throwaway.appUrl, maxConnections: 3 });
    const next = random(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    for (let u = 0; u < 3; u++) {
      const user = await createUser(a.db, {
        email: `rec-race-${u}-${randomBytes(3).toString("hex")}@example.com`,
        password: "password123",
      });
      const cats = await listCategories(a.db, user.id);
      for (let i = 0; i < RULES / 3; i++) {
        const frequency = pick(["weekly", "monthly", "monthly", "yearly"] as const);
        const cat = pick(cats);
        const start = new Date(Date.UTC(2024, 0, 1) + Math.floor(next() * 800) * 86_400_000);
        const input: RecurringRuleInput = {
          kind: cat.kind,
          title: `u${u} rule ${i}`,
          amountCents: BigInt(1 + Math.floor(next() * 500_000)),
          categoryId: cat.id,
          notes: null,
          paymentMethod: null,
          frequency,
          every: pick([1, 1, 1, 2, 3]),
          weekday: frequency === "weekly" ? 1 + Math.floor(next() * 7) : null,
          monthDay: frequency === "monthly" ? pick([1, 15, 28, 29, 30, 31, LAST_DAY]) : null,
          startsOn: start.toISOString().slice(0, 10),
          endsOn: null,
          occurrenceLimit: next() < 0.2 ? 1 + Math.floor(next() * 10) : null,
        };
        rules.push(
          await createRecurringRule(a.db, user.id, input, { today: TODAY, createPast: true }),
        );
      }
    }
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await throwaway?.drop();
  });

  it("finds every occurrence exactly once", async () => {
    const pass = (db: Database) => runRecurringPass(db.db, { now: () => NOW, batchSize: 5 });
    // Two passes on each pool at once: four workers contend for the same rows.
    const results: TickResult[] = await Promise.all([pass(a), pass(b), pass(a), pass(b)]);
    const done = (db: number) =>
      (results[db] as TickResult).rules + (results[db + 2] as TickResult).rules;
    expect(results.every((r) => r.failed === 0)).toBe(true);
    // Each rule was taken by exactly one worker, and both processes took some.
    const due = rules.filter((r) => r.nextOccurrenceOn !== null && r.nextOccurrenceOn <= TODAY);
    expect(due.length).toBeGreaterThan(RULES * 0.9);
    expect(results.reduce((n, r) => n + r.rules, 0)).toBe(due.length);
    expect(done(0)).toBeGreaterThan(0);
    expect(done(1)).toBeGreaterThan(0);
    // A restarted worker finds nothing left to do.
    expect(await pass(b)).toMatchObject({ rules: 0, created: 0 });

    const twice = await a.db.execute(sql`
      select recurring_rule_id, occurred_on, count(*)::int as n from transactions
      group by 1, 2 having count(*) > 1`);
    expect((twice as unknown as { rows: unknown[] }).rows).toEqual([]);
    const stored = (
      (await a.db.execute(sql`
        select recurring_rule_id as id, array_agg(occurred_on::text order by occurred_on) as dates
        from transactions group by 1`)) as unknown as { rows: { id: number; dates: string[] }[] }
    ).rows;
    const byRule = new Map(stored.map((r) => [r.id, r.dates]));
    let total = 0;
    for (const rule of rules) {
      const expected = expectedDates(rule);
      total += expected.length;
      expect(byRule.get(rule.id) ?? [], `rule ${rule.id}`).toEqual(expected);
    }
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(total);
    expect(total).toBeGreaterThan(RULES * 5);
    expect(await storedTotals(a.db)).toEqual(await groupedTransactions(a.db));
  });
});
