// A throwaway PostgreSQL database for the benchmark, and the bulk load that fills it.
import { sql } from "drizzle-orm";
import pg from "pg";
import { setBudget } from "../../service/src/data/budgets.ts";
import { listCategories } from "../../service/src/data/categories.ts";
import { createUser } from "../../service/src/data/users.ts";
import type { Db } from "../../service/src/db/client.ts";
import { DEFAULT_CATEGORIES } from "../../service/src/db/schema.ts";

export interface ThrowawayDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `et_bench_<pid>` on the server of `adminUrl`. A statement timeout on the database bounds
 * any runaway query; the bulk load raises it for its own transaction.
 */
export async function createThrowawayDatabase(adminUrl: string): Promise<ThrowawayDatabase> {
  const name = `et_bench_${process.pid}`;
  await withAdmin(adminUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
    await c.query(`alter database ${name} set statement_timeout = '60s'`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * Keeps a connection that `drop database ... with (force)` terminates (after Ctrl-C, mid-query)
 * from crashing the process with an unhandled 'error' event. Call before the first query.
 */
export function tolerateTerminatedConnections(db: Db): void {
  const pool = (db as unknown as { $client: pg.Pool }).$client;
  pool.on("connect", (client) => client.on("error", () => {}));
}

/** Every bench user's password. */
export const BENCH_PASSWORD = "bench-password-1";

export interface SeededUser {
  id: number;
  email: string;
  rows: number;
  /** Category name to id, as createUser made them. */
  categories: Map<string, number>;
}

/**
 * One heavy user with `rows` transactions and four others with a tenth of that each, so an index
 * that did not lead with user_id would show.
 */
export async function createBenchUsers(db: Db, rows: number): Promise<SeededUser[]> {
  const counts = [rows, ...Array.from({ length: 4 }, () => rows / 10)];
  const users: SeededUser[] = [];
  for (const [i, n] of counts.entries()) {
    const email = i === 0 ? "heavy@bench.test" : `light${i}@bench.test`;
    const user = await createUser(db, { email, password: BENCH_PASSWORD });
    const cats = await listCategories(db, user.id);
    users.push({
      id: user.id,
      email,
      rows: n,
      categories: new Map(cats.map((c) => [c.name, c.id])),
    });
  }
  return users;
}

/** Budgets for the heavy user, so that the dashboard draws them: all spending and three categories. */
export async function setBenchBudgets(db: Db, user: SeededUser): Promise<void> {
  const from = `${Number(ANCHOR_DATE.slice(0, 4)) - 1}-01`;
  await setBudget(db, user.id, undefined, from, 25_000_000n);
  for (const [name, cents] of [
    ["Food", 2_000_000n],
    ["Housing", 3_000_000n],
    ["Health", 500_000n],
  ] as const) {
    await setBudget(db, user.id, user.categories.get(name), from, cents);
  }
}

/** Last day of the generated history; the bench's "today". */
export const ANCHOR_DATE = "2025-06-30";
/** Ten years of history before ANCHOR_DATE. */
const SPAN_DAYS = 3652;

const EXPENSE_TITLES = (
  "Groceries,Coffee,Bus ticket,Rent,Electricity,Cinema,Books,Lunch," +
  "Fuel,Pharmacy,Internet,Gym,Taxi,Bakery,Restaurant,Phone bill"
).split(",");
const INCOME_TITLES = ["Salary", "Refund", "Freelance invoice", "Gift", "Interest"];

/**
 * Loads every user's transactions with one `insert ... select from generate_series`. The rows come
 * in blocks of 14 (10 for the heavy user, 1 for each other user) in date order, so the heap
 * interleaves users and ids grow with dates, as when people enter expenses as they happen.
 * Amounts, kinds, categories, titles and notes derive from hashes of the row number:
 * random-looking but the same on every run. Returns the number of rows inserted.
 */
export async function loadTransactions(db: Db, users: SeededUser[]): Promise<number> {
  const [heavy, ...light] = users;
  if (!heavy || light.length !== 4) throw new Error("expected one heavy and four light users");
  const blocks = heavy.rows / 10;
  const userIds = [...Array.from({ length: 10 }, () => heavy.id), ...light.map((u) => u.id)];
  // Category ids per slot of the block and kind, flattened: slot s uses the expense categories
  // s*E+1 .. s*E+E and the income ones s*I+1 .. s*I+I.
  const slots = [...Array.from({ length: 10 }, () => heavy), ...light];
  const ofKind = (kind: "expense" | "income") =>
    slots.flatMap((u) => DEFAULT_CATEGORIES[kind].map((name) => u.categories.get(name) ?? 0));
  const expenseIds = ofKind("expense");
  const incomeIds = ofKind("income");
  const E = DEFAULT_CATEGORIES.expense.length;
  const I = DEFAULT_CATEGORIES.income.length;
  const pgArray = (xs: (string | number)[]) =>
    `{${xs.map((x) => (typeof x === "number" ? x : `"${x}"`)).join(",")}}`;

  const load = sql`
    insert into transactions
      (user_id, kind, title, amount_cents, category_id, occurred_on, notes, payment_method)
    select
      (${pgArray(userIds)}::int[])[1 + g % 14],
      case when income then 'income' else 'expense' end::transaction_kind,
      case when income then (${pgArray(INCOME_TITLES)}::text[])[1 + r1 % ${INCOME_TITLES.length}]
           else (${pgArray(EXPENSE_TITLES)}::text[])[1 + r1 % ${EXPENSE_TITLES.length}] end,
      case when income then 100000 + r2 % 400000 else 50 + r2 % 20000 end,
      case when income then (${pgArray(incomeIds)}::int[])[1 + (g % 14) * ${I} + r3 % ${I}]
           else (${pgArray(expenseIds)}::int[])[1 + (g % 14) * ${E} + r3 % ${E}] end,
      ${ANCHOR_DATE}::date - ((${blocks} - 1 - g / 14) * ${SPAN_DAYS} / ${blocks})::int
        - case when r4 % 5 = 0 then (r4 / 5 % 30)::int else 0 end,
      case when r5 % 10000 = 0 then 'Warranty card in the drawer'
           when r5 % 5 = 0 then 'Receipt ' || (r5 % 100000)::text end,
      (array['card', 'cash', 'transfer'])[1 + r1 / 7 % 4]
    from generate_series(0::bigint, ${blocks * 14 - 1}::bigint) g,
      lateral (select
        abs(hashint8extended(g, 0) % 100) < 10 as income,
        abs(hashint8extended(g, 1) % 1000003) as r1,
        abs(hashint8extended(g, 2) % 1000003) as r2,
        abs(hashint8extended(g, 3) % 1000003) as r3,
        abs(hashint8extended(g, 4) % 1000003) as r4,
        abs(hashint8extended(g, 5) % 1000003) as r5) r`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = '10min'`);
    const result = (await tx.execute(load)) as unknown as { rowCount: number | null };
    return result.rowCount ?? 0;
  });
}

/** Runs operator-supplied SQL (say, a candidate index) in one transaction, allowed 10 minutes. */
export async function runExtraSql(db: Db, text: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = '10min'`);
    await tx.execute(sql.raw(text));
  });
}
