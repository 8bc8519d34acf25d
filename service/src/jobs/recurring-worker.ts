// The background worker that creates the occurrences of recurring rules. It runs in the server
// process, never inside a request: a pass at start and one every minute. Each pass takes the due
// rules in small batches, each batch one database transaction that locks its rules with
// `FOR UPDATE SKIP LOCKED`, inserts their occurrences and advances their next date, so that two
// processes (or two instances) running at once never create an occurrence twice, and an
// occurrence the user deleted is never created again.
import { and, asc, eq, gt, isNotNull, isNull, lte, or } from "drizzle-orm";
import { scheduleOf } from "../data/recurring.ts";
import type { Db } from "../db/client.ts";
import { describeCause, isDatabaseUnavailable } from "../db/errors.ts";
import { type RecurringRule, recurringRules, transactions, users } from "../db/schema.ts";
import { todayIn } from "../lib/dates.ts";
import type { Logger } from "../lib/logger.ts";
import { rateLimitedWarn } from "../lib/rate-limited.ts";
import { planCatchUp } from "../lib/recurrence.ts";

export interface RecurringWorkerOptions {
  db: Db;
  logger: Logger;
  /** Clock, replaceable in tests. Default `() => new Date()`. */
  now?: () => Date;
  /** Pause between passes. Default 60 s. */
  intervalMs?: number;
  /** Rules per database transaction. Default 25. */
  batchSize?: number;
}

export interface TickResult {
  /** Rules whose occurrences this pass created or passed over. */
  rules: number;
  /** Transactions created. */
  created: number;
  /** Rules that failed (logged); they are tried again on the next pass. */
  failed: number;
}

/** The date it is somewhere on Earth now at the latest (UTC+14): no user's today is later. */
const latestToday = (now: Date) => todayIn("Pacific/Kiritimati", now);

interface DueRule {
  rule: RecurringRule;
  timeZone: string;
}

/**
 * One pass: creates every occurrence due by now, batch after batch, until no due rule is left
 * (or `shouldStop` says so between batches).
 */
export async function runRecurringPass(
  db: Db,
  o: {
    now?: () => Date;
    batchSize?: number;
    logger?: Logger;
    shouldStop?: () => boolean;
  } = {},
): Promise<TickResult> {
  const now = o.now ?? (() => new Date());
  const batchSize = o.batchSize ?? 25;
  const result: TickResult = { rules: 0, created: 0, failed: 0 };
  // Rules are read in (next date, id) order from a cursor: one not due yet in its user's time
  // zone, or one that failed, is passed over rather than read again and again.
  let after: { next: string; id: number } | undefined;
  for (;;) {
    if (o.shouldStop?.()) break;
    const at = now();
    let batch: DueRule[] = [];
    try {
      batch = await db.transaction(async (tx) => {
        const due = await lockDueRules(tx as unknown as Db, at, after, batchSize);
        const work = due.filter(
          (d) => (d.rule.nextOccurrenceOn as string) <= todayIn(d.timeZone, at),
        );
        const done = await applyRules(tx as unknown as Db, work, at);
        result.rules += done.rules;
        result.created += done.created;
        return due;
      });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      // One bad rule must not hold up the others: the batch again, one rule per transaction.
      const alone = await retryOneByOne(db, at, after, batchSize, o.logger);
      result.rules += alone.rules;
      result.created += alone.created;
      result.failed += alone.failed;
      batch = alone.batch;
    }
    const last = batch.at(-1);
    if (!last) break;
    after = { next: last.rule.nextOccurrenceOn as string, id: last.rule.id };
    if (batch.length < batchSize) break;
  }
  return result;
}

