// An account's data as the backup tests compare it: everything but the ids (categories are
// named instead), timestamps to the microsecond, amounts as text; and a writer of random accounts.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { Db } from "../../src/db/client.ts";
import { categories, DATE_FORMATS, NUMBER_FORMATS, THEMES, users } from "../../src/db/schema.ts";

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

const ts = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`);

/** Settings, categories, budgets, rules, transactions (in entry order) and month_totals. */
export async function accountData(db: Db, userId: number) {
  return {
    settings: await rows(
      db,
      sql`select time_zone, currency, month_start_day, date_format::text, number_format::text,
            theme::text
          from users where id = ${userId}`,
    ),
    categories: await rows(
      db,
      sql`select name, kind::text, color, ${ts("created_at")} as created_at
          from categories where user_id = ${userId} order by id`,
    ),
    budgets: await rows(
      db,
      sql`select c.name as category, b.month::text as month, b.amount_cents::text as amount,
            ${ts("b.created_at")} as created_at
          from budgets b left join categories c on c.id = b.category_id
          where b.user_id = ${userId} order by b.month, c.name nulls first`,
    ),
    importRules: await rows(
      db,
      sql`select r.contains, c.name as category, r.kind::text, r.position,
            ${ts("r.created_at")} as created_at
          from import_rules r join categories c on c.id = r.category_id
          where r.user_id = ${userId} order by r.position, r.id`,
    ),
    recurringRules: await rows(
      db,
      sql`select r.kind::text, r.title, r.amount_cents::text as amount, c.name as category,
            r.notes, r.payment_method, r.frequency::text, r.every, r.weekday, r.month_day,
            r.starts_on::text, r.ends_on::text, r.occurrence_limit,
            r.next_occurrence_on::text, r.last_occurrence_on::text, ${ts("r.paused_at")} as paused_at,
            ${ts("r.created_at")} as created_at, ${ts("r.updated_at")} as updated_at
          from recurring_rules r join categories c on c.id = r.category_id
          where r.user_id = ${userId} order by r.id`,
    ),
    transactions: await rows(
      db,
      sql`select t.kind::text, t.title, t.amount_cents::text as amount, c.name as category,
            t.occurred_on::text as occurred_on, t.notes, t.payment_method,
            t.import_id is not null as imported, r.title as rule,
            ${ts("t.created_at")} as created_at, ${ts("t.updated_at")} as updated_at
          from transactions t join categories c on c.id = t.category_id
            left join recurring_rules r on r.id = t.recurring_rule_id
          where t.user_id = ${userId} order by t.id`,
    ),
    monthTotals: await rows(
      db,
      sql`select m.month::text as month, c.name as category, m.kind::text, m.cents::text as cents,
            m.count
          from month_totals m join categories c on c.id = m.category_id
          where m.user_id = ${userId} order by m.month, c.name, m.kind`,
    ),
  };
}

/** Counts of every table that holds an account's data, for "nothing changed" checks. */
export async function rowCounts(db: Db) {
  const [row] = await rows(
    db,
    sql`select (select count(*)::int from users) as users,
          (select count(*)::int from categories) as categories,
          (select count(*)::int from budgets) as budgets,
          (select count(*)::int from import_rules) as import_rules,
          (select count(*)::int from recurring_rules) as recurring_rules,
          (select count(*)::int from transactions) as transactions,
          (select count(*)::int from month_totals) as month_totals`,
  );
  return row;
}

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Chatham"];
const CURRENCIES = ["USD", "EUR", "JPY", "CHF", "INR"];
/** Text a form accepts (not blank, no NUL), with accents, emoji, quotes and line breaks. */
const text = (max: number) =>
  fc
    .string({
      unit: fc.constantFrom(
        "a",
        "Z",
        " ",
        "é",
        "☕",
        "👩‍👩‍👧",
        '"',
        "'",
        "\\",
        "\n",
        "\t",
        "<",
        "ß",
        "İ",
      ),
      maxLength: max,
    })
    .filter((s) => s.trim().length > 0 && s.length <= max);
const cents = fc.oneof(
  fc.constantFrom(1n, 99n, 100n, 99_999_999_999n),
  fc.bigInt({ min: 1n, max: 99_999_999_999n }),
);
const day = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
/** A timestamp with microseconds, as PostgreSQL keeps them. */
const stamp = fc
  .tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.nat(999))
  .map(([ms, us]) => `${new Date(ms).toISOString().slice(0, -1)}${String(us).padStart(3, "0")}Z`);

export const randomAccount = fc.record({
  settings: fc.record({
    timeZone: fc.constantFrom(...ZONES),
    currency: fc.constantFrom(...CURRENCIES),
    monthStartDay: fc.integer({ min: 1, max: 28 }),
    dateFormat: fc.constantFrom(...DATE_FORMATS),
    numberFormat: fc.constantFrom(...NUMBER_FORMATS),
    theme: fc.constantFrom(...THEMES),
  }),
  categories: fc.array(
    fc.record({
      name: text(20),
      kind: fc.constantFrom("expense" as const, "income" as const),
      color: fc.integer({ min: 0, max: 9 }),
      createdAt: stamp,
    }),
    { minLength: 1, maxLength: 6 },
  ),
  budgets: fc.array(
    fc.record({
      category: fc.option(fc.nat(), { nil: null }),
      month: fc.integer({ min: 0, max: 2400 }),
      amount: fc.option(cents, { nil: null }),
      createdAt: stamp,
    }),
    { maxLength: 5 },
  ),
  rules: fc.array(
    fc.record({ contains: text(30), category: fc.nat(), position: fc.integer(), createdAt: stamp }),
    { maxLength: 4 },
  ),
  recurring: fc.array(
    fc.record({
      category: fc.nat(),
      title: text(40),
      amountCents: cents,
      notes: fc.option(text(60), { nil: null }),
      frequency: fc.constantFrom("weekly" as const, "monthly" as const, "yearly" as const),
      every: fc.integer({ min: 1, max: 99 }),
      weekday: fc.integer({ min: 1, max: 7 }),
      monthDay: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(-1)),
      startsOn: fc
        .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2090, 11, 31) })
        .map((ms) => new Date(ms).toISOString().slice(0, 10)),
      /** Days after the start of the last and the next occurrence (the next after the last). */
      last: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      next: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
      pausedAt: fc.option(stamp, { nil: null }),
      createdAt: stamp,
      updatedAt: stamp,
    }),
    { maxLength: 4 },
  ),
  transactions: fc.array(
    fc.record({
      category: fc.nat(),
      rule: fc.option(fc.nat(), { nil: null }),
      title: text(40),
      amountCents: cents,
      occurredOn: day,
      notes: fc.option(text(60), { nil: null }),
      paymentMethod: fc.option(text(12), { nil: null }),
      createdAt: stamp,
      updatedAt: stamp,
    }),
    { maxLength: 25 },
  ),
});

export type RandomAccount = typeof randomAccount extends fc.Arbitrary<infer T> ? T : never;

/** Replaces the account's categories and writes the random data into it. */
export async function writeAccount(db: Db, userId: number, a: RandomAccount): Promise<void> {
  await db.update(users).set(a.settings).where(sql`id = ${userId}`);
  await db.delete(categories).where(sql`user_id = ${userId}`);
  // Numbered, so that two names never clash whatever lower() makes of their letters.
  const cats = await db
    .insert(categories)
    .values(
      a.categories.map((c, i) => ({
        userId,
        name: `${c.name.slice(0, 16)} ${i}`,
        kind: c.kind,
        color: c.color,
        createdAt: sql`${c.createdAt}::timestamptz`,
      })),
    )
    .returning();
  const expense = cats.filter((c) => c.kind === "expense");
  const seen = new Set<string>();
  for (const b of a.budgets) {
    const cat =
      b.category === null || expense.length === 0 ? null : expense[b.category % expense.length];
    const month = `${1900 + Math.floor(b.month / 12)}-${String((b.month % 12) + 1).padStart(2, "0")}-01`;
    const key = `${cat?.id}|${month}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await db.execute(sql`insert into budgets (user_id, category_id, month, amount_cents, created_at)
      values (${userId}, ${cat?.id ?? null}, ${month}, ${b.amount === null ? null : String(b.amount)}, ${b.createdAt}::timestamptz)`);
  }
  for (const r of a.rules) {
    const cat = cats[r.category % cats.length];
    if (!cat) continue;
    await db.execute(sql`insert into import_rules (user_id, contains, category_id, kind, position, created_at)
      values (${userId}, ${r.contains}, ${cat.id}, ${cat.kind}, ${r.position}, ${r.createdAt}::timestamptz)`);
  }
  const ruleIds: { id: number; categoryId: number }[] = [];
  for (const r of a.recurring) {
    const cat = cats[r.category % cats.length];
    if (!cat) continue;
    const after = (days: number | null) =>
      days === null
        ? null
        : new Date(Date.parse(r.startsOn) + days * 86_400_000).toISOString().slice(0, 10);
    const last = r.last === null ? null : after(r.last);
    const next = r.next === null ? null : after((r.last ?? 0) + r.next);
    const [row] = (
      (await db.execute(sql`insert into recurring_rules (user_id, kind, title, amount_cents,
          category_id, notes, frequency, every, weekday, month_day, starts_on,
          last_occurrence_on, next_occurrence_on, paused_at, created_at, updated_at)
        values (${userId}, ${cat.kind}, ${r.title}, ${String(r.amountCents)}, ${cat.id}, ${r.notes},
          ${r.frequency}, ${r.every}, ${r.frequency === "weekly" ? r.weekday : null},
          ${r.frequency === "monthly" ? r.monthDay : null}, ${r.startsOn}, ${last}, ${next},
          ${r.pausedAt}::timestamptz, ${r.createdAt}::timestamptz, ${r.updatedAt}::timestamptz)
        returning id`)) as unknown as { rows: { id: number }[] }
    ).rows;
    if (row) ruleIds.push({ id: row.id, categoryId: cat.id });
  }
  for (const t of a.transactions) {
    const cat = cats[t.category % cats.length];
    if (!cat) continue;
    // A rule's occurrence has the rule's category: link only those that match.
    const rule = t.rule === null ? undefined : ruleIds[t.rule % Math.max(ruleIds.length, 1)];
    const ruleId = rule && rule.categoryId === cat.id ? rule.id : null;
    await db.execute(sql`insert into transactions (user_id, kind, title, amount_cents, category_id,
        occurred_on, notes, payment_method, recurring_rule_id, created_at, updated_at)
      values (${userId}, ${cat.kind}, ${t.title}, ${String(t.amountCents)}, ${cat.id}, ${t.occurredOn},
        ${t.notes}, ${t.paymentMethod}, ${ruleId}, ${t.createdAt}::timestamptz, ${t.updatedAt}::timestamptz)`);
  }
}
