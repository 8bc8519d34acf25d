// 32 writers on separate PostgreSQL connections change the same user's months at once: the
// triggers' ordered upserts must neither deadlock nor lose a delta.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "./support/postgres.ts";

const postgresReady = await requirePostgres();

const WRITERS = 32;
const STEPS = 25;
const MONTHS = ["2025-01", "2025-02", "2025-03"];

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

interface Fixture {
  userId: number;
  expense: number[];
  income: number[];
}

/**
 * One writer: single-row inserts, bulk inserts over several months and categories, multi-row
 * edits of date, amount, category and kind, and deletes. It touches only its own transactions
 * (titled after it), so any lock wait between writers is on the shared totals rows.
 */
async function write(client: pg.Client, w: number, f: Fixture): Promise<number> {
  const next = random(w + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const day = () => `${pick(MONTHS)}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}`;
  const cents = () => 1 + Math.floor(next() * 1_000_000);
  const title = `w${w}`;
  const expense = `{${f.expense.join(",")}}`;
  let done = 0;
  for (let i = 0; i < STEPS; i++) {
    const r = Math.floor(next() * 4);
    switch (Math.floor(next() * 5)) {
      case 0:
        await client.query(
          `insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
           values ($1, 'expense', $2, $3, $4, $5)`,
          [f.userId, title, cents(), pick(f.expense), day()],
        );
        break;
      case 1:
        await client.query(
          `insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
           select $1, 'expense', $2, 1 + (g * 7919 + $3) % 100000,
             ($4::int[])[1 + (g + $3) % cardinality($4::int[])],
             date '2025-01-01' + (g * 13 + $3) % 90
           from generate_series(1, 12) g`,
          [f.userId, title, cents(), expense],
        );
        break;
      case 2:
        await client.query(
          `update transactions
           set occurred_on = $3::date + (id % 60), amount_cents = amount_cents + 1,
             category_id = ($5::int[])[1 + id % cardinality($5::int[])]
           where user_id = $1 and title = $2 and kind = 'expense' and id % 4 = $4`,
          [f.userId, title, `${pick(MONTHS)}-01`, r, expense],
        );
        break;
      case 3:
        await client.query(
          `update transactions set kind = 'income', category_id = $4
           where user_id = $1 and title = $2 and kind = 'expense' and id % 4 = $3`,
          [f.userId, title, r, pick(f.income)],
        );
        break;
      default:
        await client.query(
          "delete from transactions where user_id = $1 and title = $2 and id % 4 = $3",
          [f.userId, title, r],
        );
    }
    done++;
  }
  return done;
}

describe.skipIf(!postgresReady)("month_totals under 32 concurrent writers [postgres]", () => {
  let throwaway: ThrowawayDatabase | undefined;
  let database: Database | undefined;
  let fixture: Fixture;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
    database = await openDatabase({ url: throwaway.url, maxConnections: 2 });
    await migrate(database.db);
    const admin = new pg.Client({ connectionString: throwaway.url });
    await admin.connect();
    try {
      const user = await admin.query(
        "insert into users (email, password_hash) values ('writers@example.test', '-') returning id",
      );
      const userId = user.rows[0].id as number;
      const ids = async (kind: string, names: string[]) =>
        (
          await admin.query(
            `insert into categories (user_id, name, kind)
             select $1, n, $2 from unnest($3::text[]) n returning id`,
            [userId, kind, names],
          )
        ).rows.map((r) => r.id as number);
      fixture = {
        userId,
        expense: await ids("expense", ["Food", "Rent", "Travel", "Other"]),
        income: await ids("income", ["Salary", "Other income"]),
      };
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    await database?.close();
    await throwaway?.drop();
  });

  it("ends equal to a fresh GROUP BY, with no deadlock and no failed write", async () => {
    const clients = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const c = new pg.Client({ connectionString: throwaway?.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.allSettled(clients.map((c, w) => write(c, w, fixture)));
      const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
      expect(failures).toEqual([]);
      const done = results.reduce((n, r) => n + (r.status === "fulfilled" ? r.value : 0), 0);
      expect(done).toBe(WRITERS * STEPS);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const db = database?.db;
    if (!db) throw new Error("database not open");
    const stored = await storedTotals(db);
    expect(stored.length).toBeGreaterThan(MONTHS.length);
    expect(stored).toEqual(await groupedTransactions(db));
  }, 120_000);
});
