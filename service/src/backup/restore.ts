// Restoring a checked backup into an account that holds no transactions yet: its settings,
// categories (replacing the ones it has), budgets, import rules and transactions, every category
// id remapped, all in one database transaction. A failure anywhere leaves the account unchanged.
import { count, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { categories, importRules, recurringRules, transactions, users } from "../db/schema.ts";
import { BackupRefusedError, type RestorePlan } from "./check.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Rows per INSERT: each column goes as one array parameter, so the count is not bound by 65,535. */
const BATCH = 5000;

export interface RestoreSummary {
  categories: number;
  budgets: number;
  importRules: number;
  recurringRules: number;
  transactions: number;
  incomeCents: bigint;
  expenseCents: bigint;
}

/** Serialises restores into one account, so two at once cannot both find it empty. */
const RESTORE_LOCK = 727_274_020;

/** Writes `plan` into the account `userId`; BackupRefusedError when it holds transactions. */
export async function restoreBackup(
  db: Db,
  userId: number,
  plan: RestorePlan,
): Promise<RestoreSummary> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${RESTORE_LOCK}, ${userId})`);
      const [held] = await tx
        .select({ n: count() })
        .from(transactions)
        .where(eq(transactions.userId, userId));
      if ((held?.n ?? 0) > 0) {
        throw new BackupRefusedError(
          `This account already holds ${held?.n} transaction${held?.n === 1 ? "" : "s"}: a backup is restored only into an account without any (create a new account, or delete them first).`,
        );
      }
      await tx
        .update(users)
        .set({ ...plan.settings, updatedAt: new Date() })
        .where(eq(users.id, userId));
      // Its budgets and import rules go with them (on delete cascade).
      await tx.delete(categories).where(eq(categories.userId, userId));
      const ids = await insertCategories(tx, userId, plan);
      await insertBudgets(tx, userId, plan, ids);
      await insertImportRules(tx, userId, plan, ids);
      const rules = await insertRecurringRules(tx, userId, plan, ids);
      const totals = await insertTransactions(tx, userId, plan, ids, rules);
      return {
        categories: plan.categories.length,
        budgets: plan.budgets.length,
        importRules: plan.importRules.length,
        recurringRules: plan.recurringRules.length,
        transactions: plan.transactions.length,
        ...totals,
      };
    });
  } catch (err) {
    if (err instanceof BackupRefusedError) throw err;
    const code = pgCode(err);
    // Checked in the file already; the database has the last word (its lower() is Unicode's).
    if (code === "23505")
      throw new BackupRefusedError(
        "The backup was not restored: two of its categories have the same name (compared without regard to case).",
      );
    if (code?.startsWith("23") || code?.startsWith("22"))
      throw new BackupRefusedError(
        `The backup was not restored: the database refused one of its records (${describe(err)}).`,
      );
    throw err;
  }
}

function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function describe(err: unknown): string {
  let e = err as { cause?: unknown; message?: string };
  while (e.cause && typeof e.cause === "object") e = e.cause as typeof e;
  return e.message ?? String(e);
}

/** Inserts the categories; the new id of each file id. */
async function insertCategories(
  tx: Tx,
  userId: number,
  plan: RestorePlan,
): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  if (plan.categories.length === 0) return ids;
  const rows = await tx
    .insert(categories)
    .values(
      plan.categories.map((c) => ({
        userId,
        name: c.name,
        kind: c.kind,
        color: c.color,
        createdAt: sql`${c.createdAt}::timestamptz`,
      })),
    )
    .returning({ id: categories.id, name: categories.name });
  // Names are unique within an account, so they pair each new row with its file id.
  const fileIdByName = new Map(plan.categories.map((c) => [c.name, c.fileId]));
  for (const row of rows) ids.set(fileIdByName.get(row.name) as number, row.id);
  return ids;
}

const remap = (ids: Map<number, number>, fileId: number) => {
  const id = ids.get(fileId);
  if (id === undefined) throw new Error(`category ${fileId} was not restored`);
  return id;
};

async function insertBudgets(
  tx: Tx,
  userId: number,
  plan: RestorePlan,
  ids: Map<number, number>,
): Promise<void> {
  for (let i = 0; i < plan.budgets.length; i += BATCH) {
    const rows = plan.budgets.slice(i, i + BATCH);
    await tx.execute(sql`
      insert into budgets (user_id, category_id, month, amount_cents, created_at)
      select ${userId}::int, * from unnest(
        ${sql.param(rows.map((b) => (b.categoryFileId === null ? null : remap(ids, b.categoryFileId))))}::int[],
        ${sql.param(rows.map((b) => b.month))}::date[],
        ${sql.param(rows.map((b) => (b.amountCents === null ? null : String(b.amountCents))))}::bigint[],
        ${sql.param(rows.map((b) => b.createdAt))}::timestamptz[])`);
  }
}

async function insertImportRules(
  tx: Tx,
  userId: number,
  plan: RestorePlan,
  ids: Map<number, number>,
): Promise<void> {
  if (plan.importRules.length === 0) return;
  await tx.insert(importRules).values(
    plan.importRules.map((r) => ({
      userId,
      contains: r.contains,
      categoryId: remap(ids, r.categoryFileId),
      kind: r.kind,
      position: r.position,
      createdAt: sql`${r.createdAt}::timestamptz`,
    })),
  );
}

/** Inserts the recurring rules with their next and last dates; the new id of each file id. */
async function insertRecurringRules(
  tx: Tx,
  userId: number,
  plan: RestorePlan,
  ids: Map<number, number>,
): Promise<Map<number, number>> {
  const ruleIds = new Map<number, number>();
  for (const r of plan.recurringRules) {
    const { id: fileId, categoryId, pausedAt, createdAt, updatedAt, ...fields } = r;
    const [row] = await tx
      .insert(recurringRules)
      .values({
        ...fields,
        userId,
        categoryId: remap(ids, categoryId),
        pausedAt: pausedAt === null ? null : sql`${pausedAt}::timestamptz`,
        createdAt: sql`${createdAt}::timestamptz`,
        updatedAt: sql`${updatedAt}::timestamptz`,
      })
      .returning({ id: recurringRules.id });
    if (row) ruleIds.set(fileId, row.id);
  }
  return ruleIds;
}

/**
 * Inserts the transactions in the file's order, so new ids keep the order they were entered in.
 * Plain INSERTs: the triggers keep month_totals exact, as for any other writer.
 */
async function insertTransactions(
  tx: Tx,
  userId: number,
  plan: RestorePlan,
  ids: Map<number, number>,
  ruleIds: Map<number, number>,
): Promise<{ incomeCents: bigint; expenseCents: bigint }> {
  let incomeCents = 0n;
  let expenseCents = 0n;
  for (let i = 0; i < plan.transactions.length; i += BATCH) {
    const rows = plan.transactions.slice(i, i + BATCH);
    for (const t of rows) {
      if (t.kind === "income") incomeCents += t.amountCents;
      else expenseCents += t.amountCents;
    }
    const column = <T>(pick: (t: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
    await tx.execute(sql`
      insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on,
                                notes, payment_method, recurring_rule_id, created_at, updated_at)
      select ${userId}::int, kind, title, amount_cents, category_id, occurred_on, notes,
             payment_method, recurring_rule_id, created_at, updated_at
      from unnest(
        ${column((t) => t.kind)}::text[]::transaction_kind[],
        ${column((t) => t.title)}::text[],
        ${column((t) => String(t.amountCents))}::bigint[],
        ${column((t) => remap(ids, t.categoryFileId))}::int[],
        ${column((t) => t.occurredOn)}::date[],
        ${column((t) => t.notes)}::text[],
        ${column((t) => t.paymentMethod)}::text[],
        ${column((t) => (t.recurringRuleFileId === null ? null : (ruleIds.get(t.recurringRuleFileId) ?? null)))}::int[],
        ${column((t) => t.createdAt)}::timestamptz[],
        ${column((t) => t.updatedAt)}::timestamptz[])
      with ordinality as u(kind, title, amount_cents, category_id, occurred_on, notes,
                           payment_method, recurring_rule_id, created_at, updated_at, n)
      order by n`);
  }
  return { incomeCents, expenseCents };
}