/** Locks the next due rules that no other worker holds, with their users' time zones. */
async function lockDueRules(
  db: Db,
  at: Date,
  after: { next: string; id: number } | undefined,
  limit: number,
): Promise<DueRule[]> {
  const r = recurringRules;
  return db
    .select({ rule: r, timeZone: users.timeZone })
    .from(r)
    .innerJoin(users, eq(users.id, r.userId))
    .where(
      and(
        isNull(r.pausedAt),
        isNotNull(r.nextOccurrenceOn),
        lte(r.nextOccurrenceOn, latestToday(at)),
        after
          ? or(
              gt(r.nextOccurrenceOn, after.next),
              and(eq(r.nextOccurrenceOn, after.next), gt(r.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(r.nextOccurrenceOn), asc(r.id))
    .limit(limit)
    .for("update", { of: r, skipLocked: true });
}

/** Inserts the occurrences of locked, due rules in one statement and advances each rule. */
async function applyRules(
  db: Db,
  due: DueRule[],
  at: Date,
): Promise<{ rules: number; created: number }> {
  const rows: (typeof transactions.$inferInsert)[] = [];
  const advances: { id: number; next: string | null; last: string | null }[] = [];
  for (const { rule, timeZone } of due) {
    const plan = planCatchUp(
      scheduleOf(rule),
      rule.nextOccurrenceOn as string,
      todayIn(timeZone, at),
    );
    for (const date of plan.create) {
      rows.push({
        userId: rule.userId,
        kind: rule.kind,
        title: rule.title,
        amountCents: rule.amountCents,
        categoryId: rule.categoryId,
        occurredOn: date,
        notes: rule.notes,
        paymentMethod: rule.paymentMethod,
        recurringRuleId: rule.id,
      });
    }
    advances.push({ id: rule.id, next: plan.next, last: plan.last ?? rule.lastOccurrenceOn });
  }
  // One INSERT: the month_totals triggers add the whole batch in one statement.
  if (rows.length > 0) await db.insert(transactions).values(rows);
  for (const a of advances) {
    await db
      .update(recurringRules)
      .set({ nextOccurrenceOn: a.next, lastOccurrenceOn: a.last })
      .where(eq(recurringRules.id, a.id));
  }
  return { rules: advances.length, created: rows.length };
}

/** The batch that failed, one rule per transaction; a rule that fails again is logged and passed. */
async function retryOneByOne(
  db: Db,
  at: Date,
  after: { next: string; id: number } | undefined,
  batchSize: number,
  logger: Logger | undefined,
): Promise<TickResult & { batch: DueRule[] }> {
  const out = { rules: 0, created: 0, failed: 0, batch: [] as DueRule[] };
  let cursor = after;
  for (let i = 0; i < batchSize; i++) {
    let taken: DueRule | undefined;
    try {
      await db.transaction(async (tx) => {
        const [one] = await lockDueRules(tx as unknown as Db, at, cursor, 1);
        taken = one;
        if (!one || (one.rule.nextOccurrenceOn as string) > todayIn(one.timeZone, at)) return;
        const done = await applyRules(tx as unknown as Db, [one], at);
        out.rules += done.rules;
        out.created += done.created;
      });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      out.failed++;
      logger?.error("recurring rule failed", {
        ruleId: taken?.rule.id,
        error: describeCause(err),
      });
    }
    if (!taken) break;
    out.batch.push(taken);
    cursor = { next: taken.rule.nextOccurrenceOn as string, id: taken.rule.id };
  }
  return out;
}

export interface RecurringWorker {
  /** Runs a pass soon (after the one running, if any), e.g. after a rule was added. */
  wake(): void;
  /** Waits for the pass running, if any, and runs no more. */
  stop(): Promise<void>;
  /** Resolves when the pass running (or the next one) has finished: for tests. */
  idle(): Promise<void>;
}

/** Starts the worker: a pass now, then one `intervalMs` after each pass ends. */
export function startRecurringWorker(o: RecurringWorkerOptions): RecurringWorker {
  const intervalMs = o.intervalMs ?? 60_000;
  const warnOutage = rateLimitedWarn(o.logger, 60_000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    // The worker alone must not keep the process alive.
    timer.unref();
  };

  async function pass() {
    try {
      const r = await runRecurringPass(o.db, {
        now: o.now,
        batchSize: o.batchSize,
        logger: o.logger,
        shouldStop: () => stopped,
      });
      if (r.rules > 0 || r.failed > 0) o.logger.info("recurring occurrences", { ...r });
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        warnOutage("recurring: database unreachable; trying again later", {
          error: describeCause(err),
        });
      } else {
        o.logger.error("recurring pass failed", { error: describeCause(err) });
      }
    }
  }

  function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(0);
      } else {
        schedule(intervalMs);
      }
    });
  }

  tick();
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async idle() {
      await running;
    },
  };
}
